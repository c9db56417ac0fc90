package org.jchrony.discipline;

import java.util.ArrayList;
import java.util.List;

/**
 * Sample history of one source and its regression, the figures {@code chronyc sourcestats}
 * shows (NP, NR, Span, Frequency, Freq Skew, Offset, Std Dev).
 *
 * <p>As chronyd's documentation describes: a weighted linear regression of offset against time
 * over the retained samples gives the offset now, the residual frequency and its error bound
 * (skew); a runs test on the signs of the residuals sizes the window, so that when the clock's
 * behaviour is no longer linear (too few runs) older samples are dropped. Samples with a larger
 * round-trip delay carry less weight (their offset error can be up to half the extra delay).
 *
 * <p>Sign conventions: offsets and the frequency are of the local clock relative to the source
 * (positive = local clock ahead / running fast). After the discipline corrects the clock it
 * calls {@link #correct} so the history is expressed as if the new correction had always been in
 * place, as chronyd re-bases its samples after every slew or step.
 */
public final class SourceStats {
    /** Result of the last regression. */
    public record Estimate(long refTimeNanos, double offsetSeconds, double offsetErrorSeconds, double freq,
                           double skew, double stdDevSeconds, int samplesUsed, int runs) {
        public double freqPpm() { return freq * 1e6; }
        public double skewPpm() { return skew * 1e6; }
    }

    /**
     * Weight scale (offset error of a minimum-delay sample) as a fraction of the median extra
     * delay: 0.5 / ln 2 / 2, the floor measured best in the simulator before (half the mean extra delay
     * of an exponential distribution, in delay units).
     */
    private static final double WEIGHT_SCALE_OF_MEDIAN_EXCESS = 0.5 / Math.log(2) / 2;
    /** Smallest error scale of the weights (a perfect fit must not give infinite weights): 0.1 us. */
    private static final double MIN_WEIGHT_SCALE_SECONDS = 1e-7;
    private static final double MIN_SKEW = 1e-9;
    /** Fewest samples whose slope may update the frequency (chronyd: none in its first updates). */
    private static final int FREQ_MIN_SAMPLES = 5;
    /** Fewest samples whose regression slope is extrapolated when it is not significant. */
    private static final int SLOPE_MIN_SAMPLES = 8;
    /** Fewest samples for estimating the jitter asymmetry. */
    private static final int ASYM_MIN_SAMPLES = 10;
    /** Limit of the asymmetry: an offset can be wrong by at most half the extra delay. */
    private static final double MAX_ASYMMETRY = 0.5;
    /** F statistic the delay term must reach to be taken, and to be kept once in use. */
    private static final double ASYM_F_TAKE = 10.0;
    private static final double ASYM_F_KEEP = 4.0;
    /** Fewest samples before the maxdelaydevratio test applies. */
    private static final int DELAY_TEST_MIN_SAMPLES = 6;
    /** Local clock frequency error assumed by the delay test (chronyd's maxclockerror default, 1 ppm). */
    private static final double LOCAL_CLOCK_ERROR = 1e-6;
    /** Median absolute deviation to standard deviation of a normal distribution. */
    private static final double MAD_TO_SD = 1.4826;
    /** Fewest samples for the robust (median) residual deviation; below, the classic one. */
    private static final int ROBUST_MIN_SAMPLES = 8;
    private static final double MAX_SKEW = 2000e-6;

    private final int minSamples;
    private final int maxSamples;
    private final double fixedMinDelaySeconds;
    private final List<Sample> samples = new ArrayList<>();
    private Estimate estimate;
    private boolean estimateAsymmetry;
    private double asymmetry;

    /**
     * @param minSamples  minimum number of samples kept after the runs test (chrony's minsamples; 0 = default 6)
     * @param maxSamples  maximum number of samples kept (chrony's maxsamples; 0 = default 64)
     * @param fixedMinDelaySeconds chrony's mindelay option (0 = use the measured minimum)
     */
    public SourceStats(int minSamples, int maxSamples, double fixedMinDelaySeconds) {
        this.minSamples = minSamples > 0 ? minSamples : 6;
        this.maxSamples = Math.max(maxSamples > 0 ? maxSamples : 64, Math.max(this.minSamples, 4));
        this.fixedMinDelaySeconds = fixedMinDelaySeconds;
    }

