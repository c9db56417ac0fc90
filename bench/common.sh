# Shared by the bench scripts: build, classpath, load generator, free ports, server start/stop.
# Sourced, not run. Needs: gcc, mvn, JDK 25, Debian's chronyd 4.3.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$BENCH_DIR")
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
case "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" in *\"2[5-9]*|*\"3[0-9]*) ;; *) JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64;; esac
export JAVA_HOME
NTPLOAD_SRC=${NTPLOAD_SRC:-/work/shared/tools/ntpload.c}
CHRONYD=${CHRONYD:-/usr/sbin/chronyd}
WORK=$(mktemp -d /tmp/jchrony-bench.XXXXXX)
chmod 700 "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

build() {
  gcc -O2 -o "$WORK/ntpload" "$NTPLOAD_SRC" -lm
  (cd "$TOP" && mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2)
  CP="$TOP/target/classes:$TOP/target/test-classes:$(cat "$WORK/cp.txt")"
}

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_chronyd PORT -> sets CHRONYD_PID
start_chronyd() {
  local port=$1 conf="$WORK/chronyd.conf"
  printf 'port %s\nallow 127.0.0.0/8\nlocal stratum 10\ncmdport 0\nbindcmdaddress /\npidfile %s/chronyd.pid\ndriftfile %s/drift\n' \
    "$port" "$WORK" "$WORK" > "$conf"
  "$CHRONYD" -d -x -u root -f "$conf" > "$WORK/chronyd.log" 2>&1 &
  CHRONYD_PID=$!; PIDS+=("$CHRONYD_PID")
}

# start_jchrony PORT [EXTRA_JVM_OPTS...] -> sets JCHRONY_PID.
# JCHRONY_CMD (e.g. bin/jchronyd) runs "$JCHRONY_CMD $JCHRONY_ARGS CONF" (default args "-n -x -f"; it must
# stay in the foreground so that $! is its PID) with the same config lines as chronyd;
# unset, the stand-in server main from src/test (jchrony's sockets + a minimal responder) runs.
start_jchrony() {
  local port=$1; shift
  if [ -n "${JCHRONY_CMD:-}" ]; then
    local conf="$WORK/jchrony.conf"
    printf 'port %s\nallow 127.0.0.0/8\nlocal stratum 10\ncmdport 0\nbindcmdaddress /\npidfile %s/jchronyd.pid\n' "$port" "$WORK" > "$conf"
    JCHRONY_JAVA_OPTS="$*" $JCHRONY_CMD ${JCHRONY_ARGS:--n -x -f} "$conf" > "$WORK/jchrony.log" 2>&1 &
  else
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms8m -Xmx64m -Xss512k \
      -Dlogback.configurationFile="$BENCH_DIR/logback-bench.xml" "$@" \
      -cp "$CP" org.jchrony.net.bench.BenchNtpServer "$port" "${JCHRONY_LOOPS:-2}" > "$WORK/jchrony.log" 2>&1 &
  fi
  JCHRONY_PID=$!; PIDS+=("$JCHRONY_PID")
}

# wait_ntp PORT: until the server answers
wait_ntp() {
  for _ in $(seq 50); do
    if "$WORK/ntpload" 127.0.0.1 "$1" 0.2 100 1 | grep -q 'valid=[1-9]'; then return 0; fi
    sleep 0.2
  done
  echo "server on port $1 does not answer" >&2; return 1
}

# cpu_ticks PID: utime+stime of the process (all threads), in clock ticks
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
field() { sed -n "s/.*$1=\([-0-9.]*\).*/\1/p"; }
