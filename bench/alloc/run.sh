#!/usr/bin/env bash
# Allocation-tracking overhead: what `--track-allocations` costs the target.
#
# Target: examples/healthy-http-server.js (NO_SELF_LOAD=1), a busy stateless JSON API, started with the
# inspector on. Load: bench/alloc/load.js (CONC requests in flight, keep-alive) for LOAD_S seconds.
# Per repetition:
#   1. requests/s without tracking;
#   2. `leakhound snapshot --track-allocations --delay D`: once it says it is waiting (tracking is on), the
#      same load again, then its snapshot: requests/s with tracking, and the pause of a snapshot that carries
#      allocation traces;
#   3. `leakhound snapshot` (no tracking): the pause of a plain snapshot of the same process;
#   4. the same server started with `node --track-heap-objects` (what `hunt --track-allocations -- node ...`
#      does): requests/s tracking from start-up, and the pause of its snapshot.
# Raw rows go to bench/work/alloc/results.tsv; medians are printed (paste them into bench/alloc/RESULTS.md).
#
#   bench/alloc/run.sh                  # REPS=3 LOAD_S=10 CONC=8
#   REPS=1 LOAD_S=5 bench/alloc/run.sh  # quick check
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/bench/lib.sh"
HERE="$ROOT/bench/alloc"
WORK="$ROOT/bench/work/alloc"
REPS="${REPS:-3}"
LOAD_S="${LOAD_S:-10}"
CONC="${CONC:-8}"
LH="$ROOT/leakhound"

command -v node >/dev/null || { echo "bench: node is required" >&2; exit 1; }
"$LH" --version >/dev/null   # builds the jar before anything is timed
mkdir -p "$WORK"
ROWS="$WORK/results.tsv"
printf 'rep\trps_off\trps_on\tpause_traced_s\tpause_plain_s\tsnapshot_traced_mb\tsnapshot_plain_mb\trps_startup\tpause_startup_s\n' > "$ROWS"

NODE_PID=""
LH_PID=""
trap 'bench_stop $LH_PID $NODE_PID' EXIT

bench_machine | tee "$WORK/machine.txt" >&2

stop_target() {
  kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=""
}
pause_of() {   # pause_of OUT: "MB pause" from a `leakhound snapshot` result line
  sed -n 's/.*: \([0-9.]*\) MB,.*target paused \([0-9.]*\) s.*/\1 \2/p' "$1"
}

for rep in $(seq 1 "$REPS"); do
  bench_json_server
  node "$HERE/load.js" "$port" 2 "$CONC" > /dev/null   # warm-up
  off=$(node "$HERE/load.js" "$port" "$LOAD_S" "$CONC")

  "$LH" snapshot --track-allocations --delay $((LOAD_S + 2)) --inspect "$inspect" -o "$WORK/traced.heapsnapshot" \
    > "$WORK/lh.out" 2> "$WORK/lh.err" &
  LH_PID=$!
  wait_for "$WORK/lh.err" 'waiting' 30
  on=$(node "$HERE/load.js" "$port" "$LOAD_S" "$CONC")
  wait "$LH_PID"; LH_PID=""   # its --delay ends 2 s after the load: then the traced snapshot
  traced=$(pause_of "$WORK/lh.out")
  "$LH" snapshot --inspect "$inspect" -o "$WORK/plain.heapsnapshot" > "$WORK/lh2.out" 2> "$WORK/lh2.err"
  plain=$(pause_of "$WORK/lh2.out")
  stop_target

  bench_json_server --track-heap-objects
  node "$HERE/load.js" "$port" 2 "$CONC" > /dev/null   # warm-up
  startup=$(node "$HERE/load.js" "$port" "$LOAD_S" "$CONC")
  "$LH" snapshot --inspect "$inspect" -o "$WORK/startup.heapsnapshot" > "$WORK/lh3.out" 2> "$WORK/lh3.err"
  su=$(pause_of "$WORK/lh3.out")
  stop_target

  rps_off=$(bench_rps "$off"); rps_on=$(bench_rps "$on"); rps_su=$(bench_rps "$startup")
  set -- $traced $plain $su
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$rps_off" "$rps_on" "$2" "$4" "$1" "$3" "$rps_su" "$6" >> "$ROWS"
  echo "rep $rep: $rps_off req/s without tracking, $rps_on tracking through the inspector, $rps_su tracking from start-up;" \
    "snapshot pause $2 s traced ($1 MB), $4 s plain ($3 MB), $6 s from start-up ($5 MB)" >&2
  rm -f "$WORK"/*.heapsnapshot
done


node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").slice(1).map(l => l.split("\t").map(Number));
const med = (i) => { const v = rows.map(r => r[i]).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
console.log(`| ${rows.length} | ${med(1)} | ${med(2)} | ${(100 * (1 - med(2) / med(1))).toFixed(0)}% | ${med(7)} | ${(100 * (1 - med(7) / med(1))).toFixed(0)}% | ${med(3)} | ${med(4)} | ${med(8)} | ${med(5)} |`);
' "$ROWS"
