#!/bin/bash
# Compares jchrony's NTP serving with Debian's chronyd 4.3 in the same run, on loopback:
#  (a) closed loop, 64 outstanding requests: replies/s and CPU-seconds per million replies
#  (b) 1000 requests/s: the median offset and delay a client computes
# Usage: bench/run.sh   env: SECS (default 10), ROUNDS (2), JCHRONY_LOOPS (2), JCHRONY_CMD (see common.sh)
source "$(dirname "$0")/common.sh"
SECS=${SECS:-10}; ROUNDS=${ROUNDS:-2}
TCK=$(getconf CLK_TCK)
build
P1=$(free_port); P2=$(free_port)
start_chronyd "$P1"; start_jchrony "$P2"
wait_ntp "$P1"; wait_ntp "$P2"
echo "chronyd pid $CHRONYD_PID port $P1; jchrony pid $JCHRONY_PID port $P2; $(nproc) cpus; load $(cut -d' ' -f1-3 /proc/loadavg)"
# JIT warm-up of jchrony (not measured)
"$WORK/ntpload" 127.0.0.1 "$P2" 5 0 64 > /dev/null

closed() { # name pid port
  local t0 t1 out valid rate cpu
  t0=$(cpu_ticks "$2"); out=$("$WORK/ntpload" 127.0.0.1 "$3" "$SECS" 0 64); t1=$(cpu_ticks "$2")
  valid=$(echo "$out" | field valid); rate=$(echo "$out" | field reply_rate)
  cpu=$(awk -v d=$((t1 - t0)) -v t="$TCK" -v v="$valid" 'BEGIN{printf "%.3f", d / t / v * 1e6}')
  echo "$1 closed64: reply_rate=$rate cpu_s_per_million=$cpu cpu_s=$(awk -v d=$((t1 - t0)) -v t="$TCK" 'BEGIN{print d/t}') | $out" >&2
  echo "$rate $cpu"
}
paced() { # name port
  local out; out=$("$WORK/ntpload" 127.0.0.1 "$2" "$SECS" 1000 16)
  echo "$1 rate1000: $out" >&2
  echo "$(echo "$out" | field offset_med_us) $(echo "$out" | field delay_med_us)"
}
for r in $(seq "$ROUNDS"); do
  read -r cr cc < <(closed chronyd "$CHRONYD_PID" "$P1")
  read -r jr jc < <(closed jchrony "$JCHRONY_PID" "$P2")
  read -r co cd < <(paced chronyd "$P1")
  read -r jo jd < <(paced jchrony "$P2")
  awk -v r="$r" -v cr="$cr" -v jr="$jr" -v cc="$cc" -v jc="$jc" -v co="$co" -v jo="$jo" -v cd="$cd" -v jd="$jd" 'BEGIN{
    printf "round %d: closed64 replies/s chronyd %.0f jchrony %.0f (ratio %.2f); CPU-s/million chronyd %.2f jchrony %.2f (ratio %.2f)\n", r, cr, jr, jr/cr, cc, jc, jc/cc;
    printf "round %d: 1000/s median offset us chronyd %.2f jchrony %.2f (diff %+.2f); median delay us chronyd %.2f jchrony %.2f (diff %+.2f)\n", r, co, jo, jo-co, cd, jd, jd-cd }'
done
