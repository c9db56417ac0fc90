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

    /** Weight floor as a fraction of the mean extra delay (0.5 measured best in the simulator among 0.1..2). */
    private static final double FLOOR_FACTOR = 0.5;
    /** Median / mean of an exponential distribution (ln 2): scales the median extra delay to a mean. */
    private static final double MEDIAN_TO_MEAN_EXPONENTIAL = Math.log(2);
    private static final double MIN_SKEW = 1e-9;
    private static final double MAX_SKEW = 2000e-6;

    private final int minSamples;
    private final int maxSamples;
    private final double fixedMinDelaySeconds;
    private final List<Sample> samples = new ArrayList<>();
    private Estimate estimate;

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
                if (dt > 0) {
                    slope = (last.offsetSeconds() - samples.get(0).offsetSeconds()) / dt;
                    off = last.offsetSeconds();
                }
            }
            estimate = new Estimate(last.timeNanos(), off, sd + last.peerDelaySeconds() / 2, slope, skew, sd, n, n);
            return;
        }
        double minDelay = minDelaySeconds();
        // the median extra delay, not the mean: a few samples delayed by milliseconds (a stalled
        // server) inflated the mean, hence the floor, hence the weight of those very samples, the
        // Std Dev and what the maxdelaydevratio test let in
        double[] excess = new double[n];
        for (int i = 0; i < n; i++) excess[i] = samples.get(i).peerDelaySeconds() - minDelay;
        java.util.Arrays.sort(excess);
        double typicalExcess = excess[n / 2] / MEDIAN_TO_MEAN_EXPONENTIAL;
        double floor = Math.max(1e-7, FLOOR_FACTOR * typicalExcess);
        // weights normalised so a minimum-delay sample has weight 1: the residual variance for unit
        // weight is then the variance of the best samples, which is what chronyd reports as Std Dev
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double e = 1.0 + Math.max(0, samples.get(i).peerDelaySeconds() - minDelay) / floor;
            w[i] = 1.0 / (e * e);
        }
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
        estimate = new Estimate(last.timeNanos(), best.offset, best.offsetErr, best.slope, best.skew, best.sd,
                samples.size() - best.start, best.runs);
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
                       boolean runsOk) {}

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
        for (int i = start; i < samples.size(); i++) {
            double x = (samples.get(i).timeNanos() - refNanos) * 1e-9;
            double r = samples.get(i).offsetSeconds() - (intercept + slope * x);
            ssw += w[i] * r * r;
            int sign = r >= 0 ? 1 : -1;
            if (sign > 0) plus++; else minus++;
            if (sign != prevSign) runs++;
            prevSign = sign;
        }
        int dof = Math.max(1, n - 2);
        double varW = ssw / dof; // residual variance for unit weight
        // chronyd's Std Dev: the weighted residual deviation, i.e. that of a minimum-delay sample
        // (unweighted, a few long-delay samples on loopback inflated it several-fold)
        double sd = Math.sqrt(varW);
        double t = studentT(dof);
        double skew = sxx > 0 ? t * Math.sqrt(varW / sxx) : MAX_SKEW;
        skew = Math.max(MIN_SKEW, Math.min(MAX_SKEW, skew));
        double offsetErr = Math.sqrt(varW * (1.0 / sw + xm * xm / sxx));
        boolean ok = sd < 1e-10 || runsOk(runs, plus, minus); // a perfect fit has no runs to count
        return new Fit(start, intercept, offsetErr, slope, skew, sd, runs, ok);
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
