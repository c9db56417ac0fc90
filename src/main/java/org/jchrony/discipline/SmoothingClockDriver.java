package org.jchrony.discipline;

import org.jchrony.clock.ClockDriver;

/**
 * A {@link ClockDriver} that passes everything to the real driver and tells a {@link SmoothTime}
 * about each correction, as chronyd's smoothing follows every change of the local clock's offset
 * and frequency: offsets accrued and frequency changes are absorbed and smoothed, a step resets
 * the smoothing. The served time is then {@code cooked + smoother.offsetSeconds(raw)}.
 * It also re-bases the {@link ManualMode} samples by every correction, so chronyc manual list's
 * "Slewed" column allows for all changes made to the clock since, as chronyd's does.
 *
 * <p>Mutators run on the core loop (like the discipline that calls them); reads are forwarded.
 */
public final class SmoothingClockDriver implements ClockDriver {
    private final ClockDriver inner;
    private final SmoothTime smoother;
    private final ManualMode manual;
    private java.util.function.BooleanSupplier leapInProgress = () -> false;

    /** @param smoother the smoothtime smoother, or null; @param manual the manual input, or null */
    public SmoothingClockDriver(ClockDriver inner, SmoothTime smoother, ManualMode manual) {
        this.inner = inner;
        this.smoother = smoother;
        this.manual = manual;
    }

    public SmoothingClockDriver(ClockDriver inner, SmoothTime smoother) {
        this(inner, smoother, null);
    }

    /**
     * Tells the driver when a leap second is being applied (LeapSecondPlanner.leapInProgress), so
     * the ±1 s the planner slews or steps then is smoothed as a leap second (smoothtime leaponly)
     * and a leap step does not reset the smoothing.
     */
    public void setLeapInProgress(java.util.function.BooleanSupplier inProgress) {
        leapInProgress = inProgress;
    }

    private boolean isLeap(double fastBySeconds) {
        return Math.abs(fastBySeconds) == 1.0 && leapInProgress.getAsBoolean();
    }

    private long cooked(long raw) {
        return raw + Math.round(inner.offsetCorrectionSeconds(raw) * 1e9);
    }

    public ClockDriver inner() {
        return inner;
    }

    public SmoothTime smoother() {
        return smoother;
    }

    @Override
    public long readRawNanos() {
        return inner.readRawNanos();
    }

    @Override
    public double readFrequencyPpm() {
        return inner.readFrequencyPpm();
    }

    @Override
    public long setFrequencyPpm(double freqPpm) {
        double old = inner.readFrequencyPpm();
        long at = inner.setFrequencyPpm(freqPpm);
        double dFreq = inner.readFrequencyPpm() - old;
        if (dFreq != 0) {
            if (smoother != null) smoother.clockAdjusted(at, 0, dFreq);
            if (manual != null) manual.clockCorrected(cooked(at), 0, dFreq);
        }
        return at;
    }

    @Override
    public long accrueOffset(double fastBySeconds, double correctionRate) {
        long at = inner.accrueOffset(fastBySeconds, correctionRate);
        if (fastBySeconds != 0) {
            if (smoother != null && isLeap(fastBySeconds)) smoother.leapSecond(at, (int) fastBySeconds);
            else if (smoother != null) smoother.clockAdjusted(at, fastBySeconds, 0);
            if (manual != null) manual.clockCorrected(cooked(at), fastBySeconds, 0);
        }
        return at;
    }

    @Override
    public long step(double fastBySeconds) {
        long at = inner.step(fastBySeconds);
        if (smoother != null && isLeap(fastBySeconds)) smoother.leapSecond(at, (int) fastBySeconds);
        else if (smoother != null) smoother.clockStepped(at);
        if (manual != null && fastBySeconds != 0) manual.clockCorrected(cooked(at), fastBySeconds, 0);
        return at;
    }

    @Override
    public double offsetCorrectionSeconds(long rawNanos) {
        return inner.offsetCorrectionSeconds(rawNanos);
    }

    @Override
    public long setLeap(int leap) {
        return inner.setLeap(leap);
    }

    @Override
    public void setSyncStatus(boolean synchronised, double estErrorSeconds, double maxErrorSeconds) {
        inner.setSyncStatus(synchronised, estErrorSeconds, maxErrorSeconds);
    }

    @Override
    public double maxFrequencyPpm() {
        return inner.maxFrequencyPpm();
    }

    @Override
    public boolean controlsSystemClock() {
        return inner.controlsSystemClock();
    }
}
