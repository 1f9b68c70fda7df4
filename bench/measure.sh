#!/usr/bin/env bash
# Runs one command and measures its wall time and peak resident memory.
#
#   bench/measure.sh LABEL COMMAND [ARGS...]
#
# The command's stdout/stderr go to bench/work/logs/LABEL.{out,err}. One summary line is printed
#   measure: label=L exit=N wall_s=S max_rss_mb=M user_s=U sys_s=Y
# and appended, tab-separated, to bench/work/measurements.tsv (date, label, exit, wall_s, max_rss_mb,
# user_s, sys_s, command). The exit status is the command's.
#
# Peak RSS comes from GNU time (`/usr/bin/time -v`, Debian package `time`): the largest maximum
# resident set size among the command and its descendants. Without GNU time, the script polls
# VmHWM in /proc/PID/status of the command and its descendants every 0.2 s (user/sys then "-");
# MEASURE_POLL=1 forces that method.
set -uo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -lt 2 ]; then
  echo "usage: bench/measure.sh LABEL COMMAND [ARGS...]" >&2
  exit 2
fi
label="$1"; shift
logs="$BENCH/work/logs"
mkdir -p "$logs"
out="$logs/$label.out"; err="$logs/$label.err"; tv="$logs/$label.time"

if [ -z "${MEASURE_POLL:-}" ] && [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
  /usr/bin/time -v -o "$tv" "$@" >"$out" 2>"$err"
  rc=$?
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.1f", s}' "$tv")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$tv")
  usr=$(awk -F': ' '/User time/ {print $2}' "$tv")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tv")
  # GNU time reports a signal death as "Command terminated by signal N" and exit 0 in -v output.
  if grep -q "Command terminated by signal" "$tv"; then
    sig=$(sed -n 's/.*Command terminated by signal \([0-9]*\).*/\1/p' "$tv")
    rc=$((128 + sig))
  fi
else
  descendants() { local p; for p in $(cat /proc/"$1"/task/*/children 2>/dev/null); do echo "$p"; descendants "$p"; done; }
  start=$(date +%s.%N)
  "$@" >"$out" 2>"$err" &
  pid=$!
  peak=0
  while kill -0 "$pid" 2>/dev/null; do
    for p in "$pid" $(descendants "$pid"); do
      kb=$(awk '/VmHWM/ {print $2}' /proc/"$p"/status 2>/dev/null)
      [ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb
    done
    sleep 0.2
  done
  wait "$pid"; rc=$?
  end=$(date +%s.%N)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b-a}')
  rss=$((peak / 1024)); usr=-; sys=-
fi

line="measure: label=$label exit=$rc wall_s=$wall max_rss_mb=$rss user_s=$usr sys_s=$sys"
echo "$line"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$label" "$rc" "$wall" "$rss" "$usr" "$sys" "$*" \
  >>"$BENCH/work/measurements.tsv"
exit "$rc"
