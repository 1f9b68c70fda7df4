#!/usr/bin/env bash
# leakhound vs memlab snapshot benchmarks. Run from anywhere:
#
#   bench/run.sh [--runs N] [--tools memlab,leakhound] [--strings-heavy] [--no-results]
#
#   --runs N           runs per measured command (default 3)
#   --tools LIST       which tools to measure (default memlab,leakhound)
#   --strings-heavy    also load the strings-heavy snapshot (one run per tool; memlab 2.0.5 spends
#                      about 6 minutes and 7 GB before it fails on it)
#   --no-results       measure, but do not append to bench/RESULTS.md
#
# Environment: MEMLAB_HEAP_MB (node --max-old-space-size for memlab, default 8192),
#              BENCH_TIMEOUT (seconds per command, default 3600), LEAKHOUND_HEAP / JAVA_OPTS (launcher).
#
# What it does:
#  (a) generates the snapshots in bench/work/ if missing (bench/gen/*.js; ~3.5 GB of disk);
#  (b) measures wall time and peak RSS (bench/measure.sh) of
#        memlab:    bench/memlab-load.js FILE   (getFullHeapFromFile: parse + dominators/retained sizes)
#                   memlab find-leaks --baseline S1 --target S2 --final S3 --leak-filter bench/memlab-leak-filter.js
#        leakhound: ./leakhound analyze FILE --no-index   (a full load each time, as memlab's; bench/index measures the index)
#                   ./leakhound find-leaks S1 S2 S3 --no-index
#      on s100 (~100 MiB), s530 (~530 MiB, ~7.2M nodes) and the growing series (0.54 / 0.67 / 0.79 GB);
#      memlab must be installed first (bench/memlab-install.sh), leakhound commands that do not exist
#      yet are reported and skipped;
#  (c) appends the machine (CPU, cores, RAM, java -version, node -v, date, load) and a results table
#      to bench/RESULTS.md.
set -uo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
WORK="$BENCH/work"
RUNS=3
TOOLS="memlab,leakhound"
STRINGS_HEAVY=0
WRITE_RESULTS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --tools) TOOLS="$2"; shift 2 ;;
    --strings-heavy) STRINGS_HEAVY=1; shift ;;
    --no-results) WRITE_RESULTS=0; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
MEMLAB_HEAP_MB="${MEMLAB_HEAP_MB:-8192}"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-3600}"
MEMLAB_DIR="$BENCH/memlab"
mkdir -p "$WORK/logs"
cd "$ROOT"

say() { echo "[run.sh $(date +%T)] $*" >&2; }
has_tool() { case ",$TOOLS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
load1() { cut -d' ' -f1 /proc/loadavg; }

S100="$WORK/s100.heapsnapshot"
S530="$WORK/s530.heapsnapshot"
SHEAVY="$WORK/strings-heavy.heapsnapshot"
SER1="$WORK/series-1.heapsnapshot"; SER2="$WORK/series-2.heapsnapshot"; SER3="$WORK/series-3.heapsnapshot"

# ---- (a) snapshots -------------------------------------------------------------------------------
need_gb() {
  local avail_kb
  avail_kb=$(df -Pk "$WORK" | awk 'NR==2 {print $4}')
  if [ "$avail_kb" -lt $(($1 * 1048576)) ]; then
    echo "run.sh: need about $1 GB free in $WORK to generate snapshots, have $((avail_kb / 1048576)) GB" >&2
    exit 2
  fi
}
gen() { # gen OUTFILE... -- COMMAND...  (runs COMMAND unless all OUTFILEs exist)
  local outs=() missing=0
  while [ "$1" != "--" ]; do outs+=("$1"); [ -f "$1" ] || missing=1; shift; done
  shift
  [ "$missing" = 0 ] && return 0
  need_gb 4
  say "generating ${outs[*]##*/}"
  if ! "$@" >>"$WORK/generate.jsonl" 2>>"$WORK/generate.log"; then
    echo "run.sh: snapshot generation failed: $*; see $WORK/generate.log" >&2
    exit 2
  fi
}
gen "$S100" -- node --max-old-space-size=2048 "$BENCH/gen/make-snapshot.js" --size-mb 100 --out "$S100"
gen "$S530" -- node --max-old-space-size=6144 "$BENCH/gen/make-snapshot.js" --size-mb 530 --out "$S530"
gen "$SER1" "$SER2" "$SER3" -- node --max-old-space-size=8192 "$BENCH/gen/make-growing-series.js" --out-dir "$WORK"
if [ "$STRINGS_HEAVY" = 1 ]; then
  gen "$SHEAVY" -- node --max-old-space-size=6144 "$BENCH/gen/make-strings-heavy.js" --strings-mb 640 --out "$SHEAVY"
fi

# ---- (b) measurements ----------------------------------------------------------------------------
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
ROWS="$WORK/rows-$STAMP.md"
: >"$ROWS"
LOADS=()

# measure TOOL COMMAND-NAME INPUT RUN -- COMMAND...   -> one table row in $ROWS
measure() {
  local tool="$1" what="$2" input="$3" run="$4"; shift 5
  local label="$tool-$what-$input-$STAMP-r$run" l0 line rc wall rss cpu note=""
  l0=$(load1); LOADS+=("$l0")
  say "$tool $what $input (run $run/$RUNS, load $l0)"
  line=$("$BENCH/measure.sh" "$label" timeout "$BENCH_TIMEOUT" "$@")
  rc=$(sed -n 's/.* exit=\([0-9]*\) .*/\1/p' <<<"$line")
  wall=$(sed -n 's/.* wall_s=\([0-9.]*\) .*/\1/p' <<<"$line")
  rss=$(sed -n 's/.* max_rss_mb=\([0-9]*\) .*/\1/p' <<<"$line")
  cpu=$(sed -n 's/.* user_s=\([0-9.]*\) sys_s=\([0-9.]*\).*/\1 \2/p' <<<"$line" | awk '{printf "%.1f", $1 + $2}')
  if [ "$rc" = 124 ]; then note="timed out after ${BENCH_TIMEOUT}s"
  elif [ "$rc" != 0 ]; then
    note="failed: $(tr '\r' '\n' <"$WORK/logs/$label.err" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' |
      grep -E 'Error|error|exception|Exception|FATAL|failed' | grep -v '^ *at ' | head -1 | cut -c1-160 | sed 's/|/\\|/g')"
  elif [ "$tool" = memlab ] && [ "$what" = find-leaks ]; then
    note="reported $(tr '\r' '\n' <"$WORK/logs/$label.out" | sed -n "s/.*'PendingRequest' *│ *'object' *│ *\([0-9]*\).*/\1/p" | head -1) leaked PendingRequest (generator: $(expected_leaks))"
  fi
  echo "| $tool | $what | $input | $run | $rc | $wall | ${cpu:--} | $rss | $l0 | $note |" >>"$ROWS"
  echo "  $line" >&2
}

