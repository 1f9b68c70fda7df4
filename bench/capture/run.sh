#!/usr/bin/env bash
# Capture benchmark: `leakhound snapshot` over the inspector, against the in-process
# v8.writeHeapSnapshot reference, for a small and a large heap.
#
# For each heap size and repetition it records
#   - v8.writeHeapSnapshot inside the target (time measured in the target);
#   - leakhound snapshot run as a fresh JVM for each -Xmx in $XMX: wall time of the whole command,
#     its peak RSS (/usr/bin/time %M), the target pause it reports, snapshot size and node count;
#   - for both, the target's own memory: its RSS just before the snapshot and its peak RSS (VmHWM) during it,
#     the peak reset first through /proc/PID/clear_refs. Their difference is what a snapshot costs the target
#     in memory, the figure leakhound's headroom check is based on (leakhound-inspector capture/Headroom).
# Raw rows go to bench/work/capture/results.tsv, medians to bench/work/capture/summary.md.
#
#   bench/capture/run.sh                     # HEAPS="25 320" REPS=3 XMX="1024m 64m"
#   HEAPS=25 REPS=1 bench/capture/run.sh     # quick check
#
#   HEAPS="50 200 500" REPS=1 XMX=64m bench/capture/run.sh   # the run behind Headroom's estimate
#
# HEAPS are MB of live JS heap in the target; the snapshot is about 1.5x that (25 -> ~37 MB, 320 -> ~500 MB).
# 1024m is the heap the ./leakhound launcher gives commands that name no snapshot file.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/bench/lib.sh"
HERE="$ROOT/bench/capture"
JAR="$ROOT/leakhound-cli/target/leakhound.jar"
WORK="$ROOT/bench/work/capture"
HEAPS="${HEAPS:-25 320}"
REPS="${REPS:-3}"
XMX="${XMX:-1024m 64m}"
MIX="${MIX:-objects}"   # objects (many small ones, the default), concat or flat (strings): target.js --mix
TIME=/usr/bin/time

command -v node >/dev/null || { echo "bench: node is required" >&2; exit 1; }
[ -x "$TIME" ] || { echo "bench: $TIME (GNU time) is required for peak RSS" >&2; exit 1; }
if [ ! -f "$JAR" ]; then
  echo "bench: building $JAR" >&2
  (cd "$ROOT" && mvn -q -B -DskipTests package -pl leakhound-cli -am)
fi
mkdir -p "$WORK"
ROWS="$WORK/results.tsv"
printf 'heap_mb\tmethod\txmx\trep\tsnapshot_bytes\tnodes\tpaused_s\twall_s\tpeak_rss_kb\tcpu_s\theap_used\ttarget_rss_kb\ttarget_hwm_kb\n' > "$ROWS"

NODE_PID=""
trap 'bench_stop $NODE_PID' EXIT

bench_machine "heap mix: $MIX" > "$WORK/machine.txt"
cat "$WORK/machine.txt" >&2

