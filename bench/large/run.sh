#!/usr/bin/env bash
# Large snapshots: analyze and find-leaks at the sizes DevTools and memlab cannot open.
#
#   bench/large/run.sh [--runs N] [--huge]
#
#   --runs N   runs of each measurement (default 1: each takes minutes)
#   --huge     also the ~200M-node snapshot (~15.8 GB; needs ~18 GB of free disk): info, and analyze with
#              LEAKHOUND_HEAP=8g
#   --skip-4g  leave out the 4 GiB measurements (with --huge: only the 200M-node ones)
#
# Generates what is missing in bench/work/ with bench/gen/SnapshotGenerator.java (no node needed):
#   gen-4g.heapsnapshot                 ~4 GiB, ~55M nodes, planted leak (PendingRequest in pendingRequests)
#   gen-4g-series-{1,2,3}.heapsnapshot  three ~4 GiB-class snapshots of one process, the leak growing
#   gen-200m.heapsnapshot               (--huge) ~200M nodes
# then measures with bench/measure.sh (wall, peak RSS, CPU) and --timings (parse, graph, analyses):
#   analyze gen-4g --no-index; find-leaks over the series --no-index, then writing and reading indexes;
#   (--huge) analyze gen-200m --no-index with LEAKHOUND_HEAP=8g.
# Appends the machine and a table to bench/large/RESULTS.md. Deletes the index folder it used at the end.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/bench/work"
RUNS=1
HUGE=0
SKIP4=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --huge) HUGE=1; shift ;;
    --skip-4g) SKIP4=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
GEN=(java -XX:TieredStopAtLevel=1 bench/gen/SnapshotGenerator.java)
G4="$WORK/gen-4g.heapsnapshot"
SER=("$WORK/gen-4g-series-1.heapsnapshot" "$WORK/gen-4g-series-2.heapsnapshot" "$WORK/gen-4g-series-3.heapsnapshot")
if [ "$SKIP4" = 0 ]; then
  [ -f "$G4" ] || "${GEN[@]}" --size-gb 4 --out "$G4" || exit 2
  [ -f "${SER[2]}" ] || "${GEN[@]}" --size-gb 4 --series 3 --seed 2 --out "$WORK/gen-4g-series.heapsnapshot" || exit 2
fi
G200="$WORK/gen-200m.heapsnapshot"
if [ "$HUGE" = 1 ] && [ ! -f "$G200" ]; then
  "${GEN[@]}" --nodes 200000000 --out "$G200" || exit 2
fi
export LEAKHOUND_INDEX_DIR="$WORK/large-index"
./leakhound --version >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=""
row() {   # label, description, file with --timings output
  local wall rss cpu timings
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.1f", s}' "$WORK/logs/$1.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1048576}' "$WORK/logs/$1.time")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.0f", u+s}' "$WORK/logs/$1.time")
  timings=$(grep -m1 -E '^Time +' "$WORK/logs/$1.out" | sed 's/^Time *//')
  [ -z "$timings" ] && timings=$(grep -m1 -E 'leakhound: ' "$WORK/logs/$1.err" | cut -c1-120)
  ROWS+="| $2 | $wall | $cpu | $rss | $timings |"$'\n'
}
# info's estimate for a file, as one row: the wall time of its last run, and what it says analyze needs
info_row() {
  local wall said
  wall=$(awk -F'\t' '$2 == "large-info-200m" {w = $4} END {print w}' "$WORK/measurements.tsv")
  said=$(./leakhound info "$1" --json | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const j = JSON.parse(s), g = b => (b / 1073741824).toFixed(1) + " GiB";
      console.log("needs " + g(j.memory.heapBytes) + " of heap (columns " + g(j.memory.columnsBytes) + ", dominator tree "
        + g(j.memory.dominatorBytes) + "), about " + Math.round(j.time.totalMillis / 1000) + " s; " + j.fit
        + ", LEAKHOUND_HEAP=" + j.leakhoundHeap);
    });')
  ROWS+="| info on it (header only) | $wall | | | $said |"$'\n'
}
for r in $(seq 1 "$RUNS"); do
  [ "$SKIP4" = 1 ] && break
  bench/measure.sh large-analyze-4g ./leakhound analyze "$G4" --no-index --timings; row large-analyze-4g "analyze 4 GiB ($(($(stat -c %s "$G4") / 1048576)) MiB), --no-index"
  ./leakhound index --clear >/dev/null
  bench/measure.sh large-find-leaks-plain ./leakhound find-leaks "${SER[@]}" --no-index --timings; row large-find-leaks-plain "find-leaks over three 4 GiB-class snapshots, --no-index"
  bench/measure.sh large-find-leaks-writing ./leakhound find-leaks "${SER[@]}" --timings; row large-find-leaks-writing "find-leaks, writing the three indexes"
  bench/measure.sh large-find-leaks-indexed ./leakhound find-leaks "${SER[@]}" --timings; row large-find-leaks-indexed "find-leaks from the indexes"
  ./leakhound index --clear >/dev/null
done
if [ "$HUGE" = 1 ]; then
  bench/measure.sh large-info-200m ./leakhound info "$G200"
  info_row "$G200"
  LEAKHOUND_HEAP=8g bench/measure.sh large-analyze-200m ./leakhound analyze "$G200" --no-index --timings
  row large-analyze-200m "analyze ~200M nodes ($(($(stat -c %s "$G200") / 1048576)) MiB), LEAKHOUND_HEAP=8g"
fi
rm -rf "$LEAKHOUND_INDEX_DIR"
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ): generated 4 GiB-class snapshots$([ "$HUGE" = 1 ] && echo " and ~200M nodes"), $RUNS run(s)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM;"
  echo "$(java -version 2>&1 | head -1); load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)."
  echo
  echo "| command | wall s | CPU s | peak RSS GB | phases (--timings) or error |"
  echo "|---|---|---|---|---|"
  printf '%s' "$ROWS"
} | tee -a "$ROOT/bench/large/RESULTS.md"
