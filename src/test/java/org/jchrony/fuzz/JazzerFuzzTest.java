package org.jchrony.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz tests (Jazzer + libFuzzer). In the regular test run (no JAZZER_FUZZ) each
 * method only replays its inputs under {@code src/test/resources/org/jchrony/fuzz/JazzerFuzzTestInputs/};
 * {@link CorpusReplayTest} replays the saved corpora in {@code src/test/resources/fuzz/}. Fuzz one
 * target for real with {@code bench/fuzz.sh TARGET SECONDS} (JAZZER_FUZZ=1).
 */
class JazzerFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void ntpPacket(byte[] data) {
        FuzzTargets.ntpPacket(data);
    }

    @FuzzTest(maxDuration = "60s")
    void responder(byte[] data) {
        FuzzTargets.responder(data);
    }

    @FuzzTest(maxDuration = "60s")
    void command(byte[] data) {
        FuzzTargets.command(data);
    }

    @FuzzTest(maxDuration = "60s")
    void candmReply(byte[] data) {
        FuzzTargets.candmReply(data);
    }

    @FuzzTest(maxDuration = "60s")
    void config(byte[] data) {
        FuzzTargets.config(data);
    }

    @FuzzTest(maxDuration = "60s")
    void keyFile(byte[] data) {
        FuzzTargets.keyFile(data);
    }
}
