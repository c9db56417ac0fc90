package org.jchrony.discipline;

/**
 * Smoothing of the time served to NTP clients, as chronyd's {@code smoothtime MAX-FREQ MAX-WANDER
 * [leaponly]} (chrony.conf(5)): the system clock is corrected as usual, but the served time
 * absorbs every offset and frequency correction and then works them off slowly, along a
 * quadratic spline of two or three pieces whose frequency offset never exceeds MAX-FREQ and
 * whose frequency changes by at most MAX-WANDER per second (time-optimal: accelerate at full
 * wander, optionally cruise at full frequency, decelerate at full wander to zero offset and zero
 * frequency at the same moment). Observed on chronyd 4.3: offset −3.592 µs, frequency −0.613 ppm,
 * wander 0.001 ppm/s gives "Remaining time: 1488.4 seconds", which this plan reproduces.
 *
 * <p>Sign conventions (chronyc smoothing's): {@link #offsetSeconds} is served time minus the
 * disciplined (cooked) time, positive when clients get time ahead of it; frequency is the served
 * time's rate relative to the cooked time (negative: clients see a slower clock); wander is the
 * rate of change of that frequency.
 *
 * <p>Behaviour matched: inactive until {@link #referenceUpdated} sees the estimated skew below
 * 10000 × MAX-WANDER (or {@link #activate} is called, chronyc smoothtime activate); corrections
 * made while inactive are not smoothed; a clock step resets the offset and frequency;
 * {@code smoothtime reset} resets them and keeps the active state. With {@code leaponly} only
 * leap seconds ({@link #leapSecond}) are smoothed.
 *
 * <p>Pure: time is the local clock's raw time passed in as nanoseconds. Not thread-safe; runs on
 * the core loop (the server threads only read the published snapshot).
 */
public final class SmoothTime {
    private final double maxFreq;   // fraction (s/s)
    private final double maxWander; // fraction per second
    private final boolean leapOnly;

    private boolean active;
    private long lastUpdateNanos;
    // state at lastUpdateNanos
    private double offset;
    private double freq;
    // plan from lastUpdateNanos: piece durations (s) and wander of each piece (fraction/s)
    private final double[] durations = new double[3];
    private final double[] wanders = new double[3];

    /**
     * @param maxFreqPpm            MAX-FREQ, the largest frequency offset of the served time, ppm
     * @param maxWanderPpmPerSecond MAX-WANDER, the largest rate of change of that offset, ppm/s
     * @param leapOnly              smooth only leap seconds
     * @param nowNanos              raw time of creation
     */
    public SmoothTime(double maxFreqPpm, double maxWanderPpmPerSecond, boolean leapOnly, long nowNanos) {
        if (!(maxFreqPpm > 0) || !(maxWanderPpmPerSecond > 0)) {
            throw new IllegalArgumentException("smoothtime limits must be positive");
        }
        this.maxFreq = maxFreqPpm * 1e-6;
        this.maxWander = maxWanderPpmPerSecond * 1e-6;
        this.leapOnly = leapOnly;
        this.lastUpdateNanos = nowNanos;
    }

    public boolean active() {
        return active;
    }

    public boolean leapOnly() {
        return leapOnly;
    }

    /**
     * The local clock was corrected: {@code fastBySeconds} accrued (the cooked time moves back by
     * it) and the frequency changed by {@code dFreqPpm} (positive: the clock runs faster). The
     * served time keeps its course; the difference is smoothed out from now.
     */
    public void clockAdjusted(long nowNanos, double fastBySeconds, double dFreqPpm) {
        if (!active || leapOnly) return;
        advanceTo(nowNanos);
        offset += fastBySeconds;
        freq -= dFreqPpm * 1e-6;
        plan();
    }

    /** A leap second: +1 inserted (the cooked time went back by one second), -1 deleted. */
    public void leapSecond(long nowNanos, int sign) {
        if (!active || sign == 0) return;
        advanceTo(nowNanos);
        offset += Math.signum(sign);
        plan();
    }

