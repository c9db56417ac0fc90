package org.jchrony.clock;

import org.jchrony.core.TimeSource;

/**
 * The clock driver for {@code -x}, as chronyd's "Disabled control of system clock" mode: the
 * system clock is never touched; a virtual clock is disciplined instead. Frequency and offset
 * corrections accumulate in {@link #offsetCorrectionSeconds(long)}, so
 * {@code readRawNanos() + offsetCorrectionSeconds(raw)} is the disciplined time, which the
 * daemon serves to its clients (chronyd -x serves the corrected time too, while
 * {@code chronyc tracking} keeps reporting the whole correction as the system time offset).
 *
 * <p>Offsets are applied to the virtual clock at once (no slew), steps likewise. Mutators run on
 * the core thread; {@link #offsetCorrectionSeconds} and {@link #correctedNanos} may be called from
 * any thread (server threads): the state is one immutable record in a volatile field.
 */
public final class NullClockDriver implements ClockDriver {
    private record State(long baseRawNanos, double baseCorrectionSeconds, double freqPpm) {
        double correctionAt(long rawNanos) {
            return baseCorrectionSeconds + (rawNanos - baseRawNanos) * 1e-9 * freqPpm * 1e-6;
        }
    }

    private final TimeSource raw;
    private final double maxFreqPpm = 100_000;
    private volatile State state;
    private volatile int leap;
    private volatile boolean synchronised;

    public NullClockDriver(TimeSource raw) {
        this(raw, 0.0);
    }

    /** @param initialFreqPpm frequency from the driftfile */
    public NullClockDriver(TimeSource raw, double initialFreqPpm) {
        this.raw = raw;
        this.state = new State(raw.realtimeNanos(), 0.0, initialFreqPpm);
    }

    private long rebase(double addCorrection, double newFreqPpm) {
        long now = raw.realtimeNanos();
        State s = state;
        state = new State(now, s.correctionAt(now) + addCorrection, newFreqPpm);
        return now;
    }

    @Override
    public long readRawNanos() {
        return raw.realtimeNanos();
    }

    @Override
    public double readFrequencyPpm() {
        return state.freqPpm();
    }

    @Override
    public long setFrequencyPpm(double freqPpm) {
        return rebase(0, Math.max(-maxFreqPpm, Math.min(maxFreqPpm, freqPpm)));
    }

    @Override
    public long accrueOffset(double fastBySeconds, double correctionRate) {
        return rebase(-fastBySeconds, state.freqPpm());
    }

    @Override
    public long step(double fastBySeconds) {
        return rebase(-fastBySeconds, state.freqPpm());
    }

    @Override
    public double offsetCorrectionSeconds(long rawNanos) {
        return state.correctionAt(rawNanos);
    }

    /** Disciplined time (what the daemon serves) at {@code rawNanos}. Thread-safe. */
    public long correctedNanos(long rawNanos) {
        return rawNanos + Math.round(state.correctionAt(rawNanos) * 1e9);
    }

    @Override
    public long setLeap(int leap) {
        this.leap = leap;
        return raw.realtimeNanos();
    }

    @Override
    public void setSyncStatus(boolean synchronised, double estErrorSeconds, double maxErrorSeconds) {
        this.synchronised = synchronised;
    }

    public int leap() { return leap; }

    public boolean synchronised() { return synchronised; }

    @Override
    public double maxFrequencyPpm() {
        return maxFreqPpm;
    }

    @Override
    public boolean controlsSystemClock() {
        return false;
    }
}