# PendingRequest objects created between series-1 and series-2 (what find-leaks should report), from
# the generator's output lines in work/generate.jsonl.
expected_leaks() {
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const last = (n) => lines.filter((r) => r.file.endsWith(n)).pop();
    const a = last("series-1.heapsnapshot"), b = last("series-2.heapsnapshot");
    console.log(a && b ? b.pendingRequests - a.pendingRequests : "?");' "$WORK/generate.jsonl" 2>/dev/null || echo "?"
}

memlab_ok=0
if has_tool memlab; then
  if [ -f "$MEMLAB_DIR/node_modules/@memlab/cli/bin/memlab.js" ]; then memlab_ok=1
  else say "memlab is not installed in $MEMLAB_DIR: run bench/memlab-install.sh (memlab skipped)"; fi
fi
MEMLAB_VERSION=$([ "$memlab_ok" = 1 ] && node -p "require('$MEMLAB_DIR/node_modules/memlab/package.json').version" 2>/dev/null || echo -)

lh_analyze=0; lh_findleaks=0
SKIPPED=()
has_tool memlab && [ "$memlab_ok" = 0 ] && SKIPPED+=("memlab (not installed; bench/memlab-install.sh)")
if has_tool leakhound; then
  if [ ! -x "$ROOT/leakhound" ]; then
    say "leakhound: no ./leakhound launcher in $ROOT (leakhound skipped)"
    SKIPPED+=("leakhound (no ./leakhound launcher)")
  else
    # The probe also builds the jar if needed, so build time is not measured below. A subcommand is
    # taken as present when the top-level usage lists it (picocli answers `X --help` for an unknown
    # X with the top-level usage and exit 0, so that exit code proves nothing).
    if ! usage=$("$ROOT/leakhound" --help 2>"$WORK/logs/leakhound-probe.err"); then
      say "leakhound: ./leakhound --help failed ($(head -1 "$WORK/logs/leakhound-probe.err")) - leakhound skipped"
      SKIPPED+=("leakhound (./leakhound --help failed: $(head -1 "$WORK/logs/leakhound-probe.err"))")
    fi
    # picocli lists subcommands indented by two spaces; wrapped description lines are indented more.
    # (grep reads all of it: with -q it would stop at the first match, and sed's SIGPIPE fails the pipe under pipefail)
    listed() { sed -n '/^Commands:/,$p' <<<"${usage:-}" | grep -E "^  ([^ ]+, )*$1(,| |\$)" >/dev/null; }
    if listed analyze; then lh_analyze=1
    else say "leakhound: no 'analyze' command yet (not in ./leakhound --help) - skipped"
      SKIPPED+=("leakhound analyze (the command does not exist yet)"); fi
    if listed find-leaks; then lh_findleaks=1
    else say "leakhound: no 'find-leaks' command yet (not in ./leakhound --help) - skipped"
      SKIPPED+=("leakhound find-leaks (the command does not exist yet)"); fi
  fi