    /** The clock was stepped: as chronyd, the accumulated offset and frequency are dropped. */
    public void clockStepped(long nowNanos) {
        reset(nowNanos);
    }

    /** After a clock update: activates when skew / 10000 falls below MAX-WANDER. */
    public void referenceUpdated(long nowNanos, double skewPpm) {
        if (!active && skewPpm * 1e-6 / 10000.0 < maxWander) activate(nowNanos);
    }

    /** chronyc smoothtime activate. */
    public void activate(long nowNanos) {
        if (active) return;
        active = true;
        reset(nowNanos);
    }

    /** chronyc smoothtime reset: zero offset and frequency from now (the active state is kept). */
    public void reset(long nowNanos) {
        lastUpdateNanos = nowNanos;
        offset = 0;
        freq = 0;
        plan();
    }

    /** Served minus cooked time at {@code nowNanos}, seconds. */
    public double offsetSeconds(long nowNanos) {
        return evaluate(nowNanos)[0];
    }

    /** Frequency of the served time relative to the cooked time at {@code nowNanos}, ppm. */
    public double freqPpm(long nowNanos) {
        return evaluate(nowNanos)[1] * 1e6;
    }

    /** State for chronyc smoothing. */
    public SmoothTimeState state(long nowNanos) {
        double[] e = evaluate(nowNanos);
        // chronyd reports "0.0 seconds ago" while inactive
        double elapsed = active ? Math.max(0, (nowNanos - lastUpdateNanos) * 1e-9) : 0;
        double remaining = Math.max(0, durations[0] + durations[1] + durations[2] - elapsed);
        return new SmoothTimeState(active, leapOnly, e[0], e[1] * 1e6, e[2] * 1e6, elapsed, remaining);
    }

    private void advanceTo(long nowNanos) {
        double[] e = evaluate(nowNanos);
        offset = e[0];
        freq = e[1];
        lastUpdateNanos = nowNanos;
    }

    /** Offset, frequency and wander at {@code nowNanos} along the plan. */
    private double[] evaluate(long nowNanos) {
        double t = Math.max(0, (nowNanos - lastUpdateNanos) * 1e-9);
        double x = offset;
        double v = freq;
        for (int i = 0; i < 3; i++) {
            double d = Math.min(t, durations[i]);
            x += v * d + 0.5 * wanders[i] * d * d;
            v += wanders[i] * d;
            t -= d;
            if (t <= 0) return new double[] {x, v, wanders[i]};
        }
        return new double[] {0, 0, 0}; // the plan ends at zero offset and frequency
    }

    /** Time-optimal plan bringing (offset, freq) to (0, 0) within the limits. */
    private void plan() {
        java.util.Arrays.fill(durations, 0);
        java.util.Arrays.fill(wanders, 0);
        double x = offset;
        double v = freq;
        if (x == 0 && v == 0) return;
        // where stopping now (full wander against v) would leave the offset
        double stop = x + v * Math.abs(v) / (2 * maxWander);
        double s = stop > 0 ? 1 : stop < 0 ? -1 : -Math.signum(v);
        if (stop == 0) {
            durations[0] = Math.abs(v) / maxWander;
            wanders[0] = -Math.signum(v) * maxWander;
            return;
        }
        // mirrored so that the offset y must go down to zero with a negative velocity
        double y = s * x;
        double u = s * v;
        double w = maxWander;
        double peak;
        double cruise = 0;
        if (u < -maxFreq) {
            peak = maxFreq; // faster than allowed: slow down to the limit first
            cruise = (y - u * u / (2 * w)) / maxFreq;
        } else {
            peak = Math.sqrt(w * y + u * u / 2);
            if (peak > maxFreq) {
                peak = maxFreq;
                cruise = (y + u * u / (2 * w) - maxFreq * maxFreq / w) / maxFreq;
            }
        }
        double first = (u + peak) / w; // signed: negative means accelerate towards zero velocity
        durations[0] = Math.abs(first);
        wanders[0] = s * (first >= 0 ? -w : w);
        durations[1] = Math.max(0, cruise);
        wanders[1] = 0;
        durations[2] = peak / w;
        wanders[2] = s * w;
    }
}
