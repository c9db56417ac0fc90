package org.jchrony.clock;

import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * A simulated system clock for tests and the simulator. True time comes from the simulator;
 * the clock has a natural frequency error (ppm, positive = runs fast), optionally a random-walk
 * wander of that error, an applied frequency correction, an analytical slew ({@link SlewState})
 * and steps. It exposes its true error so scenarios can assert on it.
 *
 * <p>State is kept as the error {@code raw - true} in seconds (a double, small), so hours of
 * simulated time keep sub-nanosecond resolution. The clock advances lazily whenever it is read
 * or mutated, using the true time at that moment.
 */
public final class SimulatedClock implements ClockDriver {
    private final LongSupplier trueNanos;
    private final double maxFreqPpm;
    private final SlewState slew;
    private final RandomGenerator random;
    private final double wanderPpmPerSqrtSecond;

    private long lastTrueNanos;
    private double errorSeconds;
    private double naturalErrorPpm;
    private double freqPpm;
    private double wanderCarrySeconds;
    private int leap;
    private boolean synchronised;
    private int steps;
    private double steppedSeconds;

    /**
     * @param trueNanos            simulator's true time
     * @param initialErrorSeconds  raw - true at start (positive = clock ahead)
     * @param naturalErrorPpm      frequency error of the uncorrected clock (positive = fast)
     * @param wanderPpmPerSqrtSecond random-walk of the frequency error, ppm per sqrt(second), 0 for none
     * @param maxSlewPpm           max slew rate (chronyd's maxslewrate, default 83333.333)
     */
    public SimulatedClock(LongSupplier trueNanos, double initialErrorSeconds, double naturalErrorPpm,
                          double wanderPpmPerSqrtSecond, double maxSlewPpm, RandomGenerator random) {
        this.trueNanos = trueNanos;
        this.lastTrueNanos = trueNanos.getAsLong();
        this.errorSeconds = initialErrorSeconds;
        this.naturalErrorPpm = naturalErrorPpm;
        this.wanderPpmPerSqrtSecond = wanderPpmPerSqrtSecond;
        this.slew = new SlewState(maxSlewPpm);
        this.maxFreqPpm = 500;
        this.random = random;
    }

    private void advance() {
        long now = trueNanos.getAsLong();
        long dtNanos = now - lastTrueNanos;
        if (dtNanos <= 0) return;
        lastTrueNanos = now;
        double dt = dtNanos * 1e-9;
        if (wanderPpmPerSqrtSecond > 0) {
            // random walk in 1 s steps (carry the fraction)
            double remaining = dt + wanderCarrySeconds;
            double done = 0;
            while (remaining >= 1.0) {
                errorSeconds += 1.0 * (naturalErrorPpm + freqPpm) * 1e-6;
                naturalErrorPpm += random.nextGaussian() * wanderPpmPerSqrtSecond;
                remaining -= 1.0;
                done += 1.0;
            }
            double rest = dt - done;
            errorSeconds += rest * (naturalErrorPpm + freqPpm) * 1e-6;
            wanderCarrySeconds = remaining;
        } else {
            errorSeconds += dt * (naturalErrorPpm + freqPpm) * 1e-6;
        }
        errorSeconds += slew.advance(dt);
    }

    @Override
    public long readRawNanos() {
        advance();
        return lastTrueNanos + Math.round(errorSeconds * 1e9);
    }

    @Override
    public double readFrequencyPpm() {
        return freqPpm;
    }

    @Override
    public long setFrequencyPpm(double freqPpm) {
        advance();
        this.freqPpm = Math.max(-maxFreqPpm, Math.min(maxFreqPpm, freqPpm));
        return readRawNanos();
    }

    @Override
    public long accrueOffset(double fastBySeconds, double correctionRate) {
        advance();
        slew.accrue(fastBySeconds, correctionRate);
        return readRawNanos();
    }

    @Override
    public long step(double fastBySeconds) {
        advance();
        double pending = slew.remainingFastBySeconds();
        slew.cancel();
        errorSeconds -= fastBySeconds + pending;
        steppedSeconds -= fastBySeconds + pending;
        steps++;
        return readRawNanos();
    }

    /**
     * Someone else steps this clock by {@code seconds} (positive = forward), as {@code date -s}
     * would: not through this driver, so the discipline is not told.
     */
    public void stepExternally(double seconds) {
        advance();
        errorSeconds += seconds;
        steppedSeconds += seconds;
    }

    /**
     * CLOCK_MONOTONIC of this clock: the raw clock without its steps (it follows frequency
     * changes and slews as Linux's does).
     */
    public long monotonicNanos() {
        long raw = readRawNanos();
        return raw - Math.round(steppedSeconds * 1e9);
    }

    @Override
    public double offsetCorrectionSeconds(long rawNanos) {
        advance();
        return -slew.remainingFastBySeconds();
    }

    @Override
    public long setLeap(int leap) {
        this.leap = leap;
        return readRawNanos();
    }

    @Override
    public void setSyncStatus(boolean synchronised, double estErrorSeconds, double maxErrorSeconds) {
        this.synchronised = synchronised;
    }

    @Override
    public double maxFrequencyPpm() {
        return maxFreqPpm;
    }

    @Override
    public boolean controlsSystemClock() {
        return false;
    }

    /** raw - true, seconds (positive = system clock ahead). */
    public double rawErrorSeconds() {
        advance();
        return errorSeconds;
    }

    /** (raw + pending correction) - true: the error of the time the daemon works with. */
    public double cookedErrorSeconds() {
        advance();
        return errorSeconds - slew.remainingFastBySeconds();
    }

    /** Frequency error of the disciplined clock, ppm: natural error + correction + slew bias. */
    public double residualFrequencyPpm() {
        advance();
        return naturalErrorPpm + freqPpm;
    }

    public double naturalErrorPpm() { return naturalErrorPpm; }

    public int steps() { return steps; }

    public int leap() { return leap; }

    public boolean synchronised() { return synchronised; }
}
