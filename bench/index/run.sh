#!/usr/bin/env bash
# Snapshot index benchmark: what writing an index costs, and what it saves the commands after it.
#
#   bench/index/run.sh [RUNS]      (default 3 runs of each measurement, interleaved)
#
# Uses bench/work/s530.heapsnapshot and bench/work/series-{1,2,3}.heapsnapshot (bench/run.sh makes them)
# and an index folder of its own (bench/work/index-cache). Each run measures, with bench/measure.sh (wall,
# peak RSS, user+sys CPU):
#   analyze --no-index            a plain analyze: parse, graph, analyses
#   analyze (index written)       the same with an empty index folder: the index is written beside it
#   analyze (from index)          a second analyze
#   path / inspect / dominators   one-object questions from the index, and path with --no-index
#   find-leaks S1 S2 S3           --no-index, writing the three indexes, and from them
# and appends the medians, with the machine, to bench/index/RESULTS.md (NO_RESULTS=1: print only).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-3}"
WORK="$ROOT/bench/work"
SNAP="${SNAP:-$WORK/s530.heapsnapshot}"
SER=("$WORK/series-1.heapsnapshot" "$WORK/series-2.heapsnapshot" "$WORK/series-3.heapsnapshot")
export LEAKHOUND_INDEX_DIR="$WORK/index-cache"
for f in "$SNAP" "${SER[@]}"; do
  [ -f "$f" ] || { echo "missing $f: run bench/run.sh --tools leakhound --runs 1 --no-results first" >&2; exit 2; }
done
cd "$ROOT"
./leakhound --version >/dev/null   # build first, outside the timings
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
TSV="$WORK/index-bench.tsv"
: > "$TSV"

# measure LABEL CMD...: one measurement, appended to $TSV as label, wall, rss, cpu
measure() {
  local label="$1"; shift
  local line
  line=$(bench/measure.sh "$label" "$@" | grep '^measure:')
  local wall rss usr sys
  wall=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' <<<"$line")
  rss=$(sed -n 's/.*max_rss_mb=\([0-9]*\).*/\1/p' <<<"$line")
  usr=$(sed -n 's/.*user_s=\([0-9.]*\).*/\1/p' <<<"$line")
  sys=$(sed -n 's/.*sys_s=\([0-9.]*\).*/\1/p' <<<"$line")
  printf '%s\t%s\t%s\t%s\n' "$label" "$wall" "$rss" "$(awk -v u="${usr:-0}" -v s="${sys:-0}" 'BEGIN{printf "%.2f", u+s}')" >> "$TSV"
  echo "$line" >&2
}

ID=$(./leakhound analyze "$SNAP" --json --no-index | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).largest[0].id))')
for r in $(seq 1 "$RUNS"); do
  ./leakhound index --clear >/dev/null
  measure analyze-plain ./leakhound analyze "$SNAP" --no-index
  measure analyze-writing ./leakhound analyze "$SNAP"
  measure analyze-indexed ./leakhound analyze "$SNAP"
  measure path-indexed ./leakhound path "$SNAP" "@$ID"
  measure inspect-indexed ./leakhound inspect "$SNAP" "@$ID"
  measure dominators-indexed ./leakhound dominators "$SNAP"
  measure path-plain ./leakhound path "$SNAP" "@$ID" --no-index
  measure find-leaks-plain ./leakhound find-leaks "${SER[@]}" --no-index
  ./leakhound index --clear >/dev/null
  measure find-leaks-writing ./leakhound find-leaks "${SER[@]}"
  measure find-leaks-indexed ./leakhound find-leaks "${SER[@]}"
done
INDEX_BYTES=$(./leakhound index --list --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).indexes.reduce((a,e)=>a+e.indexBytes,0)))')
./leakhound index --clear >/dev/null
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { awk -F'\t' -v l="$1" -v c="$2" '$1==l {print $c}' "$TSV" | sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
row() { printf '| %s | %s | %s | %s |\n' "$2" "$(median "$1" 2)" "$(median "$1" 4)" "$(median "$1" 3)"; }
pct() { awk -v a="$(median "$1" "$3")" -v b="$(median "$2" "$3")" 'BEGIN{printf "%+.0f%%", (a/b-1)*100}'; }

{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ): $(basename "$SNAP") ($(($(stat -c %s "$SNAP") / 1048576)) MiB) and the series, $RUNS runs, medians"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM;"
  echo "$(java -version 2>&1 | head -1); load average before $LOAD_BEFORE, after $LOAD_AFTER (shared machine)."
  echo
  echo "| command | wall s | CPU s | peak RSS MB |"
  echo "|---|---|---|---|"
  row analyze-plain "analyze --no-index"
  row analyze-writing "analyze, writing the index"
  row analyze-indexed "analyze from the index"
  row path-plain "path --no-index"
  row path-indexed "path from the index"
  row inspect-indexed "inspect from the index"
  row dominators-indexed "dominators from the index"
  row find-leaks-plain "find-leaks (3 snapshots) --no-index"
  row find-leaks-writing "find-leaks, writing 3 indexes"
  row find-leaks-indexed "find-leaks from the indexes"
  echo
  echo "Writing the index adds $(pct analyze-writing analyze-plain 2) wall and $(pct analyze-writing analyze-plain 4) CPU to analyze;"
  echo "the second analyze takes $(pct analyze-indexed analyze-plain 2) wall. Indexes of the four snapshots: $((INDEX_BYTES / 1048576)) MiB."
} | if [ -n "${NO_RESULTS:-}" ]; then cat; else tee -a "$ROOT/bench/index/RESULTS.md"; fi
