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

# Starts examples/healthy-http-server.js (NO_SELF_LOAD=1, the busy JSON API of the overhead benchmarks) with
# node options $@ and its inspector on a free loopback port; its output in $WORK/target.out and .err. Sets NODE_PID,
# port (its HTTP port) and inspect (its inspector's host:port).
bench_json_server() {
  : > "$WORK/target.out"; : > "$WORK/target.err"
  PORT=0 NO_SELF_LOAD=1 node "$@" --inspect=127.0.0.1:0 "$ROOT/examples/healthy-http-server.js" > "$WORK/target.out" 2> "$WORK/target.err" &
  NODE_PID=$!
  wait_for "$WORK/target.out" 'listening on' 20
  wait_for "$WORK/target.err" 'Debugger listening' 20
  port=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$WORK/target.out" | head -1)
  inspect=$(sed -n 's#.*ws://\(127.0.0.1:[0-9]*\)/.*#\1#p' "$WORK/target.err" | head -1)
}

# The requests per second in a result line of bench/alloc/load.js.
bench_rps() {
  node -e 'console.log(JSON.parse(process.argv[1]).rps)' "$1"
}
