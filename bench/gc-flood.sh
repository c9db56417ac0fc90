#!/bin/bash
# Zero-allocation check: floods the jchrony server at RATE requests/s (default 200000) for SECS
# (default 10) after a warm-up, and reports GCs during the flood (from -Xlog:gc), the eden bytes
# used per request (jcmd GC.heap_info before/after) and a JFR allocation profile of the window.
# Usage: bench/gc-flood.sh   env: SECS, RATE, JCHRONY_LOOPS
source "$(dirname "$0")/common.sh"
SECS=${SECS:-10}; RATE=${RATE:-200000}
build
P=$(free_port)
start_jchrony "$P" -Xlog:gc:file="$WORK/gc.log"
wait_ntp "$P"
"$WORK/ntpload" 127.0.0.1 "$P" 8 0 64 > /dev/null   # warm-up (JIT)
"$JAVA_HOME/bin/jcmd" "$JCHRONY_PID" GC.run > /dev/null # start the window with an empty eden
sleep 0.5
gc0=$(grep -c 'Pause' "$WORK/gc.log" || true)
eden() { "$JAVA_HOME/bin/jcmd" "$JCHRONY_PID" GC.heap_info | awk '/eden space/ {for(i=1;i<=NF;i++) if($i=="used"||$i ~ /used$/) {}; print}' | sed -n 's/.*\([0-9]\+\)% used.*/\1/p;' ; }
heap_used_kb() { "$JAVA_HOME/bin/jcmd" "$JCHRONY_PID" GC.heap_info | sed -n 's/.*def new generation.*used \([0-9]*\)K.*/\1/p'; }
u0=$(heap_used_kb)
"$JAVA_HOME/bin/jcmd" "$JCHRONY_PID" JFR.start name=flood settings=profile filename="$WORK/flood.jfr" > /dev/null
out=$("$WORK/ntpload" 127.0.0.1 "$P" "$SECS" "$RATE" 64)
"$JAVA_HOME/bin/jcmd" "$JCHRONY_PID" JFR.stop name=flood > /dev/null
u1=$(heap_used_kb)
gc1=$(grep -c 'Pause' "$WORK/gc.log" || true)
valid=$(echo "$out" | field valid)
echo "load: $out"
echo "GC pauses during the ${SECS}s flood: $((gc1 - gc0))"
echo "young gen used: ${u0}K -> ${u1}K over $valid replies: $(awk -v a="$u0" -v b="$u1" -v v="$valid" 'BEGIN{printf "%.3f", (b-a)*1024/v}') bytes/reply (includes JFR's own allocation)"
echo "JFR allocation samples during the flood, by top application frame:"
"$JAVA_HOME/bin/jfr" print --events jdk.ObjectAllocationSample --stack-depth 3 "$WORK/flood.jfr" \
  | awk '/objectClass/ {c=$3} /stackTrace/ {getline; f=$1; print c, f}' | sort | uniq -c | sort -rn | head -15
echo "gc log: $(cat "$WORK/gc.log" | tail -3)"