fi

L_START=$(cut -d' ' -f1-3 /proc/loadavg)
for input in s100 s530; do
  f="$WORK/$input.heapsnapshot"
  for run in $(seq 1 "$RUNS"); do
    [ "$memlab_ok" = 1 ] && measure memlab load "$input" "$run" -- \
      node --max-old-space-size="$MEMLAB_HEAP_MB" "$BENCH/memlab-load.js" "$f"
    [ "$lh_analyze" = 1 ] && measure leakhound analyze "$input" "$run" -- "$ROOT/leakhound" analyze "$f" --no-index
  done
done
for run in $(seq 1 "$RUNS"); do
  if [ "$memlab_ok" = 1 ]; then
    rm -rf "$WORK/memlab-workdir"; mkdir -p "$WORK/memlab-workdir"
    measure memlab find-leaks series "$run" -- node --expose-gc --max-old-space-size="$MEMLAB_HEAP_MB" \
      "$MEMLAB_DIR/node_modules/@memlab/cli/bin/memlab.js" find-leaks \
      --baseline "$SER1" --target "$SER2" --final "$SER3" \
      --leak-filter "$BENCH/memlab-leak-filter.js" --work-dir "$WORK/memlab-workdir"
  fi
  [ "$lh_findleaks" = 1 ] && measure leakhound find-leaks series "$run" -- "$ROOT/leakhound" find-leaks "$SER1" "$SER2" "$SER3" --no-index
done
if [ "$STRINGS_HEAVY" = 1 ]; then
  [ "$memlab_ok" = 1 ] && measure memlab load strings-heavy 1 -- \
    node --max-old-space-size="$MEMLAB_HEAP_MB" "$BENCH/memlab-load.js" "$SHEAVY"
  [ "$lh_analyze" = 1 ] && measure leakhound analyze strings-heavy 1 -- "$ROOT/leakhound" analyze "$SHEAVY" --no-index
fi
L_END=$(cut -d' ' -f1-3 /proc/loadavg)

if [ ! -s "$ROWS" ]; then
  say "nothing was measured"
  exit 1
fi

# ---- (c) results ---------------------------------------------------------------------------------
maxload=$(printf '%s\n' "${LOADS[@]}" | sort -g | tail -1)
cores=$(nproc)
{
  echo
  echo "## Run $STAMP"
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| date (UTC) | $(date -u '+%F %T') |"
  echo "| CPU | $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo) |"
  echo "| cores | $cores |"
  echo "| RAM | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
  echo "| java | $(java -version 2>&1 | head -1) |"
  echo "| node | $(node -v) |"
  echo "| memlab | $MEMLAB_VERSION (node --max-old-space-size=$MEMLAB_HEAP_MB) |"
  echo "| leakhound (git commit) | $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -) |"
  echo "| load average (1/5/15 min) | at start $L_START; at end $L_END |"
  echo
  if awk -v m="$maxload" -v c="$cores" 'BEGIN {exit !(m > c)}'; then
    echo "Shared machine: the 1-minute load average reached $maxload on $cores cores during these runs," \
      "so other work competed for the CPU; wall times are pessimistic and noisy."
    echo
  fi
  echo "| snapshot | bytes | MiB | nodes | edges | strings section bytes |"
  echo "|---|---|---|---|---|---|"
  for f in "$S100" "$S530" "$SER1" "$SER2" "$SER3" $([ "$STRINGS_HEAVY" = 1 ] && echo "$SHEAVY"); do
    node "$BENCH/gen/sections.js" "$f" | node -e '
      const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
      console.log(`| ${require("path").basename(r.file, ".heapsnapshot")} | ${r.bytes} | ${(r.bytes / 1048576).toFixed(1)} | ${r.nodeCount} | ${r.edgeCount} | ${r.stringsSectionBytes} |`);'
  done
  echo
  for s in "${SKIPPED[@]}"; do echo "Not measured: $s."; done
  [ "${#SKIPPED[@]}" -gt 0 ] && echo
  echo "| tool | command | snapshot | run | exit | wall s | CPU s (user+sys) | peak RSS MB | load (1 min) | note |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  cat "$ROWS"
} >"$WORK/section-$STAMP.md"
cat "$WORK/section-$STAMP.md"
if [ "$WRITE_RESULTS" = 1 ]; then
  cat "$WORK/section-$STAMP.md" >>"$BENCH/RESULTS.md"
  say "appended to bench/RESULTS.md"
fi