for heap in $HEAPS; do
  for rep in $(seq 1 "$REPS"); do
    # --- in-process reference
    out=$(node --expose-gc "$HERE/target.js" --heap-mb "$heap" --mix "$MIX" --write "$WORK/v8.heapsnapshot")
    ms=$(node -e 'const o=JSON.parse(process.argv[1]); console.log((o.write_ms/1000).toFixed(2), o.bytes, o.heap_used, o.rss_kb, o.hwm_kb)' "$out")
    set -- $ms
    printf '%s\tv8.writeHeapSnapshot\t-\t%s\t%s\t-\t%s\t%s\t-\t-\t%s\t%s\t%s\n' "$heap" "$rep" "$2" "$1" "$1" "$3" "$4" "$5" >> "$ROWS"
    rm -f "$WORK/v8.heapsnapshot"
    echo "heap $heap MB rep $rep: v8.writeHeapSnapshot $1 s, $2 bytes, target RSS $4 kB, peak $5 kB" >&2

    # --- leakhound over the inspector, once per JVM heap setting
    for xmx in $XMX; do
      node --inspect=127.0.0.1:0 "$HERE/target.js" --heap-mb "$heap" --mix "$MIX" > "$WORK/target.out" 2> "$WORK/target.err" &
      NODE_PID=$!
      for _ in $(seq 1 600); do grep -q '"ready"' "$WORK/target.out" 2>/dev/null && break; sleep 0.1; done
      port=$(sed -n 's/.*Debugger listening on ws:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/target.err" | head -1)
      [ -n "$port" ] || { echo "bench: target did not start" >&2; exit 1; }
      used=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]).heap_used)' "$WORK/target.out")
      echo 5 > "/proc/$NODE_PID/clear_refs"
      trss=$(awk '/^VmRSS:/ {print $2}' "/proc/$NODE_PID/status")
      "$TIME" -f '%e %M %U %S' -o "$WORK/time.txt" java -Xmx"$xmx" -XX:+UseParallelGC -jar "$JAR" \
        snapshot --inspect "127.0.0.1:$port" -o "$WORK/lh.heapsnapshot" > "$WORK/lh.out" 2> "$WORK/lh.err"
      thwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$NODE_PID/status")
      read -r wall rss usr sys < <(tail -1 "$WORK/time.txt")
      cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
      bytes=$(stat -c %s "$WORK/lh.heapsnapshot")
      nodes=$(sed -n 's/.* MB, \([0-9,]*\) nodes.*/\1/p' "$WORK/lh.out" | tr -d ,)
      paused=$(sed -n 's/.*target paused \([0-9.]*\) s.*/\1/p' "$WORK/lh.out")
      printf '%s\tleakhound snapshot\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$heap" "$xmx" "$rep" "$bytes" "$nodes" "$paused" "$wall" "$rss" "$cpu" "$used" "$trss" "$thwm" >> "$ROWS"
      echo "heap $heap MB rep $rep: leakhound -Xmx$xmx wall $wall s, paused $paused s, peak RSS $rss KB, CPU $cpu s, $bytes bytes, target RSS $trss kB, peak $thwm kB" >&2
      kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=""
      rm -f "$WORK/lh.heapsnapshot"
    done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/machine.txt"

# Medians per (heap, method, xmx), as a markdown table.
node - "$ROWS" > "$WORK/summary.md" <<'EOF'
const fs = require('fs');
const lines = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n');
const head = lines.shift().split('\t');
const rows = lines.map(l => Object.fromEntries(l.split('\t').map((v, i) => [head[i], v])));
const groups = new Map();
for (const r of rows) {
  const k = [r.heap_mb, r.method, r.xmx].join('|');
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k).push(r);
}
const med = (xs) => { const s = xs.map(Number).filter(x => !isNaN(x)).sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const f = (x, d = 2) => (isNaN(x) ? '-' : x.toFixed(d));
console.log('| heap (MB) | method | JVM -Xmx | runs | snapshot (MB) | nodes | target paused (s) | wall (s) | MB/s (size / pause) | peak RSS (MB) | leakhound CPU (s) | target heapUsed (MB) | target RSS before (MB) | target peak RSS (MB) | extra (MB) | extra / heapUsed |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const [k, rs] of groups) {
  const [heap, method, xmx] = k.split('|');
  const mb = med(rs.map(r => r.snapshot_bytes)) / 1e6;
  const paused = med(rs.map(r => r.paused_s));
  const rss = med(rs.map(r => r.peak_rss_kb)) / 1024;
  const used = med(rs.map(r => r.heap_used)) / 1048576;
  const before = med(rs.map(r => r.target_rss_kb)) / 1024;
  const peak = med(rs.map(r => r.target_hwm_kb)) / 1024;
  const extra = med(rs.map(r => (r.target_hwm_kb - r.target_rss_kb))) / 1024;
  console.log(`| ${heap} | ${method} | ${xmx} | ${rs.length} | ${f(mb, 1)} | ${rs[0].nodes === '-' ? '-' : med(rs.map(r => r.nodes))} | ${f(paused)} | ${f(med(rs.map(r => r.wall_s)))} | ${f(mb / paused, 1)} | ${f(rss, 0)} | ${f(med(rs.map(r => r.cpu_s)))} | ${f(used, 0)} | ${f(before, 0)} | ${f(peak, 0)} | ${f(extra, 0)} | ${f(extra / used)} |`);
}
EOF
cat "$WORK/summary.md"
echo "rows: $ROWS" >&2
