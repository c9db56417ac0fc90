#!/bin/bash
# Same-run comparison of several jchronyd variants with Debian's chronyd 4.3 on loopback: each
# round runs (a) closed loop, 64 outstanding requests, and (b) 1000 requests/s, against chronyd
# and then against every variant, so all see the same machine load; prints per-round ratios to
# chronyd and, at the end, the median of each ratio per variant.
# Usage: bench/compare.sh 'LABEL=COMMAND [JVM OPTIONS...]' ...
#   COMMAND is a jchronyd launcher (bin/jchronyd, or a copy of an older build's bin/), started as
#   "COMMAND -n -x -f CONF" with the same config lines as chronyd; JVM options go through
#   JCHRONY_JAVA_OPTS, e.g. 'c2=bin/jchronyd' with JCHRONY_TIER=4 set by the caller applies to all,
#   'oneloop=bin/jchronyd -Djchrony.serverLoops=1' to one.
# env: SECS (8), ROUNDS (3); SERVER_CPU / CLIENT_CPU (e.g. 1 / 0): pin the servers and the load
# generator to those CPUs with taskset, so that they never share one (as on a real network) and
# the scheduler's choices move the figures less
source "$(dirname "$0")/common.sh"
SECS=${SECS:-8}; ROUNDS=${ROUNDS:-3}
PIN_SERVER=""; PIN_CLIENT=""
[ -n "${SERVER_CPU:-}" ] && PIN_SERVER="taskset -c $SERVER_CPU"
[ -n "${CLIENT_CPU:-}" ] && PIN_CLIENT="taskset -c $CLIENT_CPU"
TCK=$(getconf CLK_TCK)
[ $# -ge 1 ] || { echo "usage: $0 'LABEL=COMMAND [JVM OPTIONS...]' ..." >&2; exit 2; }
gcc -O2 -o "$WORK/ntpload" "$NTPLOAD_SRC" -lm
P0=$(free_port)
printf 'port %s\nallow 127.0.0.0/8\nlocal stratum 10\ncmdport 0\nbindcmdaddress /\npidfile %s/chronyd.pid\ndriftfile %s/drift\n' \
  "$P0" "$WORK" "$WORK" > "$WORK/chronyd.conf"
$PIN_SERVER "$CHRONYD" -d -x -u root -f "$WORK/chronyd.conf" > "$WORK/chronyd.log" 2>&1 &
CHRONYD_PID=$!; PIDS+=("$CHRONYD_PID")
wait_ntp "$P0"
LABELS=(); VPIDS=(); VPORTS=()
for spec in "$@"; do
  label=${spec%%=*}; rest=${spec#*=}; cmd=${rest%% *}; opts=""; [ "$cmd" != "$rest" ] && opts=${rest#* }
  port=$(free_port); conf="$WORK/$label.conf"
  printf 'port %s\nallow 127.0.0.0/8\nlocal stratum 10\ncmdport 0\nbindcmdaddress /\npidfile %s/%s.pid\n' "$port" "$WORK" "$label" > "$conf"
  JCHRONY_JAVA_OPTS="$opts" $PIN_SERVER $cmd -n -x -f "$conf" > "$WORK/$label.log" 2>&1 &
  VPIDS+=($!); PIDS+=($!); VPORTS+=("$port"); LABELS+=("$label")
done
for p in "${VPORTS[@]}"; do wait_ntp "$p"; "$WORK/ntpload" 127.0.0.1 "$p" 5 0 64 > /dev/null; done  # JIT warm-up
echo "$(nproc) cpus; load $(cut -d' ' -f1-3 /proc/loadavg); servers on CPU ${SERVER_CPU:-any}, load generator on CPU ${CLIENT_CPU:-any}; variants: $*"
closed() { # pid port -> "rate cpu_s_per_million"
  local t0 t1 out valid
  t0=$(cpu_ticks "$1"); out=$($PIN_CLIENT "$WORK/ntpload" 127.0.0.1 "$2" "$SECS" 0 64); t1=$(cpu_ticks "$1")
  valid=$(echo "$out" | field valid)
  echo "$(echo "$out" | field reply_rate) $(awk -v d=$((t1 - t0)) -v t="$TCK" -v v="$valid" 'BEGIN{printf "%.3f", d / t / v * 1e6}')"
}
paced() { local out; out=$($PIN_CLIENT "$WORK/ntpload" 127.0.0.1 "$1" "$SECS" 1000 16); echo "$(echo "$out" | field offset_med_us) $(echo "$out" | field delay_med_us)"; }
RES="$WORK/results"; : > "$RES"
for r in $(seq "$ROUNDS"); do
  read -r cr cc < <(closed "$CHRONYD_PID" "$P0")
  read -r co cd < <(paced "$P0")
  echo "round $r chronyd: closed64 ${cr}/s ${cc} CPU-s/M; 1000/s offset ${co} us delay ${cd} us; load $(cut -d' ' -f1 /proc/loadavg)"
  for k in "${!LABELS[@]}"; do
    read -r jr jc < <(closed "${VPIDS[$k]}" "${VPORTS[$k]}")
    read -r jo jd < <(paced "${VPORTS[$k]}")
    awk -v l="${LABELS[$k]}" -v r="$r" -v cr="$cr" -v jr="$jr" -v cc="$cc" -v jc="$jc" -v co="$co" -v jo="$jo" -v cd="$cd" -v jd="$jd" 'BEGIN{
      printf "round %d %s: closed64 %.0f/s (ratio %.2f) %.2f CPU-s/M (ratio %.2f); 1000/s offset %.2f us (diff %+.2f) delay %.2f us (diff %+.2f)\n", r, l, jr, jr/cr, jc, jc/cc, jo, jo-co, jd, jd-cd }'
    awk -v l="${LABELS[$k]}" -v cr="$cr" -v jr="$jr" -v cc="$cc" -v jc="$jc" -v co="$co" -v jo="$jo" -v cd="$cd" -v jd="$jd" \
      'BEGIN{ printf "%s %.4f %.4f %.3f %.3f\n", l, jr/cr, jc/cc, jo-co, jd-cd }' >> "$RES"
  done
done
echo "medians over $ROUNDS rounds (load now $(cut -d' ' -f1-3 /proc/loadavg)):"
for l in "${LABELS[@]}"; do
  med() { grep "^$l " "$RES" | awk -v c="$1" '{print $c}' | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  printf "  %-12s rate ratio %.2f  CPU/reply ratio %.2f  offset diff %+.2f us  delay diff %+.2f us\n" "$l" "$(med 2)" "$(med 3)" "$(med 4)" "$(med 5)"
done
