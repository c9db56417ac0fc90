package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.clock.LinuxTimex;
import org.jchrony.clock.Timex;
import org.jchrony.clock.TimexException;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real adjtimex path, harmlessly (issue 4): bin/jchronyd WITHOUT -x, so it drives this machine's
 * clock through LinuxClockDriver, with {@code rtcsync} and a driftfile of +1.234 ppm, following a
 * Debian chronyd on loopback that serves this same clock (offset ≈ µs, so every slew is tiny).
 * No {@code makestep}: nothing may step. Checked read-only with adjtimex (modes 0): the driftfile
 * frequency reaches the kernel (chronyd's sign: a clock 1.234 ppm fast is slowed, kernel freq
 * −1.234 ppm), STA_UNSYNC is cleared once synchronised, the frequency stays within a few ppm, no
 * step is logged. The frequency, tick, status and error fields found before the test are put back
 * in a finally block, whatever happens.
 *
 * <p>Skipped unless root with CAP_SYS_TIME, and skipped when the clock already looks disciplined
 * (STA_UNSYNC clear: another daemon owns it and we must not fight it).
 */
@Tag("system")
class RealClockIT {
    static final double DRIFT_PPM = 1.234;

    private static final java.lang.foreign.Linker LINKER = java.lang.foreign.Linker.nativeLinker();
    private static final java.lang.invoke.MethodHandle CLOCK_GETTIME = LINKER.downcallHandle(
            LINKER.defaultLookup().find("clock_gettime").orElseThrow(),
            java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT,
                    java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS));
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_MONOTONIC_RAW = 4;

    private static long clockNanos(int clock) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var ts = arena.allocate(16, 8);
            int rc = (int) CLOCK_GETTIME.invokeExact(clock, ts);
            if (rc != 0) throw new IllegalStateException("clock_gettime failed");
            return ts.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0) * 1_000_000_000L
                    + ts.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * CLOCK_REALTIME − CLOCK_MONOTONIC_RAW, ns: the raw clock ignores adjtimex, so changes of this
     * difference are exactly what frequency, slews and steps did to the system clock.
     */
    static long realtimeMinusRawNanos() {
        long best = Long.MAX_VALUE;
        long result = 0;
        for (int i = 0; i < 5; i++) { // the closest of a few bracketed reads
            long r1 = clockNanos(CLOCK_MONOTONIC_RAW);
            long rt = clockNanos(CLOCK_REALTIME);
            long r2 = clockNanos(CLOCK_MONOTONIC_RAW);
            if (r2 - r1 < best) {
                best = r2 - r1;
                result = rt - (r1 + (r2 - r1) / 2);
            }
        }
        return result;
    }

    static double kernelPpm(Timex t, int userHz) {
        return (t.tickMicros() - Math.round(1e6 / userHz)) * (double) userHz + t.freqPpm();
    }

    @Test
    void driftfileReachesTheKernelUnsyncIsClearedNothingStepsAndStateIsRestored() throws Exception {
        RealChronyd.assumeInstalled();
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        LinuxTimex kernel = new LinuxTimex();
        int hz = kernel.userHz();
        Timex original = kernel.adjust(Timex.read()).timex();
        try {
            // a write that changes nothing, to learn whether we may write at all
            kernel.adjust(Timex.setFrequency(original.freqScaled(), original.tickMicros()));
        } catch (TimexException e) {
            Assumptions.assumeFalse(e.isPermissionDenied(), "adjtimex not permitted here: " + e.getMessage());
            throw e;
        }
        Assumptions.assumeTrue((original.status() & Timex.STA_UNSYNC) != 0,
                "the clock is already synchronised by another daemon; not touching it");
        double originalPpm = kernelPpm(original, hz);

        Path dir = Files.createTempDirectory("jchronyd-realclock-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Process jchronyd = null;
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 3"))) {
            Files.writeString(dir.resolve("drift"), String.format(java.util.Locale.ROOT, "%20.6f %20.6f%n", DRIFT_PPM, 0.05));
            List<String> conf = List.of(
                    "port 0",
                    "cmdport 0",
                    "bindcmdaddress " + dir.resolve("chronyd.sock"),
                    "pidfile " + dir.resolve("jchronyd.pid"),
                    "driftfile " + dir.resolve("drift"),
                    "rtcsync",
                    // A few iburst samples over loopback cannot estimate a frequency to better than tens
                    // of ppm; chronyd would weight such an estimate against the driftfile's 0.05 ppm skew.
                    // Forbid frequency updates from them, so the kernel keeps the driftfile frequency.
                    "maxupdateskew 10",
                    "server 127.0.0.1 port " + ref.ntpPort() + " iburst");
            Files.write(dir.resolve("chrony.conf"), conf);
            Path log = dir.resolve("jchronyd.log");
            long phaseBefore = realtimeMinusRawNanos();
            long rawBefore = clockNanos(CLOCK_MONOTONIC_RAW);
            // no -x: the real clock driver
            jchronyd = new ProcessBuilder(JchronydProcess.LAUNCHER.toString(), "-d", "-f", dir.resolve("chrony.conf").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(dir.resolve("chronyd.sock")) && System.nanoTime() < deadline) {
                assertThat(jchronyd.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(20);
            }
            assertThat(Files.exists(dir.resolve("chronyd.sock"))).as(Files.readString(log)).isTrue();

            // The driftfile is applied at start, before any measurement.
            Timex atStart = kernel.adjust(Timex.read()).timex();
            assertThat(kernelPpm(atStart, hz)).as("kernel frequency = -driftfile value").isCloseTo(-DRIFT_PPM, within(2.0 / 65536));
            assertThat(Files.readString(log)).contains("Frequency 1.234 +/- 0.050 ppm read from");

            // Synchronised within a few iburst samples: STA_UNSYNC goes (rtcsync); keep watching the frequency.
            List<Double> freqs = new ArrayList<>();
            boolean unsyncCleared = false;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(end, quietUntil)) {
                Timex now = kernel.adjust(Timex.read()).timex();
                freqs.add(kernelPpm(now, hz));
                if (!unsyncCleared && (now.status() & Timex.STA_UNSYNC) == 0) {
                    unsyncCleared = true;
                    quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // a few more updates
                }
                assertThat(jchronyd.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(100);
            }
            String tracking = runChronyc(dir.resolve("chronyd.sock"), "tracking");
            assertThat(unsyncCleared).as("STA_UNSYNC cleared once synchronised\n" + tracking + Files.readString(log)).isTrue();
            assertThat(tracking).contains("Reference ID    : 7F000001").contains("Leap status     : Normal");
            assertThat(Files.readString(log)).doesNotContainIgnoringCase("stepped").doesNotContain("System clock wrong");

            jchronyd.destroy(); // SIGTERM to our own child
            assertThat(jchronyd.waitFor(10, TimeUnit.SECONDS)).as("jchronyd exits on SIGTERM").isTrue();
            long phaseAfter = realtimeMinusRawNanos();
            double seconds = (clockNanos(CLOCK_MONOTONIC_RAW) - rawBefore) * 1e-9;
            // What the daemon did to the system clock, beyond running it at the driftfile frequency:
            // slews of µs offsets and frequency estimates; a step would show as a jump here.
            double phaseChangeSeconds = (phaseAfter - phaseBefore) * 1e-9;
            double beyondDriftSeconds = phaseChangeSeconds - (-DRIFT_PPM * 1e-6 * seconds);
            double maxFreqDeviation = freqs.stream().mapToDouble(f -> Math.abs(f + DRIFT_PPM)).max().orElse(0);
            double medianFreq = freqs.stream().sorted().toList().get(freqs.size() / 2);
            System.out.printf(java.util.Locale.ROOT,
                    "RealClockIT: %.1f s, clock phase change %.1f us (%.1f us beyond the driftfile's %.3f ppm), "
                            + "kernel frequency median %.3f ppm, largest deviation (base + slew) %.2f ppm%n%s%n",
                    seconds, phaseChangeSeconds * 1e6, beyondDriftSeconds * 1e6, -DRIFT_PPM, medianFreq,
                    maxFreqDeviation, tracking);
            assertThat(Math.abs(beyondDriftSeconds)).as("no step, only µs slews").isLessThan(200e-6);
            // The frequency (base + any slew of a µs offset) stays within tens of ppm, the base within a few.
            assertThat(maxFreqDeviation).isLessThan(100.0);
            assertThat(medianFreq).isCloseTo(-DRIFT_PPM, within(1.0));
            assertThat(Files.readString(log)).doesNotContainIgnoringCase("stepped");
            // it wrote its driftfile at exit, in chronyd's sign convention
            double written = Double.parseDouble(Files.readString(dir.resolve("drift")).trim().split("\\s+")[0]);
            assertThat(written).as("frequency kept within a few ppm").isCloseTo(DRIFT_PPM, within(1.0));
        } finally {
            if (jchronyd != null && jchronyd.isAlive()) {
                jchronyd.destroy();
                if (!jchronyd.waitFor(10, TimeUnit.SECONDS)) jchronyd.destroyForcibly().waitFor();
            }
            restore(kernel, original);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Timex after = kernel.adjust(Timex.read()).timex();
        assertThat(after.freqScaled()).isEqualTo(original.freqScaled());
        assertThat(after.tickMicros()).isEqualTo(original.tickMicros());
        assertThat(after.status() & ~Timex.STA_NANO).isEqualTo(original.status() & ~Timex.STA_NANO);
        assertThat(kernelPpm(after, hz)).isEqualTo(originalPpm);
    }

    /** Puts back the frequency, tick, status and error estimates found before the test. */
    private static void restore(LinuxTimex kernel, Timex original) {
        kernel.adjust(Timex.setFrequency(original.freqScaled(), original.tickMicros()));
        kernel.adjust(Timex.setStatusAndErrors(original.status(), original.maxErrorMicros(), original.estErrorMicros()));
    }

    private static String runChronyc(Path socket, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RealChronyd.CHRONYC.toString(), "-h", socket.toString()));
        cmd.addAll(List.of(args));
        return RunningJchronyd.run(cmd);
    }
}
