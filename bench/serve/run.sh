#!/usr/bin/env bash
# `leakhound serve` benchmark: how fast each JSON endpoint answers at the server once a snapshot is open.
#
#   bench/serve/run.sh [RUNS]      (default 5 timed requests per endpoint after the first)
#
# Uses bench/work/s530*.heapsnapshot (bench/run.sh makes it; gitignored); SNAP=FILE measures another snapshot
# instead. Then, when bench/work/series-{1,2,3}.heapsnapshot are present (three snapshots of one growing process,
# gitignored; SERIES_DIR=DIR takes them from elsewhere, e.g. another checkout's bench/work, without copying),
# a second server on those three alone times Comparison (1 vs 3, 2 vs 3) and Leaks (find-leaks over the three):
# the first request computes them, later ones answer from what the server kept. SERIES_ONLY=1 skips the s530
# pass, SNAP_ONLY=1 the series. Without a snapshot it says so and exits 0. Indexes go to
# bench/work/index-cache (as bench/index/run.sh).
#
# Starts `leakhound serve --port 0` on the files, waits for its URL and for /api/snapshots to say "warm"
# (the views' first uses prepared in the background), then times every endpoint with curl (time_total, on
# 127.0.0.1): the first request (what is still computed on first use: a class's sort, the distances with an
# ignored retainer) and the median of RUNS more. Appends the table, the time to open the snapshots and the machine (nproc, memory, CPU
# model, load) to bench/serve/RESULTS.md (NO_RESULTS=1: print only). Stops the server it started.
# With Debian's chromium and the report tests' playwright-core installed (npm ci in
# leakhound-report/src/test/js), also times the page (bench/serve/page.mjs): load, expand the class with
# the most instances, page through 500 more, select one; those rows have the whole step in "first ms".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-5}"
WORK="$ROOT/bench/work"
SNAP="${SNAP:-$(ls "$WORK"/s530*.heapsnapshot 2>/dev/null | head -1)}"
SERIES_DIR="${SERIES_DIR:-$WORK}"
SERIES_FILES=("$SERIES_DIR/series-1.heapsnapshot" "$SERIES_DIR/series-2.heapsnapshot" "$SERIES_DIR/series-3.heapsnapshot")
SERIES=0
if [ -z "${SNAP_ONLY:-}" ] && [ -f "${SERIES_FILES[0]}" ] && [ -f "${SERIES_FILES[1]}" ] && [ -f "${SERIES_FILES[2]}" ]; then
  SERIES=1
fi
if [ -n "${SERIES_ONLY:-}" ]; then
  SNAP=""
fi
if { [ -z "$SNAP" ] || [ ! -f "$SNAP" ]; } && [ "$SERIES" = 0 ]; then
  echo "bench/serve: skipped: no bench/work/s530*.heapsnapshot (bench/run.sh --tools leakhound --runs 1 --no-results makes it; or SNAP=FILE) nor series"
  exit 0
fi
export LEAKHOUND_INDEX_DIR="${LEAKHOUND_INDEX_DIR:-$WORK/index-cache}"
mkdir -p "$WORK/logs"
cd "$ROOT"
./leakhound --version >/dev/null   # build first, outside the timings
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

OUT="$WORK/logs/serve.out"
ERR="$WORK/logs/serve.err"
PID=""
trap '[ -n "$PID" ] && { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }' EXIT
# start_server FILE...: starts leakhound serve, waits for its URL and for its views to be prepared; sets PID, URL,
# BASE, TOKEN, READY_S (URL printed) and WARM_S (views prepared), in seconds from the start
start_server() {
  T0=$(date +%s.%N)
  ./leakhound serve --port 0 "$@" >"$OUT" 2>"$ERR" &
  PID=$!
  URL=""
  for _ in $(seq 1 6000); do
    URL=$(grep -o 'http://127.0.0.1:[0-9]*/?token=[A-Za-z0-9_-]*' "$OUT" 2>/dev/null | head -1)
    [ -n "$URL" ] && break
    kill -0 "$PID" 2>/dev/null || { echo "leakhound serve exited:"; cat "$ERR"; exit 1; }
    sleep 0.2
  done
  [ -n "$URL" ] || { echo "no URL after 20 minutes"; cat "$ERR"; exit 1; }
  READY_S=$(echo "$(date +%s.%N) - $T0" | bc)
  BASE="${URL%%/?token=*}"
  TOKEN="${URL##*token=}"
  # the server prepares the views' first uses in the background; measure once it says it is done
  for _ in $(seq 1 6000); do
    [ "$(curl -s -H "X-Leakhound-Token: $TOKEN" "$BASE/api/snapshots" | jq -r .warm)" = true ] && break
    sleep 0.2
  done
  WARM_S=$(echo "$(date +%s.%N) - $T0" | bc)
}
stop_server() {
  RSS=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$PID/status" 2>/dev/null)
  # the JVM is a child of the ./leakhound script: its peak RSS, when the script execs it, is the script's
  for c in $(pgrep -P "$PID" 2>/dev/null); do
    r=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$c/status" 2>/dev/null)
    [ -n "$r" ] && [ "$r" -gt "${RSS:-0}" ] && RSS=$r
  done
  kill "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  PID=""
}