    public SourceStats() {
        this(0, 0, 0);
    }

    public void add(Sample s) {
        samples.add(s);
        while (samples.size() > maxSamples) samples.removeFirst();
        regress();
    }

    public void clear() {
        samples.clear();
        estimate = null;
        asymmetry = 0;
    }

    public int size() { return samples.size(); }

    public List<Sample> samples() { return List.copyOf(samples); }

    public Sample last() { return samples.isEmpty() ? null : samples.getLast(); }

    /** The last regression, or null without samples. */
    public Estimate estimate() { return estimate; }

    /** Minimum round-trip delay among retained samples (or the mindelay option). */
    public double minDelaySeconds() {
        if (fixedMinDelaySeconds > 0) return fixedMinDelaySeconds;
        double min = Double.POSITIVE_INFINITY;
        for (Sample s : samples) min = Math.min(min, s.peerDelaySeconds());
        return min;
    }

    /** Standard deviation of the delays of retained samples (0 with fewer than 2). */
    public double delayStdDevSeconds() {
        if (samples.size() < 2) return 0;
        double mean = 0;
        for (Sample s : samples) mean += s.peerDelaySeconds();
        mean /= samples.size();
        double v = 0;
        for (Sample s : samples) v += (s.peerDelaySeconds() - mean) * (s.peerDelaySeconds() - mean);
        return Math.sqrt(v / (samples.size() - 1));
    }

    /**
     * chronyd's {@code maxdelaydevratio} test (test C of a measurement): a sample is rejected when
     * the increase of its round-trip delay over the minimum exceeds {@code ratio} times the Std Dev
     * of the previous samples, plus what the offset can have drifted since the last sample
     * (elapsed time x (skew + 1 ppm of local clock error, chronyd's maxclockerror)), so that long
     * polling intervals do not reject everything. Always passes with fewer than 6 samples.
     *
     * <p>No exception for samples whose offset moved as much as their delay grew: with a one-sided
     * stall (a busy server late to stamp the request) that is exactly what a bad sample looks like,
     * and such an exception let samples delayed by up to 2 s into the regression on a loaded host.
     *
     * @param delaySeconds  round-trip delay of the new measurement
     * @param timeNanos     its time (cooked)
     */
    public boolean delayDevOk(double delaySeconds, double ratio, long timeNanos) {
        if (ratio <= 0 || samples.size() < DELAY_TEST_MIN_SAMPLES || estimate == null) return true;
        double elapsed = Math.max(0, (timeNanos - samples.getLast().timeNanos()) * 1e-9);
        double allowed = ratio * estimate.stdDevSeconds() + elapsed * (estimate.skew() + LOCAL_CLOCK_ERROR);
        return delaySeconds - minDelaySeconds() <= allowed;
    }

    /** Span of the retained samples in seconds. */
    public double spanSeconds() {
        if (samples.size() < 2) return 0;
        return (samples.getLast().timeNanos() - samples.getFirst().timeNanos()) * 1e-9;
    }

    /** Estimated offset (local ahead of source) at {@code timeNanos}, extrapolated along the regression. */
    public double offsetAt(long timeNanos) {
        if (estimate == null) return 0;
        return estimate.offsetSeconds() + estimate.freq() * (timeNanos - estimate.refTimeNanos()) * 1e-9;
    }

    /** Error bound of {@link #offsetAt}: offset error + std dev + skew times the age. */
    public double offsetErrorAt(long timeNanos) {
        if (estimate == null) return Double.POSITIVE_INFINITY;
        double age = Math.abs(timeNanos - estimate.refTimeNanos()) * 1e-9;
        return estimate.offsetErrorSeconds() + estimate.skew() * age;
    }

