#!/usr/bin/env bash
# Regenerates the HTML report screenshots under docs/: snapshots of a leaking example app, the
# analyze, find-leaks and diff reports from them, a watch of the app (./leakhound ... --html), then headless Chromium
# (leakhound-report/src/test/js/check-reports.mjs) checks each page and takes the screenshots.
#   scripts/html-screenshots.sh [EXAMPLES_DIR]     (default: examples/)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLES="${1:-$ROOT/examples}"
APP="$EXAMPLES/http-map-of-requests.js"
[ -f "$APP" ] || { echo "html-screenshots: $APP not found" >&2; exit 2; }
bash "$ROOT/scripts/setup-test-deps.sh"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# four snapshots, 4 s apart, of the app serving its own loopback traffic
LEAKHOUND_SERIES_DIR="$WORK/s" LEAKHOUND_SERIES_COUNT=4 LEAKHOUND_SERIES_WARMUP_MS=3000 LEAKHOUND_SERIES_INTERVAL_MS=4000 \
  node --expose-gc -r "$EXAMPLES/harness/series.js" "$APP" >/dev/null
S=("$WORK"/s/s1.heapsnapshot "$WORK"/s/s2.heapsnapshot "$WORK"/s/s3.heapsnapshot "$WORK"/s/s4.heapsnapshot)
"$ROOT/leakhound" analyze "${S[3]}" --html "$WORK/analyze.html" >/dev/null
"$ROOT/leakhound" find-leaks "${S[@]}" --html "$WORK/find-leaks.html" >/dev/null
"$ROOT/leakhound" diff "${S[0]}" "${S[3]}" --html "$WORK/diff.html" >/dev/null
# 20 s of the app under its self-load, a sample every 0.25 s and a forced full GC every second
"$ROOT/leakhound" watch --interval 0.25 --gc-every 1 --duration 20 --html "$WORK/watch.html" -- node "$APP" >/dev/null
# 6 s of the app's allocations, sampled live (the profile page: an allocation flame graph)
"$ROOT/leakhound" profile --duration 6 --interval 4096 --html "$WORK/profile.html" -- node "$APP" >/dev/null
mkdir -p "$ROOT/docs"
cat >"$WORK/manifest.json" <<JSON
{"reports": [
  {"file": "$WORK/analyze.html", "screenshot": "$ROOT/docs/html-analyze.png", "width": 1280, "height": 1250},
  {"file": "$WORK/analyze.html", "screenshot": "$ROOT/docs/html-analyze-dark.png", "dark": true, "width": 1280, "height": 1250},
  {"file": "$WORK/find-leaks.html", "screenshot": "$ROOT/docs/html-find-leaks.png", "width": 1280, "height": 1350},
  {"file": "$WORK/diff.html", "screenshot": "$ROOT/docs/html-diff.png", "width": 1280, "height": 1100},
  {"file": "$WORK/watch.html", "screenshot": "$ROOT/docs/html-watch.png", "width": 1280, "height": 1250},
  {"file": "$WORK/profile.html", "screenshot": "$ROOT/docs/html-profile.png", "width": 1280, "height": 1000}
]}
JSON
node "$ROOT/leakhound-report/src/test/js/check-reports.mjs" "$WORK/manifest.json"
ls -la "$ROOT"/docs/html-*.png
