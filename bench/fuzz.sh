#!/usr/bin/env bash
# Coverage-guided fuzzing of jchrony's decoders and responders with Jazzer (libFuzzer).
#   bench/fuzz.sh [TARGET...]     default: all targets; each runs for its @FuzzTest maxDuration (60 s)
#   ROUNDS=N bench/fuzz.sh        repeat every target N times, continuing from the grown corpus
# Targets: ntpPacket responder command candmReply config keyFile (src/test/java/org/jchrony/fuzz).
# Before a run the saved corpus src/test/resources/fuzz/TARGET/ seeds libFuzzer's working corpus
# (.cifuzz-corpus/...); after it, new inputs (those that grew coverage) are copied back under their
# SHA-1, so CorpusReplayTest replays them in every build. Findings (crash-*) are written by Jazzer
# into src/test/resources/org/jchrony/fuzz/JazzerFuzzTestInputs/TARGET/ and listed at the end.
# Prints one line per run: target, executions, coverage (libFuzzer cov = edges, ft = features), corpus size.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
ROUNDS=${ROUNDS:-1}
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(ntpPacket responder command candmReply config keyFile)
cd "$TOP"
mvn -B -q -o test-compile >&2
LOG=$(mktemp -d /tmp/jchrony-fuzz.XXXXXX)
printf '%-11s %5s %12s %8s %8s %7s %9s\n' target round execs cov ft corpus saved
for r in $(seq 1 "$ROUNDS"); do
  for t in "${TARGETS[@]}"; do
    work=".cifuzz-corpus/org.jchrony.fuzz.JazzerFuzzTest/$t"
    saved="src/test/resources/fuzz/$t"
    mkdir -p "$work" "$saved"
    cp -n "$saved"/* "$work"/ 2>/dev/null || true
    JAZZER_FUZZ=1 mvn -B -o surefire:test -Dtest="JazzerFuzzTest#$t" -DtrimStackTrace=false \
      > "$LOG/$t.$r.mvn.log" 2>&1 || true
    # libFuzzer reports on the fork's stderr, which ends up in the Maven log
    f="$LOG/$t.$r.mvn.log"
    last=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$f" | tail -1 || true)
    execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
    cov=$(grep -E '^#[0-9]+.*cov:' "$f" | tail -1 | sed -nE 's/.*cov: ([0-9]+).*/\1/p' || true)
    ft=$(grep -E '^#[0-9]+.*ft:' "$f" | tail -1 | sed -nE 's/.*ft: ([0-9]+).*/\1/p' || true)
    corp=$(sed -nE 's/.*corp: ([0-9]+)\/.*/\1/p' <<<"$last")
    n=0
    for f in "$work"/*; do
      [ -f "$f" ] || continue
      h=$(sha1sum "$f" | cut -c1-40)
      if ! cmp -s "$f" "$saved/$(basename "$f")" && [ ! -e "$saved/$h" ] && [[ "$(basename "$f")" != seed-* ]]; then
        cp "$f" "$saved/$h"; n=$((n + 1))
      fi
    done
    printf '%-11s %5s %12s %8s %8s %7s %9s\n' "$t" "$r" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "+$n"
  done
done
echo "logs: $LOG"
found=$(ls src/test/resources/org/jchrony/fuzz/JazzerFuzzTestInputs/*/crash-* 2>/dev/null || true)
if [ -n "$found" ]; then echo "FINDINGS:"; echo "$found"; exit 1; fi
echo "findings: none"
