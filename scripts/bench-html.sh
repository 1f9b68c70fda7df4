#!/usr/bin/env bash
# HTML report benchmark: the analyze report of a ~500 MB snapshot must stay under 10 MB and draw in
# headless Chromium in under 3 s. Prints the machine, the sizes and the times; exits 1 if a limit is
# missed. Results are recorded in docs/html-benchmark.md.
#   scripts/bench-html.sh [SNAPSHOT]    (default: generates one with scripts/bench-html-snapshot.js)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
bash "$ROOT/scripts/setup-test-deps.sh" >/dev/null
SNAP="${1:-}"
if [ -z "$SNAP" ]; then
  SNAP="$WORK/bench.heapsnapshot"
  node --max-old-space-size=8192 "$ROOT/scripts/bench-html-snapshot.js" "$SNAP" >/dev/null
fi
t0=$(date +%s%N)
"$ROOT/leakhound" analyze "$SNAP" --html "$WORK/analyze.html" >/dev/null 2>&1
t1=$(date +%s%N)
html_bytes=$(stat -c %s "$WORK/analyze.html")
cat >"$WORK/manifest.json" <<JSON
{"reports": [{"file": "$WORK/analyze.html"}, {"file": "$WORK/analyze.html"}, {"file": "$WORK/analyze.html"}]}
JSON
node "$ROOT/leakhound-report/src/test/js/check-reports.mjs" "$WORK/manifest.json" >"$WORK/draw.log"
draws=$(grep -o '"drawnMs":[0-9]*' "$WORK/draw.log" | cut -d: -f2 | tr '\n' ' ')
worst=$(echo "$draws" | tr ' ' '\n' | sort -n | tail -1)
echo "machine:   $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(chromium --version 2>/dev/null | head -1)"
echo "snapshot:  $(stat -c %s "$SNAP") bytes ($SNAP)"
echo "analyze:   $(( (t1 - t0) / 1000000 )) ms including --html (./leakhound, JVM start and build check included)"
echo "report:    $html_bytes bytes (limit 10485760)"
echo "drawn in:  $draws ms (three loads in headless Chromium, navigation start to data-ready; limit 3000)"
tail -1 "$WORK/draw.log"
if [ "$html_bytes" -ge 10485760 ] || [ "$worst" -ge 3000 ]; then
  echo "FAIL: over a limit"
  exit 1
fi
echo "PASS"
