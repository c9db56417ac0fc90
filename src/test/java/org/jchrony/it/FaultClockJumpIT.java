package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jchrony.it.FaultSourcesIT.assertServes;
import static org.jchrony.it.FaultSourcesIT.await;
import static org.jchrony.it.FaultSourcesIT.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jchrony.it.FaultSourcesIT.FakeNtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system clock jumping under the daemon, through the real daemon (bin/jchronyd -d -x). The
 * real clock is never stepped: the daemon's test hook ({@code jchrony.test.monotonicShiftFile},
 * see {@code daemon/ClockJumpWatch}) shifts the monotonic clock its detector compares
 * CLOCK_REALTIME with, which the detector cannot tell from a real-time jump. Asserted: chronyd's
 * "Forward/Backward time jump detected!" line once per jump, the source's samples forgotten
 * (sourcestats), the source selected again with its samples refilled, a sane frequency estimate
 * (no regression across the jump), and clients served throughout. (What a real jump does to the served time and the
 * estimates is shown in the simulator: sim/ClockJumpSimulationTest.)
 */
class FaultClockJumpIT {
    @TempDir Path tmp;

    /** Samples (NP) of the first source in chronyc sourcestats, or -1. */
    private static int samples(RunningJchronyd d) throws Exception {
        for (String l : d.chronyc("-c", "-n", "sourcestats").split("\n")) {
            String[] f = l.split(",");
            if (f.length >= 8) return Integer.parseInt(f[1]);
        }
        return -1;
    }

    private static double freqPpm(RunningJchronyd d) throws Exception {
        return Double.parseDouble(d.chronyc("-c", "tracking").trim().split(",")[7]);
    }

    private static long count(String log, String text) {
        return log.lines().filter(l -> l.contains(text)).count();
    }

    @Test
    @Timeout(90)
    void forwardAndBackwardJumpsResetTheSamplesAndTheDaemonRecovers() throws Exception {
        Path shift = tmp.resolve("shift");
        Files.writeString(shift, "0\n");
        try (FakeNtpServer up = new FakeNtpServer()) {
            List<String> conf = new ArrayList<>(FaultSourcesIT.BASE);
            conf.add(FaultSourcesIT.serverLine(up));
            try (RunningJchronyd d = RunningJchronyd.start(conf,
                    Map.of("JCHRONY_JAVA_OPTS", "-Djchrony.test.monotonicShiftFile=" + shift))) {
                assertThat(await(Duration.ofSeconds(20), () -> {
                    String[] s = source(d, up.port());
                    try {
                        return s != null && "*".equals(s[1]) && samples(d) >= 6;
                    } catch (Exception e) {
                        return false;
                    }
                })).as("synchronised with samples: %s", d.chronyc("-n", "sourcestats")).isTrue();
                assertThat(d.log()).doesNotContain("time jump detected");
                double freqBefore = freqPpm(d);
                int before = samples(d);

                // +1.5 s: the real-time clock appears to jump forward
                Files.writeString(shift, "1500000000\n");
                assertThat(await(Duration.ofSeconds(5), () -> {
                    try {
                        return d.log().contains("Forward time jump detected!");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                })).as(d.log()).isTrue();
                int after = samples(d);
                assertThat(after).as("samples forgotten (before: %d)", before).isLessThan(before).isLessThanOrEqualTo(2);
                assertServes(d);
                assertThat(await(Duration.ofSeconds(20), () -> {
                    String[] s = source(d, up.port());
                    try {
                        return s != null && "*".equals(s[1]) && samples(d) >= 4;
                    } catch (Exception e) {
                        return false;
                    }
                })).as("selected again, samples refilled: %s", d.chronyc("-n", "sourcestats")).isTrue();
                // A regression across a 1.5 s jump within seconds of samples would give tens of thousands of
                // ppm; the estimate from a few 1 s polls on a loaded machine is only good to ~100s of ppm (the
                // precise check, < 0.1 ppm, is sim/ClockJumpSimulationTest).
                assertThat(Math.abs(freqPpm(d))).as("frequency estimate (before: %.3f)", freqBefore).isLessThan(1000.0);

                // back to 0.3 s: a backward jump of 1.2 s
                Files.writeString(shift, "300000000\n");
                assertThat(await(Duration.ofSeconds(5), () -> {
                    try {
                        return d.log().contains("Backward time jump detected! (-1.200");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                })).as(d.log()).isTrue();
                assertServes(d);
                Thread.sleep(3000);
                String log = d.log();
                assertThat(count(log, "Forward time jump detected!")).as(log).isEqualTo(1);
                assertThat(count(log, "Backward time jump detected!")).as(log).isEqualTo(1);
                assertThat(log).contains("Forward time jump detected! (+1.500").doesNotContain("Exception");
            }
        }
    }
}
