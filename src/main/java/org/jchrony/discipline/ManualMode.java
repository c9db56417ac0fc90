package org.jchrony.discipline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * chronyd's manual time input (the {@code manual} directive, chronyc {@code manual on|off|reset|
 * list|delete} and {@code settime}), as chronyc(1) documents it: each settime records a sample of
 * how fast the clock was; the clock offset is corrected by the sample just entered, and the
 * frequency by the slope of a regression over all samples kept (at most {@value #MAX_SAMPLES});
 * {@code manual delete} removes one and re-estimates offset (the regression's intercept now)
 * and frequency from the rest; {@code manual reset} forgets them and leaves the clock as it is.
 * Stored offsets are re-based ("slewed") by every correction made here.
 *
 * <p>Observed on chronyd 4.3: settime while disabled answers 505; delete of a missing index
 * answers 516; one sample changes no frequency; two samples 2.014 s apart whose offsets differ
 * by 0.99 s give "Frequency change = -491550.53ppm".
 *
 * <p>Pure (times passed in, cooked Unix nanoseconds); runs on the core loop. The caller applies
 * the returned {@link Correction} to the clock and then calls {@link #clockCorrected}.
 */
public final class ManualMode {
    /** chronyd keeps this many settime samples. */
    public static final int MAX_SAMPLES = 16;

    /** One settime sample: when (cooked time), slewed and original fast-by offsets, regression residual. */
    public record Sample(long whenNanos, double slewedOffsetSeconds, double origOffsetSeconds, double residualSeconds) {}

    /**
     * A correction to apply: {@code fastBySeconds} to take off the clock, {@code dFreqPpm} to add to
     * the driver's frequency (positive: faster). {@code slopePpm} is the regression slope of the
     * fast-by offsets (what settime reports as "Frequency change").
     */
    public record Correction(double fastBySeconds, double dFreqPpm, double slopePpm) {}

    private final List<Sample> samples = new ArrayList<>();
    private boolean enabled;

    public ManualMode(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** chronyc manual on/off. */
    public void setEnabled(boolean on) {
        enabled = on;
    }

    /** chronyc manual reset: forget every sample. */
    public void reset() {
        samples.clear();
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * chronyc settime: records that the clock read {@code cookedNowNanos} when the true time was
     * {@code enteredNanos}. Empty when manual input is disabled.
     */
    public Optional<Correction> settime(long cookedNowNanos, long enteredNanos) {
        if (!enabled) return Optional.empty();
        double fastBy = (cookedNowNanos - enteredNanos) * 1e-9;
        if (samples.size() == MAX_SAMPLES) samples.removeFirst();
        samples.add(new Sample(cookedNowNanos, fastBy, fastBy, 0));
        double[] fit = regress(cookedNowNanos);
        // the entered measurement sets the offset; the regression only the frequency
        return Optional.of(new Correction(fastBy, -fit[1] * 1e6, fit[1] * 1e6));
    }

    /** chronyc manual delete: false when there is no such sample. */
    public Optional<Correction> delete(int index, long cookedNowNanos) {
        if (index < 0 || index >= samples.size()) return Optional.empty();
        samples.remove(index);
        if (samples.isEmpty()) return Optional.of(new Correction(0, 0, 0));
        double[] fit = regress(cookedNowNanos);
        return Optional.of(new Correction(fit[0], -fit[1] * 1e6, fit[1] * 1e6));
    }

    /**
     * The clock was corrected at {@code nowNanos} by {@code fastBySeconds} and its frequency by
     * {@code dFreqPpm}: the stored offsets (and times) become what they would have been with the
     * correction.
     */
    public void clockCorrected(long nowNanos, double fastBySeconds, double dFreqPpm) {
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            double ago = (nowNanos - s.whenNanos()) * 1e-9;
            // the sample's time moves with the clock's timescale, as its offset does
            samples.set(i, new Sample(s.whenNanos() - Math.round(fastBySeconds * 1e9),
                    s.slewedOffsetSeconds() - fastBySeconds - dFreqPpm * 1e-6 * ago, s.origOffsetSeconds(),
                    s.residualSeconds()));
        }
    }

    /** Least squares of the slewed offsets over time: {intercept at now, slope}; stores the residuals. */
    private double[] regress(long nowNanos) {
        int n = samples.size();
        if (n < 2) {
            Sample only = samples.getFirst();
            samples.set(0, new Sample(only.whenNanos(), only.slewedOffsetSeconds(), only.origOffsetSeconds(), 0));
            return new double[] {only.slewedOffsetSeconds(), 0};
        }
        double mt = 0;
        double my = 0;
        for (Sample s : samples) {
            mt += (s.whenNanos() - nowNanos) * 1e-9;
            my += s.slewedOffsetSeconds();
        }
        mt /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (Sample s : samples) {
            double t = (s.whenNanos() - nowNanos) * 1e-9 - mt;
            sxy += t * (s.slewedOffsetSeconds() - my);
            sxx += t * t;
        }
        double slope = sxx > 0 ? sxy / sxx : 0;
        double intercept = my - slope * mt;
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            double t = (s.whenNanos() - nowNanos) * 1e-9;
            samples.set(i, new Sample(s.whenNanos(), s.slewedOffsetSeconds(), s.origOffsetSeconds(),
                    s.slewedOffsetSeconds() - (intercept + slope * t)));
        }
        return new double[] {intercept, slope};
    }
}
