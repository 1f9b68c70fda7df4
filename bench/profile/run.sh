#!/usr/bin/env bash
# Sampling-profiler overhead: what `leakhound profile` (V8's sampling heap profiler, default interval 32 KiB)
# costs the target while it samples.
#
# Target: examples/healthy-http-server.js (NO_SELF_LOAD=1), a busy stateless JSON API, started with the
# inspector on. Load: bench/alloc/load.js (CONC requests in flight, keep-alive) for LOAD_S seconds.
# Per repetition, on one target process:
#   1. requests/s without profiling;
#   2. `leakhound profile --duration LOAD_S+2`: once it says it is sampling, the same load again: requests/s
#      while sampling (the profile is then taken; it keeps only objects still alive, few on a stateless server);
#   3. the same with `--include-collected`: requests/s, and the samples V8 took during the load (freed objects
#      included), which shows how much the sampler did;
#   4. requests/s without profiling again, after leakhound stopped the sampler (the drift of the machine).
# The target is warmed up for WARMUP_S seconds of load first (JIT), so that the first measurement is not slower.
# Raw rows go to bench/work/profile/results.tsv; medians are printed (paste them into bench/profile/RESULTS.md).
#
#   bench/profile/run.sh                  # REPS=3 LOAD_S=10 CONC=8
#   REPS=1 LOAD_S=5 bench/profile/run.sh  # quick check
#   INTERVAL=4096 bench/profile/run.sh    # a denser sampling interval than the default
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/bench/lib.sh"
WORK="$ROOT/bench/work/profile"
REPS="${REPS:-3}"
LOAD_S="${LOAD_S:-10}"
WARMUP_S="${WARMUP_S:-8}"
CONC="${CONC:-8}"
INTERVAL="${INTERVAL:-}"
LOAD="$ROOT/bench/alloc/load.js"
LH="$ROOT/leakhound"

command -v node >/dev/null || { echo "bench: node is required" >&2; exit 1; }
"$LH" --version >/dev/null   # builds the jar before anything is timed
mkdir -p "$WORK"
ROWS="$WORK/results.tsv"
printf 'rep\trps_off\trps_on\trps_on_collected\trps_off_after\tsamples_alive\tsamples_collected\tsampled_mb_collected\n' > "$ROWS"

NODE_PID=""
LH_PID=""
trap 'bench_stop $LH_PID $NODE_PID' EXIT

{
  bench_machine
  echo "sampling interval: ${INTERVAL:-default (32768 bytes)}"
} | tee "$WORK/machine.txt" >&2

for rep in $(seq 1 "$REPS"); do
  bench_json_server
  node "$LOAD" "$port" "$WARMUP_S" "$CONC" > /dev/null   # warm-up
  off=$(node "$LOAD" "$port" "$LOAD_S" "$CONC")
  # profile while the same load runs: $1 = extra profile options, $2 = the JSON profile written
  profiled() {
    rm -f "$2.err"
    "$LH" profile --inspect "$inspect" --duration $((LOAD_S + 2)) ${INTERVAL:+--interval "$INTERVAL"} $1 --json \
      > "$2" 2> "$2.err" &
    LH_PID=$!
    wait_for "$2.err" 'sampling allocations in' 30
    node "$LOAD" "$port" "$LOAD_S" "$CONC"
    # its --duration ends 2 s after the load: then the profile is taken (a profile of live objects only may hold
    # no sample at all on this stateless server: leakhound then says so and exits with 2)
    wait "$LH_PID" || true; LH_PID=""
  }
  on=$(profiled "" "$WORK/alive.json")
  onc=$(profiled "--include-collected" "$WORK/collected.json")
  after=$(node "$LOAD" "$port" "$LOAD_S" "$CONC")
  kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=""
  samples() { node -e 'const t = require("fs").readFileSync(process.argv[1], "utf8"); const p = t ? JSON.parse(t) : {samples: 0, totalBytes: 0};
    console.log(p.samples + " " + (p.totalBytes / 1048576).toFixed(1));' "$1"; }
  set -- $(samples "$WORK/alive.json") $(samples "$WORK/collected.json")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$(bench_rps "$off")" "$(bench_rps "$on")" "$(bench_rps "$onc")" "$(bench_rps "$after")" "$1" "$3" "$4" >> "$ROWS"
  echo "rep $rep: $(bench_rps "$off") req/s without profiling, $(bench_rps "$on") while sampling, $(bench_rps "$onc") while sampling with --include-collected ($3 samples, $4 MB sampled), $(bench_rps "$after") after" >&2
done

node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").slice(1).map(l => l.split("\t").map(Number));
const med = (i) => { const v = rows.map(r => r[i]).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
const drop = (i) => { const d = rows.map(r => 1 - r[i] / ((r[1] + r[4]) / 2)).sort((a, b) => a - b); return (100 * d[Math.floor(d.length / 2)]).toFixed(0) + "%"; };
console.log("| reps | req/s without (before) | req/s sampling | req/s sampling, --include-collected | req/s without (after) | drop (vs mean of before and after) | drop, --include-collected | samples, --include-collected |");
console.log(`| ${rows.length} | ${med(1)} | ${med(2)} | ${med(3)} | ${med(4)} | ${drop(2)} | ${drop(3)} | ${med(6)} |`);
' "$ROWS"
