#!/usr/bin/env bash
# What each live command costs the target's event loop: the largest gap between a 1 ms timer's ticks in
# the target (bench/capture/pause-target.js) while the command runs, against the same window with no
# command. REPS rounds; prints one TSV row per round and command to stdout.
#
#   REPS=5 bench/capture/pauses.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/capture"
JAR="$ROOT/leakhound-cli/target/leakhound.jar"
WORK="$ROOT/bench/work/pauses"
REPS="${REPS:-5}"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B -DskipTests package -pl leakhound-cli -am)
mkdir -p "$WORK"
NODE_PID=""
cleanup() { if [ -n "$NODE_PID" ]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT

# a fake cgroup whose limit leaves 1 MB: the snapshot is refused after the headroom check
FAKE="$WORK/fakeroot"
mkdir -p "$FAKE/proc/self" "$FAKE/sys/fs/cgroup/p"
echo "0::/p" > "$FAKE/proc/self/cgroup"
echo "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw" > "$FAKE/proc/self/mountinfo"
echo $((300 * 1024 * 1024)) > "$FAKE/sys/fs/cgroup/p/memory.max"
echo $((299 * 1024 * 1024)) > "$FAKE/sys/fs/cgroup/p/memory.current"

node --inspect=127.0.0.1:0 "$HERE/pause-target.js" > "$WORK/target.out" 2> "$WORK/target.err" &
NODE_PID=$!
for _ in $(seq 1 300); do grep -q '^ready' "$WORK/target.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*Debugger listening on ws:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/target.err" | head -1)
lh() { java -XX:TieredStopAtLevel=1 -jar "$JAR" "$@" --inspect "127.0.0.1:$port" > /dev/null 2>&1 || true; }
# the largest gap since the previous call
gap() {
  local n; n=$(grep -c max-gap "$WORK/target.out" || true)
  kill -USR2 "$NODE_PID"
  for _ in $(seq 1 100); do [ "$(grep -c max-gap "$WORK/target.out" || true)" -gt "$n" ] && break; sleep 0.05; done
  grep max-gap "$WORK/target.out" | tail -1 | cut -d' ' -f2
}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf 'rep\tcommand\tmax_gap_ms\n'
gap > /dev/null
for rep in $(seq 1 "$REPS"); do
  sleep 3; printf '%s\tnone (3 s idle)\t%s\n' "$rep" "$(gap)"
  lh snapshot --proc-root "$FAKE" -o "$WORK/refused.heapsnapshot"; printf '%s\tsnapshot refused by the headroom check\t%s\n' "$rep" "$(gap)"
  lh watch --interval 1 --duration 3; printf '%s\twatch --interval 1, 3 s\t%s\n' "$rep" "$(gap)"
  lh snapshot -o "$WORK/taken.heapsnapshot"; printf '%s\tsnapshot (%s MB)\t%s\n' "$rep" "$(( $(stat -c %s "$WORK/taken.heapsnapshot") / 1000000 ))" "$(gap)"
  rm -f "$WORK/taken.heapsnapshot"
done
# arm last: Node takes it once per process
lh arm; printf '%s\tarm\t%s\n' 1 "$(gap)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
