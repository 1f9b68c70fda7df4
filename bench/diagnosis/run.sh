#!/usr/bin/env bash
# Diagnosis overhead benchmark: how much the diagnosis adds to `leakhound analyze` on a ~500 MB snapshot.
#
#   bench/diagnosis/run.sh [RUNS]        (default 5 runs of each variant, interleaved)
#
# Makes bench/work/diagnosis-500mb.heapsnapshot once (bench/diagnosis/make-snapshot.js, SCALE=0.55 gives
# about 527 MB with node 20), then runs `./leakhound analyze --json --timings` with and without `--no-diagnosis`,
# alternating, and reports three ratios, all medians over the runs:
#   wall      whole-process wall time with the diagnosis / without, minus 1
#   cpu       whole-process CPU time (user + sys, all threads: JIT and GC included) with / without, minus 1
#   in-run    the diagnosis' own wall time / (read + analyze wall time) of the same run
# On a shared machine wall times swing with the other processes' load; CPU time much less.
# Appends the result, with the machine it ran on, to bench/diagnosis/RESULTS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-5}"
SCALE="${SCALE:-0.55}"
WORK="$ROOT/bench/work"
SNAP="$WORK/diagnosis-500mb.heapsnapshot"
mkdir -p "$WORK"
if [ ! -f "$SNAP" ]; then
  echo "making $SNAP (scale $SCALE)..." >&2
  node --max-old-space-size=6000 "$ROOT/bench/diagnosis/make-snapshot.js" "$SNAP" "$SCALE"
fi
"$ROOT/leakhound" --version >/dev/null   # build first, outside the timings
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

ms() { local ns; ns=$(date +%s%N); echo $((ns / 1000000)); }
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);const p=process.argv[1].split(".");let v=j;for(const k of p)v=v[k];console.log(v)})' "$1"; }

cpu() { awk '{printf "%d", ($1 + $2) * 1000}' "$WORK/diag-time.txt"; }
with_wall=(); without_wall=(); with_cpu=(); without_cpu=(); inrun=()
for i in $(seq 1 "$RUNS"); do
  t0=$(ms); /usr/bin/time -f "%U %S" -o "$WORK/diag-time.txt" "$ROOT/leakhound" analyze --json --timings --no-diagnosis "$SNAP" >"$WORK/diag-without.json"; t1=$(ms)
  without_wall+=($((t1 - t0))); without_cpu+=("$(cpu)")
  t0=$(ms); /usr/bin/time -f "%U %S" -o "$WORK/diag-time.txt" "$ROOT/leakhound" analyze --json --timings "$SNAP" >"$WORK/diag-with.json"; t1=$(ms)
  with_wall+=($((t1 - t0))); with_cpu+=("$(cpu)")
  read_ms=$(field readMillis <"$WORK/diag-with.json")
  analyze_ms=$(field analyzeMillis <"$WORK/diag-with.json")
  diag_ms=$(field diagnosis.millis <"$WORK/diag-with.json")
  inrun+=("$(awk -v d="$diag_ms" -v r="$read_ms" -v a="$analyze_ms" 'BEGIN{printf "%.3f", d / (r + a)}')")
  echo "run $i: without ${without_wall[-1]} ms (cpu ${without_cpu[-1]}), with ${with_wall[-1]} ms (cpu ${with_cpu[-1]}; read $read_ms, analyze $analyze_ms, diagnosis $diag_ms ms)" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mw=$(median "${with_wall[@]}"); mo=$(median "${without_wall[@]}"); mi=$(median "${inrun[@]}")
cw=$(median "${with_cpu[@]}"); co=$(median "${without_cpu[@]}")
wall_pct=$(awk -v w="$mw" -v o="$mo" 'BEGIN{printf "%.1f", 100 * (w / o - 1)}')
cpu_pct=$(awk -v w="$cw" -v o="$co" 'BEGIN{printf "%.1f", 100 * (w / o - 1)}')
inrun_pct=$(awk -v x="$mi" 'BEGIN{printf "%.1f", 100 * x}')
size_mb=$(( $(stat -c %s "$SNAP") / 1048576 ))
nodes=$(field nodes <"$WORK/diag-with.json")
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -n)"
  echo
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $(java -version 2>&1 | head -1), node $(node --version), leakhound at $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- '*.java' || echo ' (with uncommitted changes)')"
  echo "- snapshot: ${size_mb} MB, $nodes nodes (make-snapshot.js scale $SCALE); $RUNS runs of each variant, interleaved"
  echo "- wall time, median: without the diagnosis $mo ms, with it $mw ms: **+${wall_pct}%**"
  echo "- CPU time (user + sys), median: without $co ms, with $cw ms: **+${cpu_pct}%**"
  echo "- diagnosis time / (read + analyze) of the same run, median: **${inrun_pct}%**"
  echo "- load average before: $LOAD_BEFORE"
  echo "- per run (wall without / with, cpu without / with, in-run ratio): $(for i in $(seq 0 $((RUNS - 1))); do printf '%s/%s %s/%s %s; ' "${without_wall[$i]}" "${with_wall[$i]}" "${without_cpu[$i]}" "${with_cpu[$i]}" "${inrun[$i]}"; done)"
} | tee -a "$ROOT/bench/diagnosis/RESULTS.md"