get() { curl -s -f -H "X-Leakhound-Token: $TOKEN" "$1"; }
# time URL: prints "cold_ms warm_median_ms status"
time_it() {
  local url="$1" cold t status times=()
  read -r cold status < <(curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -H "X-Leakhound-Token: $TOKEN" "$url")
  for _ in $(seq 1 "$RUNS"); do
    t=$(curl -s -o /dev/null -w '%{time_total}\n' -H "X-Leakhound-Token: $TOKEN" "$url")
    times+=("$t")
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%.0f %.0f %s\n' "$(echo "$cold * 1000" | bc)" "$(echo "$med * 1000" | bc)" "$status"
}

ROWS=()
row() {   # row LABEL URL
  local r
  r=$(time_it "$2")
  ROWS+=("$1|$r")
  echo "$1: $r"
}
MEM_GB=$(awk '/MemTotal/ {printf "%d", $2/1024/1024 + 0.5}' /proc/meminfo)
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
JAVA=$(java -version 2>&1 | head -1)
: > "$WORK/logs/serve-results.md"
table() {
  echo
  echo "| endpoint | first ms | warm ms | status |"
  echo "|---|---|---|---|"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r label nums <<<"$r"
    read -r c w st <<<"$nums"
    echo "| $label | $c | $w | $st |"
  done
}

if [ -n "$SNAP" ] && [ -f "$SNAP" ]; then
start_server "$SNAP"
S="$BASE/api/snapshots/0"
row "summary (first 100 classes)" "$S/summary?limit=100"

# what to ask about: the class with most instances, its biggest instance, that one's first retainer
SUMMARY=$(get "$S/summary?limit=1000")
BIG=$(jq -c '[.classes[]] | max_by(.count)' <<<"$SUMMARY")
BIG_ID=$(jq -r .classId <<<"$BIG"); BIG_NAME=$(jq -r .name <<<"$BIG"); BIG_COUNT=$(jq -r .count <<<"$BIG")
TOP_CLASS=$(jq -r '.classes[0].classId' <<<"$SUMMARY")
OBJ=$(get "$S/classes/$TOP_CLASS/instances?limit=1" | jq -r '.objects[0].id')
RET=$(get "$S/objects/$OBJ/retainers?limit=1" | jq -r '.edges[0].object.id // empty')
DOM=$(get "$S/dominators?limit=1" | jq -r '.root.children[0].id')
DEEP=$(( BIG_COUNT > 1000 ? BIG_COUNT - 100 : 0 ))