    /**
     * Re-bases the history after the local clock was corrected at {@code atNanos}: an offset of
     * {@code fastBySeconds} removed and the frequency raised by {@code dFreqPpm}.
     */
    public void correct(long atNanos, double fastBySeconds, double dFreqPpm) {
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            double dt = (s.timeNanos() - atNanos) * 1e-9;
            samples.set(i, s.withOffset(s.offsetSeconds() - fastBySeconds + dFreqPpm * 1e-6 * dt));
        }
        if (estimate != null) regress();
    }

    private void regress() {
        int n = samples.size();
        if (n == 0) {
            estimate = null;
            return;
        }
        Sample last = samples.getLast();
        if (n < 3) {
            // too few points for a slope: offset from the latest (or the two averaged), no frequency
            double off = n == 1 ? last.offsetSeconds()
                    : (samples.get(0).offsetSeconds() + last.offsetSeconds()) / 2;
            double sd = n == 1 ? last.peerDispersionSeconds()
                    : Math.abs(samples.get(0).offsetSeconds() - last.offsetSeconds()) / 2;
            double slope = 0;
            double skew = MAX_SKEW;
            if (n == 2) {
                double dt = (last.timeNanos() - samples.get(0).timeNanos()) * 1e-9;
                if (dt > 0) slope = (last.offsetSeconds() - samples.get(0).offsetSeconds()) / dt;
                // the two weighted by their delays (the latest alone, as before, let a first sample
                // delayed by milliseconds move the clock by as much right after the initial step)
                double[] w = weights(minDelaySeconds());
                off = (w[0] * samples.get(0).offsetSeconds() + w[1] * last.offsetSeconds()) / (w[0] + w[1]);
            }
            estimate = new Estimate(last.timeNanos(), off, sd + last.peerDelaySeconds() / 2, slope, skew, sd, n, n);
            return;
        }
        double minDelay = minDelaySeconds();
        double[] w = weights(minDelay);
        // find the largest window of newest samples that passes the runs test
        Fit best = null;
        int minWindow = Math.min(n, Math.max(3, minSamples));
        for (int start = 0; start <= n - minWindow; start = nextStart(start, n)) {
            Fit f = fit(start, w, last.timeNanos());
            if (f.runsOk || n - start <= minWindow) {
                best = f;
                break;
            }
        }
        if (best == null) best = fit(n - minWindow, w, last.timeNanos());
        // drop samples older than the accepted window, keeping at least minSamples
        int drop = Math.min(best.start, Math.max(0, n - minSamples));
        if (drop > 0) {
            samples.subList(0, drop).clear();
            best = fit(best.start - drop, dropWeights(w, drop), last.timeNanos());
        }
        if (estimateAsymmetry) {
            double[] wNow = drop > 0 ? dropWeights(w, drop) : w;
            Fit asym = fitAsymmetry(best, wNow, last.timeNanos(), minDelay);
            if (asym != null) {
                best = asym;
            } else {
                asymmetry = 0;
            }
        } else {
            asymmetry = 0;
        }
        double offset = best.offset;
        if (samples.size() - best.start < SLOPE_MIN_SAMPLES && !(Math.abs(best.slope) > 2 * best.slopeError)) {
            // the first few samples: a slope they cannot tell from zero only adds its error to the
            // offset extrapolated to the newest sample, so the offset is their weighted mean (on the
            // benchmark, the regression's extrapolation through 3-5 jittery samples after the initial
            // step moved the clock by +-2 ms, twice)
            double[] wNow = drop > 0 ? dropWeights(w, drop) : w;
            double sw = 0, sy = 0;
            for (int i = best.start; i < samples.size(); i++) {
                sw += wNow[i];
                sy += wNow[i] * samples.get(i).offsetSeconds();
            }
            if (sw > 0) offset = sy / sw;
        }
        // a slope from fewer samples does not set the frequency (its error estimate is itself too
        // uncertain): on the benchmark, 3 samples (one 15 ms late) gave -1175 +- 909 ppm, under
        // maxupdateskew, and the clock ran 1.2 ms off before later updates undid it
        double skew = samples.size() - best.start < FREQ_MIN_SAMPLES ? MAX_SKEW : best.skew;
        estimate = new Estimate(last.timeNanos(), offset, best.offsetErr, best.slope, skew, best.sd,
                samples.size() - best.start, best.runs);
    }

    /**
     * chronyd's estimation of the jitter asymmetry (documented for the {@code asymmetry} source
     * option: "by default, chronyd estimates the asymmetry automatically"): when the delay of one
     * direction varies more than the other's, a sample's offset error is not centred but grows with
     * its extra delay, by up to half of it. The regression then gets a third term, the extra delay
     * (over the minimum), whose coefficient is the asymmetry, limited to -0.5 ... +0.5; the offset
     * and frequency are those of a minimum-delay measurement. The term is used only when it
     * explains a significant part of the residuals (F test; a lower bar to keep it than to take
     * it, so it does not flap), with at least {@link #ASYM_MIN_SAMPLES} samples.
     *
     * @return the fit with the asymmetry term, or null to keep {@code base}
     */
    private Fit fitAsymmetry(Fit base, double[] w, long refNanos, double minDelay) {
        int start = base.start;
        int n = samples.size() - start;
        if (n < ASYM_MIN_SAMPLES) return null;
        double sw = 0, sx = 0, se = 0, sy = 0;
        for (int i = start; i < samples.size(); i++) {
            Sample s = samples.get(i);
            sw += w[i];
            sx += w[i] * (s.timeNanos() - refNanos) * 1e-9;
            se += w[i] * (s.peerDelaySeconds() - minDelay);
            sy += w[i] * s.offsetSeconds();
        }
        double xm = sx / sw, em = se / sw, ym = sy / sw;
        double sxx = 0, see = 0, sxe = 0, sxy = 0, sey = 0;
        for (int i = start; i < samples.size(); i++) {
            Sample s = samples.get(i);
            double dx = (s.timeNanos() - refNanos) * 1e-9 - xm;
            double de = s.peerDelaySeconds() - minDelay - em;
            double dy = s.offsetSeconds() - ym;
            sxx += w[i] * dx * dx;
            see += w[i] * de * de;
            sxe += w[i] * dx * de;
            sxy += w[i] * dx * dy;
            sey += w[i] * de * dy;
        }
        double det = sxx * see - sxe * sxe;
        if (!(sxx > 0) || !(see > 0) || !(det > 1e-12 * sxx * see)) return null;
        double k = (sxx * sey - sxe * sxy) / det;
        boolean clamped = Math.abs(k) > MAX_ASYMMETRY;
        double slope;
        if (clamped) {
            k = Math.copySign(MAX_ASYMMETRY, k);
            slope = (sxy - k * sxe) / sxx;
        } else {
            slope = (see * sxy - sxe * sey) / det;
        }
        double intercept = ym - slope * xm - k * em;
        double ssw = 0;
        double[] scaled = new double[n];
        for (int i = start; i < samples.size(); i++) {
            Sample s = samples.get(i);
            double r = s.offsetSeconds() - intercept - slope * (s.timeNanos() - refNanos) * 1e-9
                    - k * (s.peerDelaySeconds() - minDelay);
            ssw += w[i] * r * r;
            scaled[i - start] = Math.abs(r) * Math.sqrt(w[i]);
        }
        int params = clamped ? 2 : 3;
        int dof = Math.max(1, n - params);
        double varW = ssw / dof;
        double f = varW > 0 ? (base.sumSquares - ssw) / varW : Double.POSITIVE_INFINITY;
        double threshold = asymmetry != 0 ? ASYM_F_KEEP : ASYM_F_TAKE;
        if (!(f > threshold)) return null;
        asymmetry = k;
        varW = robustVariance(varW, scaled, n, dof);
        double sd = Math.sqrt(varW);
        double slopeVar = clamped ? varW / sxx : varW * see / det;
        double skew = Math.max(MIN_SKEW, Math.min(MAX_SKEW, studentT(dof) * Math.sqrt(slopeVar)));
        // variance of the intercept (x = 0, e = 0) from the centred normal equations
        double interceptVar = clamped
                ? varW * (1.0 / sw + xm * xm / sxx)
                : varW * (1.0 / sw + (see * xm * xm - 2 * sxe * xm * em + sxx * em * em) / det);
        return new Fit(start, intercept, Math.sqrt(Math.max(0, interceptVar)), slope, skew, sd, base.runs, true, ssw,
                0);
    }

    /** Estimated jitter asymmetry (-0.5 ... +0.5, chronyd's "Asym"; 0 when not estimated or not significant). */
    public double asymmetry() { return asymmetry; }

    /**
     * Whether to estimate the jitter asymmetry (chronyd does unless the source's {@code asymmetry}
     * option fixes it); off, the regression has no delay term.
     */
    public void setAsymmetryEstimation(boolean on) {
        this.estimateAsymmetry = on;
    }

    /**
     * Regression weights: a sample's offset can be wrong by up to half its extra delay (over the
     * minimum), so its error is taken as a scale plus half its extra delay and its weight is the
     * inverse square of that, relative to a minimum-delay sample (weight 1). The scale is a fixed
     * fraction of the median extra delay (in delay units, half the mean extra delay of an
     * exponential distribution: measured best in the simulator among 0.1..2). chronyd's own scale,
     * the previous regression's Std Dev, was tried: with the heavy-tailed delays of
     * bench/convergence.py it was no better, and in the simulator's exponential jitter it sharpened
     * the weights until a few samples carried the regression (SeedRobustnessTest's 1 ms jitter
     * scenario above the single-sample error).
     */
    private double[] weights(double minDelay) {
        int n = samples.size();
        double[] excess = new double[n];
        for (int i = 0; i < n; i++) excess[i] = Math.max(0, samples.get(i).peerDelaySeconds() - minDelay);
        double[] sorted = excess.clone();
        java.util.Arrays.sort(sorted);
        double scale = WEIGHT_SCALE_OF_MEDIAN_EXCESS * sorted[n / 2];
        // not more than the error bound of a minimum-delay sample, so that a few first samples
        // delayed by milliseconds do not flatten the weights
        scale = Math.min(scale, minDelay / 2);
        scale = Math.max(scale, MIN_WEIGHT_SCALE_SECONDS);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double e = 1.0 + excess[i] / 2 / scale;
            w[i] = 1.0 / (e * e);
        }
        return w;
    }

    private static double[] dropWeights(double[] w, int drop) {
        double[] out = new double[w.length - drop];
        System.arraycopy(w, drop, out, 0, out.length);
        return out;
    }

    private static int nextStart(int start, int n) {
        int remaining = n - start;
        return start + Math.max(1, remaining / 8);
    }

    private record Fit(int start, double offset, double offsetErr, double slope, double skew, double sd, int runs,
                       boolean runsOk, double sumSquares, double slopeError) {}

    private Fit fit(int start, double[] w, long refNanos) {
        int n = samples.size() - start;
        double sw = 0, sx = 0, sy = 0;
        for (int i = start; i < samples.size(); i++) {
            double x = (samples.get(i).timeNanos() - refNanos) * 1e-9;
            sw += w[i];
            sx += w[i] * x;
            sy += w[i] * samples.get(i).offsetSeconds();
        }
        double xm = sx / sw, ym = sy / sw;
        double sxx = 0, sxy = 0;
        for (int i = start; i < samples.size(); i++) {
            double dx = (samples.get(i).timeNanos() - refNanos) * 1e-9 - xm;
            sxx += w[i] * dx * dx;
            sxy += w[i] * dx * (samples.get(i).offsetSeconds() - ym);
        }
        double slope = sxx > 0 ? sxy / sxx : 0;
        double intercept = ym - slope * xm; // at x = 0 = refNanos
        double ssw = 0;
        int runs = 0;
        int prevSign = 0;
        int plus = 0, minus = 0;
        double[] scaled = new double[n];
        for (int i = start; i < samples.size(); i++) {
            double x = (samples.get(i).timeNanos() - refNanos) * 1e-9;
            double r = samples.get(i).offsetSeconds() - (intercept + slope * x);
            ssw += w[i] * r * r;
            scaled[i - start] = Math.abs(r) * Math.sqrt(w[i]);
            int sign = r >= 0 ? 1 : -1;
            if (sign > 0) plus++; else minus++;
            if (sign != prevSign) runs++;
            prevSign = sign;
        }
        int dof = Math.max(1, n - 2);
        double varW = ssw / dof; // residual variance for unit weight
        varW = robustVariance(varW, scaled, n, dof);
        // chronyd's Std Dev: the weighted residual deviation, i.e. that of a minimum-delay sample
        // (unweighted, a few long-delay samples on loopback inflated it several-fold)
        double sd = Math.sqrt(varW);
        double t = studentT(dof);
        double slopeError = sxx > 0 ? t * Math.sqrt(varW / sxx) : Double.POSITIVE_INFINITY;
        double skew = Math.max(MIN_SKEW, Math.min(MAX_SKEW, slopeError));
        double offsetErr = Math.sqrt(varW * (1.0 / sw + xm * xm / sxx));
        boolean ok = sd < 1e-10 || runsOk(runs, plus, minus); // a perfect fit has no runs to count
        return new Fit(start, intercept, offsetErr, slope, skew, sd, runs, ok, ssw, slopeError);
    }

    /**
     * The residual variance for unit weight, not more than the one from the median of the weighted
     * residuals (with at least {@link #ROBUST_MIN_SAMPLES}): each sample delayed by milliseconds (a
     * stalled server) adds about the square of the weight scale to the weighted sum of squares
     * however small its weight, so a tenth of such samples kept the classic estimate (hence the
     * weight scale and the maxdelaydevratio window derived from it) several times the scatter of the
     * well-timed samples, where chronyd's Std Dev stays at the latter. Sorts {@code scaled}.
     */
    private static double robustVariance(double classic, double[] scaled, int n, int dof) {
        if (n < ROBUST_MIN_SAMPLES) return classic;
        java.util.Arrays.sort(scaled, 0, n);
        double median = n % 2 == 1 ? scaled[n / 2] : (scaled[n / 2 - 1] + scaled[n / 2]) / 2;
        double robust = MAD_TO_SD * median * Math.sqrt((double) n / dof);
        return Math.min(classic, robust * robust);
    }

    /** Wald–Wolfowitz runs test: too few runs (residuals not random) fails at about 2 sigma. */
    static boolean runsOk(int runs, int plus, int minus) {
        int n = plus + minus;
        if (n < 8 || plus == 0 || minus == 0) return plus > 0 && minus > 0 || n < 4;
        double mu = 2.0 * plus * minus / n + 1;
        double var = (mu - 1) * (mu - 2) / (n - 1);
        return runs >= mu - 2.0 * Math.sqrt(Math.max(var, 0));
    }

    /** Approximate two-sided 95% Student t factor. */
    static double studentT(int dof) {
        return 1.96 + 2.4 / dof + 3.0 / ((double) dof * dof);
    }

    // ---- dump files (chronyd's dumpdir, -r, chronyc dump): used by source/SourceDump ----

    /**
     * Replaces the history with {@code restored} (oldest first, e.g. read from a dump file) and
     * recomputes the estimate, as chronyd reloads a source's samples with -r. Only the newest
     * maxsamples are kept.
     */
    public void restore(List<Sample> restored) {
        samples.clear();
        samples.addAll(restored.subList(Math.max(0, restored.size() - maxSamples), restored.size()));
        estimate = null;
        regress();
    }
}
