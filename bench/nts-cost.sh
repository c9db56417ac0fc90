#!/bin/sh
# NTS server cost of jchronyd beside chronyd 4.3 in the same run (docs/NTS.md, "Cost"):
# median round trip and server CPU per 1000 NTS replies, two rounds of N requests (default 20000).
# Usage: [N=20000] bench/nts-cost.sh
set -e
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q -o -Djchrony.deb.skip=true -DskipTests package
mvn -B -o -Djchrony.deb.skip=true failsafe:integration-test -Dit.test=NtsCostBench \
    -Djchrony.ntsBench.n="${N:-20000}" | grep -E "Tests run:|FAIL" | tail -1
grep NTSBENCH target/failsafe-reports/org.jchrony.it.NtsCostBench-output.txt
