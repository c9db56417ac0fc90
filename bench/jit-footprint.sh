#!/bin/bash
# Memory cost of JIT choices: runs jchronyd variants side by side, each following four sources
# (one upstream chronyd -x on loopback listed as 127.0.0.1-127.0.0.4, iburst, as
# packaging/measure-footprint.py does), and reports VmRSS after IDLE seconds (default 60), then
# after a closed-loop NTP load of LOAD seconds (default 10, 64 outstanding) on each, then the
# CPU-seconds per million replies of that load.
# Usage: bench/jit-footprint.sh 'LABEL=COMMAND [JVM OPTIONS...]' ...   (as bench/compare.sh)
# env: IDLE (60), LOAD (10)
source "$(dirname "$0")/common.sh"
IDLE=${IDLE:-60}; LOAD=${LOAD:-10}
TCK=$(getconf CLK_TCK)
gcc -O2 -o "$WORK/ntpload" "$NTPLOAD_SRC" -lm
UP=$(free_port)
printf 'port %s\nallow 127.0.0.0/8\nlocal stratum 8\ncmdport 0\nbindcmdaddress /\npidfile %s/up.pid\n' "$UP" "$WORK" > "$WORK/up.conf"
"$CHRONYD" -d -x -u root -f "$WORK/up.conf" > "$WORK/up.log" 2>&1 & PIDS+=($!)
LABELS=(); VPIDS=(); VPORTS=()
for spec in "$@"; do
  label=${spec%%=*}; rest=${spec#*=}; cmd=${rest%% *}; opts=""; [ "$cmd" != "$rest" ] && opts=${rest#* }
  port=$(free_port); conf="$WORK/$label.conf"
  { printf 'port %s\nallow 127.0.0.0/8\ncmdport 0\nbindcmdaddress /\npidfile %s/%s.pid\n' "$port" "$WORK" "$label"
    for i in 1 2 3 4; do printf 'server 127.0.0.%s port %s iburst minpoll 2 maxpoll 4\n' "$i" "$UP"; done; } > "$conf"
  JCHRONY_JAVA_OPTS="$opts" $cmd -n -x -f "$conf" > "$WORK/$label.log" 2>&1 &
  VPIDS+=($!); PIDS+=($!); VPORTS+=("$port"); LABELS+=("$label")
done
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
threads() { awk '/Threads/ {print $2}' "/proc/$1/status"; }
sleep "$IDLE"
echo "load $(cut -d' ' -f1-3 /proc/loadavg); RSS after ${IDLE}s with 4 sources:"
for k in "${!LABELS[@]}"; do echo "  ${LABELS[$k]}: $(rss "${VPIDS[$k]}") MB, $(threads "${VPIDS[$k]}") threads"; done
for k in "${!LABELS[@]}"; do
  t0=$(cpu_ticks "${VPIDS[$k]}"); out=$("$WORK/ntpload" 127.0.0.1 "${VPORTS[$k]}" "$LOAD" 0 64); t1=$(cpu_ticks "${VPIDS[$k]}")
  v=$(echo "$out" | field valid)
  echo "  ${LABELS[$k]}: ${LOAD}s closed-loop load: $(echo "$out" | field reply_rate) replies/s, $(awk -v d=$((t1 - t0)) -v t="$TCK" -v v="$v" 'BEGIN{printf "%.2f", d / t / v * 1e6}') CPU-s/M"
done
sleep 2
echo "RSS after the load (load $(cut -d' ' -f1-3 /proc/loadavg)):"
for k in "${!LABELS[@]}"; do echo "  ${LABELS[$k]}: $(rss "${VPIDS[$k]}") MB, $(threads "${VPIDS[$k]}") threads"; done
