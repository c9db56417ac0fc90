#!/bin/bash
# Cost and precision of reading CLOCK_REALTIME from Java: Instant.now() vs the FFM clock_gettime.
source "$(dirname "$0")/common.sh"
build
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$CP" org.jchrony.net.bench.ClockReadBench "${1:-20}"
