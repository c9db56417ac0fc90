#!/usr/bin/env bash
# Soak: the real daemon (bin/jchronyd -d -x) follows an upstream (Debian chronyd, local stratum 1,
# -x, on loopback) while ntpload floods it at LOAD (0.8) x its measured maximum from NSRC (512)
# loopback addresses (127.0.1.1...), plus one heavy hitter (127.0.3.1) far above the per-address
# rate limit. Every WINDOW seconds: reply rate of the flood, RSS, and the discipline's last offset
# and frequency (chronyc tracking). At the end: the heavy hitter's reply rate (rate limiting per
# address), GC pauses from -Xlog:gc, and a summary.
#   bench/soak.sh                 DURATION=60 s by default
#   DURATION=600 bench/soak.sh    the documented 10-minute run
# At the end the same heavy hitter runs 10 s against the upstream chronyd 4.3, which has the same
# ratelimit, for chronyd's share.
# Env: DURATION (60), WINDOW (10), LOAD (0.8), NSRC (512), HEAVY_RATE (2000), RATELIMIT
# ("interval -8 burst 16 leak 2": ~256 req/s per address, 1 in 4 answered above it).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DURATION=${DURATION:-60}; WINDOW=${WINDOW:-10}; LOAD=${LOAD:-0.8}; NSRC=${NSRC:-512}; HEAVY_RATE=${HEAVY_RATE:-2000}
RATELIMIT=${RATELIMIT:-interval -8 burst 16 leak 2}
gcc -O2 -o "$WORK/ntpload" "$NTPLOAD_SRC" -lm
(cd "$TOP" && mvn -q -B -o -Djchrony.deb.skip=true -DskipTests package >&2)

UP=$(free_port); PORT=$(free_port)
# the upstream has the same ratelimit (jchronyd polls it once a second, far below the limit), so that
# the heavy hitter can be measured against chronyd's share at the end
printf 'port %s\nbindaddress 127.0.0.1\nallow 127.0.0.0/8\nratelimit %s\nlocal stratum 1\ncmdport 0\npidfile %s/up.pid\n' \
  "$UP" "$RATELIMIT" "$WORK" > "$WORK/up.conf"
"$CHRONYD" -d -x -u root -f "$WORK/up.conf" > "$WORK/up.log" 2>&1 &
PIDS+=($!)
cat > "$WORK/j.conf" <<CONF
port $PORT
bindaddress 127.0.0.1
allow 127.0.0.0/8
ratelimit $RATELIMIT
clientloglimit 16777216
server 127.0.0.1 port $UP iburst minpoll 0 maxpoll 2
makestep 0.1 3
cmdport 0
bindcmdaddress $WORK/run/chronyd.sock
pidfile $WORK/j.pid
driftfile $WORK/drift
CONF
mkdir -m 700 "$WORK/run"
JCHRONY_JAVA_OPTS="-Xlog:gc:file=$WORK/gc.log:uptime" "$TOP/bin/jchronyd" -d -x -f "$WORK/j.conf" > "$WORK/j.log" 2>&1 &
JPID=$!; PIDS+=("$JPID")
wait_ntp "$PORT"
chronyc_() { /usr/bin/chronyc -h "$WORK/run/chronyd.sock" "$@" 2>/dev/null; }
for _ in $(seq 40); do chronyc_ -n sources | grep -q '^\^\*' && break; sleep 0.5; done
echo "synchronised: $(chronyc_ -n sources | grep '^\^' | head -1)"
sleep 10   # a few more samples before the "before" picture
echo "before: tracking: $(chronyc_ -c tracking)"
echo "before: serverstats: $(chronyc_ serverstats | head -2 | tr '\n' ';')"
echo "before: sourcestats: $(chronyc_ -n sourcestats | grep '^127')"

