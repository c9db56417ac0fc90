package org.jchrony.clock;

import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import org.jchrony.core.TimeSource;

/**
 * Notices steps of the real-time clock that this daemon did not make (someone ran {@code date -s},
 * another daemon stepped the clock, the machine resumed from suspend), as chronyd does when it
 * logs "Forward time jump detected!" / "Backward time jump detected!" and makes its sources
 * forget their samples.
 *
 * <p>How: CLOCK_REALTIME and CLOCK_MONOTONIC advance together under every frequency and slew
 * adjustment (adjtimex tick/frequency/offset apply to both); only a step
 * (settimeofday, clock_settime, ADJ_SETOFFSET, a kernel leap second) or a suspend moves the one
 * against the other. So {@code realtime - monotonic} is constant until a step, and a change
 * larger than {@code thresholdSeconds} (plus {@code toleranceRatio} of the elapsed time, for
 * simulated clocks whose "monotonic" reading is not slewed with the real-time one) between two
 * checks is a jump. Steps made by this daemon's own clock driver are excluded by wrapping the
 * driver in {@link #watching(ClockDriver)}, which re-reads the baseline after each of its steps.
 *
 * <p>Readings: the two clocks cannot be read at the same instant, so each reading takes three
 * monotonic/real-time/monotonic triplets and keeps the one with the shortest monotonic gap (a
 * preempted read cannot fake a jump). Not thread-safe: used on the core loop only.
 */
public final class ClockJumpDetector {
    private final TimeSource realtime;
    private final LongSupplier monotonicNanos;
    private final double thresholdSeconds;
    private final double toleranceRatio;
    private long lastMonotonicNanos;
    private long lastDifferenceNanos;
    /** A jump found just before one of our own steps, reported by the next {@link #check}. */
    private OptionalDouble pending = OptionalDouble.empty();

    /**
     * @param realtime          the clock the daemon time-stamps with (CLOCK_REALTIME)
     * @param monotonicNanos    a clock that is never stepped (CLOCK_MONOTONIC, {@link System#nanoTime})
     * @param thresholdSeconds  smallest change of {@code realtime - monotonic} taken as a jump
     * @param toleranceRatio    allowed drift between the two clocks per second (0 for Linux)
     */
    public ClockJumpDetector(TimeSource realtime, LongSupplier monotonicNanos, double thresholdSeconds,
                             double toleranceRatio) {
        this.realtime = realtime;
        this.monotonicNanos = monotonicNanos;
        this.thresholdSeconds = thresholdSeconds;
        this.toleranceRatio = toleranceRatio;
        rebase();
    }

    /** Takes the current difference as the baseline (after a step this daemon made). */
    public void rebase() {
        read();
    }

    /**
     * The jump of the real-time clock since the last check or rebase, in seconds (positive =
     * forward), or empty if there was none. The baseline moves to now either way.
     */
    public OptionalDouble check() {
        OptionalDouble before = pending;
        pending = OptionalDouble.empty();
        long prevMono = lastMonotonicNanos;
        long prevDiff = lastDifferenceNanos;
        read();
        double jumpSeconds = (lastDifferenceNanos - prevDiff) * 1e-9;
        double elapsedSeconds = Math.abs(lastMonotonicNanos - prevMono) * 1e-9;
        if (Math.abs(jumpSeconds) > thresholdSeconds + toleranceRatio * elapsedSeconds
                && !kernelLeapSecond(jumpSeconds, lastMonotonicNanos + lastDifferenceNanos)) {
            return OptionalDouble.of(jumpSeconds + before.orElse(0.0));
        }
        return before;
    }

    /**
     * The kernel's own leap second (STA_INS/STA_DEL, leapsecmode system) steps CLOCK_REALTIME by
     * -1/+1 s at midnight UTC: not a jump.
     */
    private boolean kernelLeapSecond(double jumpSeconds, long realtimeNanos) {
        if (Math.abs(Math.abs(jumpSeconds) - 1.0) > thresholdSeconds) return false;
        long secondOfDay = Math.floorMod(Math.floorDiv(realtimeNanos, 1_000_000_000L), 86_400L);
        return secondOfDay < 5 || secondOfDay >= 86_395;
    }

    private void read() {
        long bestGap = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long m1 = monotonicNanos.getAsLong();
            long r = realtime.realtimeNanos();
            long m2 = monotonicNanos.getAsLong();
            long gap = m2 - m1;
            if (gap >= 0 && gap < bestGap) {
                bestGap = gap;
                long mono = m1 + gap / 2;
                lastMonotonicNanos = mono;
                lastDifferenceNanos = r - mono;
            }
            if (gap <= 1_000) break;
        }
    }

    /** {@code driver}, re-basing this detector after each step it makes (the daemon's own steps are not jumps). */
    public ClockDriver watching(ClockDriver driver) {
        return new Watching(driver, this);
    }

    private record Watching(ClockDriver d, ClockJumpDetector detector) implements ClockDriver {
        @Override public long readRawNanos() { return d.readRawNanos(); }
        @Override public double readFrequencyPpm() { return d.readFrequencyPpm(); }
        @Override public long setFrequencyPpm(double freqPpm) { return d.setFrequencyPpm(freqPpm); }
        @Override public long accrueOffset(double fastBySeconds, double rate) { return d.accrueOffset(fastBySeconds, rate); }

        @Override
        public long step(double fastBySeconds) {
            // a jump that happened before this step is still reported; then the step itself is excluded
            detector.pending = detector.check();
            long at = d.step(fastBySeconds);
            detector.rebase();
            return at;
        }

        @Override public double offsetCorrectionSeconds(long rawNanos) { return d.offsetCorrectionSeconds(rawNanos); }
        @Override public long setLeap(int leap) { return d.setLeap(leap); }

        @Override
        public void setSyncStatus(boolean synchronised, double estErrorSeconds, double maxErrorSeconds) {
            d.setSyncStatus(synchronised, estErrorSeconds, maxErrorSeconds);
        }

        @Override public double maxFrequencyPpm() { return d.maxFrequencyPpm(); }
        @Override public boolean controlsSystemClock() { return d.controlsSystemClock(); }
    }
}
