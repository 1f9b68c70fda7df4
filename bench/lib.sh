# bench/lib.sh: what the benchmark scripts share (sourced, not run).

# The machine a result comes from, three lines: cores, memory and kernel; node and java (and $1, when given, on the
# same line); the load average now.
bench_machine() {
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(uname -sr)"
  echo "node $(node --version); $(java -version 2>&1 | head -1)${1:+; $1}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Waits (up to $3 s) until file $1 holds a line matching $2; exits the script when it does not.
wait_for() {
  local i=0
  until grep -q "$2" "$1" 2>/dev/null; do
    i=$((i + 1)); [ "$i" -le $(( $3 * 10 )) ] || { echo "bench: timed out waiting for '$2' in $1" >&2; exit 1; }
    sleep 0.1
  done
}

# Stops the processes whose pids are given (empty arguments are skipped) and reaps them.
bench_stop() {
  local p
  for p in "$@"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}