# maximum: closed loop, one request outstanding per address from NSRC addresses (127.0.5.1...), so
# that the per-address rate limit does not cap the measurement
MAX=$("$WORK/ntpload" 127.0.0.1 "$PORT" 5 0 "$NSRC" 127.0.5.0 | field reply_rate)
RATE=$(awk -v m="$MAX" -v l="$LOAD" 'BEGIN{printf "%d", m*l}')
echo "max_reply_rate=$MAX flood_rate=$RATE ($LOAD x) from $NSRC addresses, $(awk -v r="$RATE" -v n="$NSRC" 'BEGIN{printf "%.0f", r/n}') req/s each"

GC_AT_START=$(wc -l < "$WORK/gc.log")   # start-up and the max measurement are not the soak
"$WORK/ntpload" 127.0.0.1 "$PORT" "$DURATION" "$HEAVY_RATE" 1 127.0.3.0 > "$WORK/heavy.txt" &
HEAVY=$!; PIDS+=("$HEAVY")
printf '%6s %10s %10s %8s %8s %12s %10s %8s\n' t_s send_rate reply_rate loss_% rss_MB last_off_us freq_ppm load1
t=0
while [ "$t" -lt "$DURATION" ]; do
  out=$("$WORK/ntpload" 127.0.0.1 "$PORT" "$WINDOW" "$RATE" "$NSRC" 127.0.1.0)
  t=$((t + WINDOW))
  rss=$(awk '/VmRSS/{printf "%.1f", $2/1024}' "/proc/$JPID/status")
  tr=$(chronyc_ -c tracking)
  off=$(awk -F, '{printf "%.1f", $6*1e6}' <<<"$tr"); freq=$(awk -F, '{printf "%.3f", $8}' <<<"$tr")
  printf '%6s %10s %10s %8s %8s %12s %10s %8s\n' "$t" "$(field send_rate <<<"$out")" "$(field reply_rate <<<"$out")" \
    "$(field loss <<<"$out")" "$rss" "$off" "$freq" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$WORK/windows.txt"
  if [ "$t" -eq $(( (DURATION / WINDOW / 2) * WINDOW )) ]; then
    echo "during: tracking: $(chronyc_ -c tracking)"
    echo "during: sourcestats: $(chronyc_ -n sourcestats | grep '^127')"
  fi
done
# per-window reply rate, RSS and offset: min / median / max
for col in 3:reply_rate 5:rss_MB 6:last_off_us 7:freq_ppm 8:load1; do
  sort -g -k"${col%%:*}" "$WORK/windows.txt" | awk -v c="${col%%:*}" -v n="${col#*:}" \
    '{v[NR]=$c} END {printf "%s per %ss window: min %s median %s max %s (%d windows)\n", n, '"$WINDOW"', v[1], v[int((NR+1)/2)], v[NR], NR}'
done
echo "after: sourcestats: $(chronyc_ -n sourcestats | grep '^127')"
wait "$HEAVY" || true
echo "heavy hitter (1 address at $HEAVY_RATE req/s, ratelimit $RATELIMIT): $(cat "$WORK/heavy.txt")"
echo "same heavy hitter against chronyd 4.3 with the same ratelimit (10 s): $("$WORK/ntpload" 127.0.0.1 "$UP" 10 "$HEAVY_RATE" 1 127.0.4.0)"
echo "serverstats: $(chronyc_ serverstats | tr '\n' ';')"
gcsum() { awk '/Pause/ {v=$NF; sub("ms","",v); v+=0; n++; s+=v; if (v>m) m=v; if (v>10) big++} END {printf "%d pauses, max %.3f ms, mean %.3f ms, >10 ms: %d\n", n, m, (n?s/n:0), big+0}'; }
echo "gc during the soak: $(tail -n +"$((GC_AT_START + 1))" "$WORK/gc.log" | gcsum)"
echo "gc in start-up (before the flood): $(head -n "$GC_AT_START" "$WORK/gc.log" | gcsum)"
echo "sources: $(chronyc_ -n sources | grep '^\^')"
