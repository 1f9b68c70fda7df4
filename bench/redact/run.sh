#!/usr/bin/env bash
# redact benchmark: wall time, CPU and peak RSS of `leakhound redact` on the 530 MiB snapshot, per level,
# plain and gzip output, with bench/measure.sh.
#
#   bench/redact/run.sh [RUNS]     (default 3 runs of each; SNAP=FILE for another snapshot)
#
# Uses bench/work/s530.heapsnapshot (bench/run.sh, or bench/gen/make-snapshot.js --size-mb 530, makes it);
# writes its copies into bench/work and deletes them. Appends the medians, with the machine, to
# bench/redact/RESULTS.md (NO_RESULTS=1: print only).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-3}"
WORK="$ROOT/bench/work"
SNAP="${SNAP:-$WORK/s530.heapsnapshot}"
[ -f "$SNAP" ] || { echo "missing $SNAP: run bench/gen/make-snapshot.js --size-mb 530 --out $SNAP first" >&2; exit 2; }
cd "$ROOT"
./leakhound --version >/dev/null   # build first, outside the timings
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
TSV="$WORK/redact-bench.tsv"
: > "$TSV"
OUT="$WORK/redact-bench.heapsnapshot"

measure() {
  local label="$1"; shift
  local line wall rss usr sys
  line=$(bench/measure.sh "$label" "$@" | grep '^measure:')
  wall=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' <<<"$line")
  rss=$(sed -n 's/.*max_rss_mb=\([0-9]*\).*/\1/p' <<<"$line")
  usr=$(sed -n 's/.*user_s=\([0-9.]*\).*/\1/p' <<<"$line")
  sys=$(sed -n 's/.*sys_s=\([0-9.]*\).*/\1/p' <<<"$line")
  printf '%s\t%s\t%s\t%s\n' "$label" "$wall" "$rss" "$(awk -v u="${usr:-0}" -v s="${sys:-0}" 'BEGIN{printf "%.2f", u+s}')" >> "$TSV"
  echo "$line" >&2
}

for r in $(seq 1 "$RUNS"); do
  measure redact-basic ./leakhound redact "$SNAP" "$OUT"
  measure redact-names ./leakhound redact "$SNAP" "$OUT" --level names
  measure redact-full ./leakhound redact "$SNAP" "$OUT" --level full
  measure redact-basic-gz ./leakhound redact "$SNAP" "$OUT.gz"
done
OUT_BYTES=$(stat -c %s "$OUT")
GZ_BYTES=$(stat -c %s "$OUT.gz")
rm -f "$OUT" "$OUT.gz"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { grep -P "^$1\t" "$TSV" | cut -f"$2" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
row() { printf '| %s | %s | %s | %s |\n' "$2" "$(median "$1" 2)" "$(median "$1" 4)" "$(median "$1" 3)"; }
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ): $(basename "$SNAP") ($(( $(stat -c %s "$SNAP") / 1048576 )) MiB), $RUNS runs, medians"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%d GB RAM", $2/1048576+0.5}' /proc/meminfo);"
  echo "$(java -version 2>&1 | head -1); load average before $LOAD_BEFORE, after $LOAD_AFTER (shared machine)."
  echo
  echo "| command | wall s | CPU s | peak RSS MB |"
  echo "|---|---|---|---|"
  row redact-basic "redact (basic)"
  row redact-names "redact --level names"
  row redact-full "redact --level full"
  row redact-basic-gz "redact (basic) to .gz"
  echo
  echo "Output: $OUT_BYTES bytes plain (level full, the last plain copy written), $GZ_BYTES bytes gzip (basic)."
} > "$WORK/redact-results.md"
cat "$WORK/redact-results.md"
if [ -z "${NO_RESULTS:-}" ]; then
  cat "$WORK/redact-results.md" >> "$ROOT/bench/redact/RESULTS.md"
fi
