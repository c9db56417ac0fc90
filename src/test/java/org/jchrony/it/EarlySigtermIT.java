package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.testutil.FreePorts;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM while jchronyd starts (issue 6): chronyd installs its signal handlers early, so a
 * SIGTERM during its start-up ends in its normal exit, status 0, "chronyd exiting", with the
 * driftfile left whole. Before any handler exists (the first instants after exec: chronyd's
 * process set-up, the JVM's creation here) the default action applies to both: death by the
 * signal, status 143, the driftfile untouched.
 */
class EarlySigtermIT {
    private static final String DRIFT = "12.345678 0.250000\n";

    @TempDir Path dir;

    private Process start(String... extraArgs) throws Exception {
        Path conf = dir.resolve("chrony.conf");
        Files.write(conf, JchronydProcess.minimalConfig(dir, FreePorts.udp()));
        Files.writeString(dir.resolve("drift"), DRIFT);
        List<String> cmd = new java.util.ArrayList<>(List.of(JchronydProcess.LAUNCHER.toString(), "-n", "-x",
                "-f", conf.toString(), "-l", dir.resolve("log").toString()));
        cmd.addAll(List.of(extraArgs));
        return new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve("stderr").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    private int terminateAndWait(Process p) throws Exception {
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        return p.exitValue();
    }

    private void assertDriftfileWhole() throws Exception {
        String drift = Files.readString(dir.resolve("drift"));
        // chronyd's format, "%20.6f %20.6f\n"; no source ran, so the frequency is the one read
        assertThat(drift).as("driftfile").matches("\\s*-?\\d+\\.\\d+\\s+\\d+\\.\\d+\\s*");
        assertThat(Double.parseDouble(drift.trim().split("\\s+")[0])).as("frequency kept").isEqualTo(12.345678);
    }

    /** Right after exec: either killed before any handler (as chronyd would be) or a clean exit. */
    @ParameterizedTest
    @ValueSource(ints = {0, 40, 120})
    void sigtermRightAfterExec(int delayMillis) throws Exception {
        Process p = start();
        Thread.sleep(delayMillis);
        int status = terminateAndWait(p);
        assertThat(status).as("exit status (0 clean, 143 killed before any handler)").isIn(0, 143);
        assertDriftfileWhole();
        if (status == 143) assertThat(Files.readString(dir.resolve("drift"))).isEqualTo(DRIFT);
        else assertThat(Files.readString(dir.resolve("log"))).contains("chronyd exiting");
    }

    /**
     * Once main runs (marked by its warm-up thread, started just after the handlers), a SIGTERM
     * at any point of the start-up ends in the daemon's clean exit.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 30, 100, 250, 600})
    void sigtermDuringStartUpExitsCleanly(int delayMillis) throws Exception {
        sigtermAfterMainStarted(delayMillis);
    }

    /** The same with -t (chronyd's timeout; it waits for its exit otherwise): still status 0. */
    @ParameterizedTest
    @ValueSource(ints = {0, 100})
    void sigtermDuringStartUpWithTimeoutExitsCleanly(int delayMillis) throws Exception {
        long t0 = System.nanoTime();
        sigtermAfterMainStarted(delayMillis, "-t", "30");
        assertThat(System.nanoTime() - t0).as("did not wait for the 30 s timeout").isLessThan(20_000_000_000L);
    }

    private void sigtermAfterMainStarted(int delayMillis, String... extraArgs) throws Exception {
        Process p = start(extraArgs);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!hasThread(p.pid(), "jchronyd-warmup")) {
            assertThat(p.isAlive()).as("daemon alive").isTrue();
            assertThat(System.nanoTime()).as("warm-up thread seen").isLessThan(deadline);
            Thread.sleep(1);
        }
        Thread.sleep(delayMillis);
        int status = terminateAndWait(p);
        assertThat(status).as(Files.readString(dir.resolve("stderr"))).isZero();
        assertThat(Files.readString(dir.resolve("log"))).contains("chronyd exiting");
        assertDriftfileWhole();
        assertThat(dir.resolve("chronyd.pid")).as("pid file removed").doesNotExist();
    }

    private static boolean hasThread(long pid, String name) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.anyMatch(t -> {
                try {
                    return Files.readString(t.resolve("comm")).trim().equals(name);
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