# first uses: the server computes these on the first request of each kind
row "summary filtered by class name" "$S/summary?filter=$(jq -rn --arg v "${BIG_NAME:0:6}" '$v|@uri')"
row "instances of $BIG_NAME (${BIG_COUNT}), first 100" "$S/classes/$BIG_ID/instances?limit=100"
row "instances of $BIG_NAME, 100 at offset $DEEP" "$S/classes/$BIG_ID/instances?offset=$DEEP&limit=100"
row "inspector (object @$OBJ)" "$S/objects/$OBJ"
row "retainers" "$S/objects/$OBJ/retainers"
[ -n "$RET" ] && row "retainers, ignoring @$RET (distances recomputed)" "$S/objects/$OBJ/retainers?ignore=$RET"
row "retainer path (k=1, what the page asks first)" "$S/objects/$OBJ/paths?k=1"
row "retainer paths (k=3)" "$S/objects/$OBJ/paths?k=3"
row "containment (root)" "$S/containment"
row "containment (object's edges)" "$S/objects/$OBJ/children"
row "dominators (root, 20 children)" "$S/dominators?limit=20"
row "dominators (below @$DOM)" "$S/dominators?id=$DOM&limit=20"
row "statistics" "$S/statistics"
row "diagnosis" "$S/diagnosis"
row "search by id" "$S/search?id=$OBJ"
row "search by string content" "$S/search?string=http&limit=50"
row "duplicated strings (first 100)" "$S/duplicates?limit=100"
DUP=$(get "$S/duplicates?limit=1" | jq -r '.strings[0].textId // empty')
[ -n "$DUP" ] && row "copies of the most wasteful duplicated string" "$S/duplicates/$DUP?limit=100"
# the page in headless Chromium, when the report tests' playwright-core is installed
if [ -x "${LEAKHOUND_CHROMIUM:-/usr/bin/chromium}" ] && [ -d "$ROOT/leakhound-report/src/test/js/node_modules/playwright-core" ]; then
  while IFS='|' read -r label ms; do
    [ -n "$ms" ] && ROWS+=("$label|$ms - browser") && echo "$label: $ms"
  done < <(node "$ROOT/bench/serve/page.mjs" "$URL" "$BIG_NAME" 2>>"$WORK/logs/serve-page.err")
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
SIZE_MB=$(( $(stat -c %s "$SNAP") / 1024 / 1024 ))
NODES=$(get "$S" | jq -r .nodes)
stop_server
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ): $(basename "$SNAP") ($SIZE_MB MiB, $NODES nodes)"
  echo
  echo "Machine: $(nproc) cores, $CPU, $MEM_GB GB RAM; $JAVA; load average before $LOAD_BEFORE, after $LOAD_AFTER (shared machine)."
  echo "URL printed (files opened from the index or parsed, dominator trees loaded) after ${READY_S%.*} s; views prepared"
  echo "in the background (Summary, statistics, instances by class, treemap, diagnosis) after ${WARM_S%.*} s; peak RSS ${RSS:-?} MB."
  echo "Each row, measured after that: the first request (what is still computed on first use: a class's sort, distances"
  echo "with an ignored retainer...) and the median of $RUNS more, curl's time_total on 127.0.0.1."
  table
} >> "$WORK/logs/serve-results.md"
fi

# ---- the series: Comparison and Leaks on a second server holding the three snapshots of one process
if [ "$SERIES" = 1 ]; then
  ROWS=()
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  start_server "${SERIES_FILES[@]}"
  SIZES=$(for f in "${SERIES_FILES[@]}"; do echo $(( $(stat -L -c %s "$f") / 1024 / 1024 )); done | paste -sd/ -)
  NODES=$(for i in 0 1 2; do get "$BASE/api/snapshots/$i" | jq -r .nodes; done | paste -sd/ -)
  row "comparison (series-1 vs series-3)" "$BASE/api/compare?base=0&target=2&limit=200"
  row "comparison (series-2 vs series-3)" "$BASE/api/compare?base=1&target=2&limit=200"
  row "leaks (find-leaks over the 3 files)" "$BASE/api/leaks"
  row "diagnosis of series-3" "$BASE/api/snapshots/2/diagnosis"
  row "summary of series-3, objects allocated since series-1" "$BASE/api/snapshots/2/summary?since=0&limit=100"
  LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
  stop_server
  {
    echo
    echo "## $(date -u +%Y-%m-%dT%H:%MZ): the series, series-1/2/3.heapsnapshot ($SIZES MiB, $NODES nodes)"
    echo
    echo "Machine: $(nproc) cores, $CPU, $MEM_GB GB RAM; $JAVA; load average before $LOAD_BEFORE, after $LOAD_AFTER (shared machine)."
    echo "One server on the three files: URL printed (opened from the index or parsed, dominator trees loaded) after"
    echo "${READY_S%.*} s; views prepared in the background (for each file) after ${WARM_S%.*} s; peak RSS ${RSS:-?} MB."
    echo "First ms: the request that computes the comparison or find-leaks; warm ms: the median of $RUNS more (kept)."
    table
  } >> "$WORK/logs/serve-results.md"
fi
cat "$WORK/logs/serve-results.md"
if [ -z "${NO_RESULTS:-}" ]; then
  [ -f "$ROOT/bench/serve/RESULTS.md" ] || printf '# leakhound serve benchmark results\n\nWritten by `bench/serve/run.sh` (see its header for what each row measures).\n' > "$ROOT/bench/serve/RESULTS.md"
  cat "$WORK/logs/serve-results.md" >> "$ROOT/bench/serve/RESULTS.md"
fi
