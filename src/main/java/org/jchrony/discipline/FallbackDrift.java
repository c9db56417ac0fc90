package org.jchrony.discipline;

import org.jchrony.core.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chronyd's {@code fallbackdrift MIN MAX}: long-term averages of the clock's frequency
 * correction over intervals of 2^MIN .. 2^MAX seconds, updated at every clock update; when no
 * update has come for 2^i seconds (sources lost), the frequency is set to the i-th average and the
 * reference becomes unsynchronised, then to the next average 2^(i+1) seconds after the last
 * update, and so on up to MAX. A short-term deviation of the frequency just before the updates
 * stopped is thereby not kept for days.
 *
 * <p>As chrony.conf(5) describes, and the averaging as chronyd does it: an average covering 2^i
 * seconds is first the mean over 2 x 2^i seconds of updates (each update weighted by half its
 * interval, intervals under 1 s ignored), then an exponential moving average with time constant
 * 2^i seconds; an average is used only once it is complete. A new clock update cancels the
 * fallback and starts again from the first one.
 *
 * <p>Registered as a {@link ReferenceListener}; runs on the core thread (timers from the injected
 * {@link Scheduler}, time from the discipline's {@link LocalClock}).
 */
public final class FallbackDrift implements ReferenceListener {
    private static final Logger log = LoggerFactory.getLogger(FallbackDrift.class);

    private final Scheduler scheduler;
    private final Discipline discipline;
    private final int minLog2;
    private final int maxLog2;
    private final double[] freqPpm;
    private final double[] coveredSeconds;
    /** log2 of the fallback set or scheduled next, 0 when none (chronyd's next_fb_drift). */
    private int next;
    private long lastUpdateNanos = Long.MIN_VALUE;
    private Scheduler.Timer timer;

    /** Whether {@code fallbackdrift MIN MAX} enables anything (chronyd: MAX >= MIN > 0). */
    public static boolean enabled(int minLog2, int maxLog2) {
        return minLog2 > 0 && maxLog2 >= minLog2;
    }

    /** Intervals are capped at 2^30 s (34 years): the configuration is not range-checked. */
    public FallbackDrift(Scheduler scheduler, Discipline discipline, int minLog2, int maxLog2) {
        if (!enabled(minLog2, maxLog2)) {
            throw new IllegalArgumentException("fallbackdrift " + minLog2 + " " + maxLog2);
        }
        this.scheduler = scheduler;
        this.discipline = discipline;
        this.maxLog2 = Math.min(maxLog2, 30);
        this.minLog2 = Math.min(minLog2, this.maxLog2);
        this.freqPpm = new double[maxLog2 - minLog2 + 1];
        this.coveredSeconds = new double[freqPpm.length];
    }

    @Override
    public void referenceUpdated(ReferenceState state) {
        // only real clock updates (a republished state, e.g. a leap status change, keeps its time)
        if (!state.synchronised() || state.refTimeNanos() == lastUpdateNanos) return;
        long now = state.refTimeNanos();
        double interval = lastUpdateNanos == Long.MIN_VALUE ? 0 : (now - lastUpdateNanos) * 1e-9;
        lastUpdateNanos = now;
        next = 0;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (interval >= 1.0) update(discipline.clock().driver().readFrequencyPpm(), interval);
        schedule(now);
    }

    private void update(double currentFreqPpm, double intervalSeconds) {
        for (int k = 0; k < freqPpm.length; k++) {
            double span = (double) (1L << (k + minLog2));
            if (coveredSeconds[k] < span) {
                double w = intervalSeconds * 0.5;
                freqPpm[k] = (freqPpm[k] * coveredSeconds[k] + w * currentFreqPpm) / (w + coveredSeconds[k]);
                coveredSeconds[k] += w;
            } else {
                freqPpm[k] += (1 - Math.exp(-intervalSeconds / span)) * (currentFreqPpm - freqPpm[k]);
            }
        }
    }

    /** Sets the fallback now due, if any, and arms the timer for the next one. */
    private void schedule(long nowNanos) {
        if (timer != null || lastUpdateNanos == Long.MIN_VALUE) return;
        double unsynchronised = (nowNanos - lastUpdateNanos) * 1e-9;
        int due = 0;
        int i;
        long span = 0;
        for (i = minLog2; i <= maxLog2; i++) {
            span = 1L << i;
            if (coveredSeconds[i - minLog2] < span) continue;
            if (unsynchronised < span && i > next) break;
            due = i;
        }
        if (due > next) {
            apply(due);
            next = due;
        }
        if (i <= maxLog2) {
            next = i;
            timer = scheduler.schedule(Math.max(0, Math.round((span - unsynchronised) * 1e9)), this::timeout);
        }
    }

    private void timeout() {
        timer = null;
        apply(next);
        discipline.setUnsynchronised();
        schedule(discipline.clock().nowNanos());
    }

    private void apply(int log2) {
        double f = freqPpm[log2 - minLog2];
        log.debug("Fallback drift {} active: {} ppm", log2, f);
        discipline.clock().driver().setFrequencyPpm(f);
    }

    /** The fallback in use or scheduled next (log2 seconds), 0 when none. */
    public int next() {
        return next;
    }

    /** The average over 2^log2 seconds (ppm, the driver's frequency correction) and whether it is complete. */
    public double averagePpm(int log2) {
        return freqPpm[log2 - minLog2];
    }

    public boolean complete(int log2) {
        return coveredSeconds[log2 - minLog2] >= (double) (1L << log2);
    }
}
