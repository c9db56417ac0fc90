#!/bin/bash
# Zero-allocation check: after a warm-up, floods the jchrony server at RATE requests/s (default
# 200000, open loop from 64 sockets) for SECS (default 10) and reports
#  1. GC pauses during the flood (-Xlog:gc) and young-generation bytes used per reply
#     (jcmd GC.heap_info before/after; the window starts with an emptied eden), without JFR;
#  2. a second flood under a JFR "profile" recording: allocation samples by allocating frame.
# Usage: bench/gc-flood.sh   env: SECS, RATE, JCHRONY_LOOPS
source "$(dirname "$0")/common.sh"
SECS=${SECS:-10}; RATE=${RATE:-200000}
build
P=$(free_port)
start_jchrony "$P" -Xlog:gc:file="$WORK/gc.log"
wait_ntp "$P"
"$WORK/ntpload" 127.0.0.1 "$P" 8 0 64 > /dev/null   # warm-up (JIT)
heap_used_kb() { "$JAVA_HOME/bin/jcmd" "$JCHRONY_PID" GC.heap_info | sed -n 's/^ *\(DefNew\|def new generation\).*used \([0-9]*\)K.*/\2/p'; }
"$JAVA_HOME/bin/jcmd" "$JCHRONY_PID" GC.run > /dev/null # start the window with an empty eden
sleep 0.5
gc0=$(grep -c 'Pause' "$WORK/gc.log" || true); u0=$(heap_used_kb)
t0=$(cpu_ticks "$JCHRONY_PID")
out=$("$WORK/ntpload" 127.0.0.1 "$P" "$SECS" "$RATE" 64)
t1=$(cpu_ticks "$JCHRONY_PID")
u1=$(heap_used_kb); gc1=$(grep -c 'Pause' "$WORK/gc.log" || true)
valid=$(echo "$out" | field valid)
echo "flood: $out"
echo "server CPU during the flood: $(awk -v d=$((t1 - t0)) -v t="$(getconf CLK_TCK)" 'BEGIN{print d/t}') s"
echo "GC pauses during the ${SECS}s flood: $((gc1 - gc0))"
echo "young gen used: ${u0}K -> ${u1}K over $valid replies: $(awk -v a="$u0" -v b="$u1" -v v="$valid" 'BEGIN{printf "%.4f", (b-a)*1024/v}') bytes/reply (includes jcmd's own attach traffic)"
"$JAVA_HOME/bin/jcmd" "$JCHRONY_PID" JFR.start name=flood settings=profile filename="$WORK/flood.jfr" > /dev/null
sleep 1
out=$("$WORK/ntpload" 127.0.0.1 "$P" "$SECS" "$RATE" 64)
"$JAVA_HOME/bin/jcmd" "$JCHRONY_PID" JFR.stop name=flood > /dev/null
echo "JFR flood: $out"
echo "JFR allocation samples during the JFR flood (class, allocating frame, thread):"
"$JAVA_HOME/bin/jfr" print --events jdk.ObjectAllocationSample --stack-depth 2 "$WORK/flood.jfr" \
  | awk '/objectClass/ {c=$3} /eventThread/ {th=$3} /stackTrace/ {getline; f=$1; print c, f, th}' | sort | uniq -c | sort -rn | head -15
echo "GC log tail:"; tail -4 "$WORK/gc.log"
