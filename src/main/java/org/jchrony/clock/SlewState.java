package org.jchrony.clock;

/**
 * A generic, analytically computed slew: the offset still to be corrected and the temporary
 * frequency bias that corrects it. Matches the behaviour chrony documents for its clock drivers:
 * an accrued offset is removed by running the clock slower or faster than its base frequency,
 * never faster than {@code maxslewrate}; when the remaining offset reaches zero the bias ends.
 *
 * <p>Choice made here (documented, as the brief asks): no timer. The bias is constant between two
 * mutations, so the remaining offset after any elapsed time is computed exactly, including the
 * moment the slew finishes in the middle of an interval. The bias chosen at each accrual is
 * {@code remaining * correctionRate} (the fraction of the offset removed per second), capped at
 * the max slew rate, so a slew lasts about {@code 1 / correctionRate} seconds unless capped.
 *
 * <p>Sign convention as {@link ClockDriver}: {@code remainingFastBySeconds > 0} means the clock
 * is still ahead, so the bias is negative (clock slowed).
 */
public final class SlewState {
    private final double maxSlewPpm;
    private double remainingFastBySeconds;
    private double biasPpm;

    public SlewState(double maxSlewPpm) {
        if (!(maxSlewPpm > 0)) throw new IllegalArgumentException("maxSlewPpm must be > 0");
        this.maxSlewPpm = maxSlewPpm;
    }

    /** Adds an offset to be slewed out and recomputes the bias. */
    public void accrue(double fastBySeconds, double correctionRate) {
        remainingFastBySeconds += fastBySeconds;
        double rate = correctionRate > 0 ? correctionRate : 1.0;
        double want = -remainingFastBySeconds * rate * 1e6;
        biasPpm = Math.max(-maxSlewPpm, Math.min(maxSlewPpm, want));
        if (remainingFastBySeconds == 0) biasPpm = 0;
    }

    /** Drops any pending slew (after a step). */
    public void cancel() {
        remainingFastBySeconds = 0;
        biasPpm = 0;
    }

    public double remainingFastBySeconds() { return remainingFastBySeconds; }

    /** The frequency bias applied now, ppm (0 when no slew is in progress). */
    public double biasPpm() { return biasPpm; }

    public double maxSlewPpm() { return maxSlewPpm; }

    /** Seconds until the current slew finishes at its present bias (0 when idle). */
    public double secondsToFinish() {
        if (biasPpm == 0 || remainingFastBySeconds == 0) return 0;
        return Math.abs(remainingFastBySeconds / (biasPpm * 1e-6));
    }

    /**
     * Lets {@code elapsedSeconds} pass; returns the phase change the bias produced (seconds the
     * clock advanced beyond its base rate; negative when slowed). Ends the slew when done.
     */
    public double advance(double elapsedSeconds) {
        if (biasPpm == 0 || elapsedSeconds <= 0) return 0;
        double toFinish = secondsToFinish();
        double dt = Math.min(elapsedSeconds, toFinish);
        double phase;
        if (dt >= toFinish) {
            phase = -remainingFastBySeconds;
            remainingFastBySeconds = 0;
            biasPpm = 0;
        } else {
            phase = biasPpm * 1e-6 * dt;
            remainingFastBySeconds += phase;
        }
        return phase;
    }
}
