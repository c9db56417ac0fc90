package org.jchrony.discipline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source selection, combining and the reference update: chronyd's "sources" and "reference"
 * behaviour as its documentation describes it.
 *
 * <ul>
 *   <li>Each source's regression gives an offset estimate now and a root distance (root delay/2 +
 *       root dispersion + half the minimum delay + estimation error growing with skew and age).</li>
 *   <li>Sources that are unreachable, have too few samples or exceed {@code maxdistance} are '?';
 *       those whose std dev exceeds {@code maxjitter} are '~'; {@code noselect} ones are '?' (chronyd 4.3).</li>
 *   <li>Falsetickers: the intervals [offset − distance, offset + distance] are intersected
 *       (Marzullo); a source not overlapping the region agreed by a majority is 'x'. Without a
 *       majority every candidate is 'x'. {@code trust} sources define the region when present.</li>
 *   <li>The best truechimer (lowest stratum·stratumweight + distance, {@code prefer} first) is
 *       selected '*', switching only when better by {@code reselectdist}; others within
 *       {@code combinelimit} × its distance are combined '+', the rest '-'.
 *       {@code minsources} and {@code require} gate updates.</li>
 *   <li>An update sets the frequency from the combined residual frequency (unless the skew exceeds
 *       {@code maxupdateskew}), and slews the combined offset (rate from {@code corrtimeratio}), or
 *       steps it under {@code makestep}; {@code maxchange} rejects too large offsets. All sources'
 *       histories are then re-based.</li>
 * </ul>
 *
 * <p>Not thread-safe: runs on the core thread. Reads time only through {@link LocalClock}.
 */
public final class Discipline {
    private static final Logger log = LoggerFactory.getLogger(Discipline.class);
    /** Frequency tolerance added to dispersion growth, as RFC 5905's PHI. */
    private static final double PHI_PPM = 15.0;

    private final LocalClock clock;
    private DisciplineConfig cfg;
    private final List<ReferenceListener> listeners = new ArrayList<>();
    private final Map<SelectableSource, Eval> evals = new IdentityHashMap<>();

    private SelectableSource selected;
    private ReferenceState reference = ReferenceState.UNSYNCHRONISED;
    private int updates;
    private int maxChangeIgnored;
    private long lastUpdateNanos;
    private double lastUpdateIntervalSeconds;
    private double lastOffsetSeconds;
    private double meanSquareOffset;
    private double residualFreqPpm;
    private double skewPpm = 2000;
    private int leap = 3;
    private LeapSecondPlanner leapPlanner;
    private boolean inReferenceUpdate;
    private int steps;

    /** Per-source result of the last selection. */
    private record Eval(SourceState state, double offsetSeconds, double distanceSeconds, int stratum) {}

    public Discipline(LocalClock clock, DisciplineConfig cfg) {
        this.clock = clock;
        this.cfg = cfg;
    }

    public void addListener(ReferenceListener l) {
        listeners.add(l);
    }

    /**
     * Hands leap-second decisions to {@code planner} (leapsecmode, leapsectz/leapseclist): from now
     * on the sources' majority vote goes through it, it alone talks to {@code ClockDriver.setLeap},
     * clock updates are skipped while it says a leap second is close, and when it changes the status
     * (e.g. back to normal after midnight) the reference is republished with the new leap indicator.
     * Without a planner the majority vote is announced and given to the driver directly.
     */
    public void setLeapPlanner(LeapSecondPlanner planner) {
        this.leapPlanner = planner;
        planner.addStatusListener(this::leapStatusChanged);
    }

    public LeapSecondPlanner leapPlanner() { return leapPlanner; }

    private void leapStatusChanged(int status) {
        if (inReferenceUpdate || !reference.synchronised() || status == leap) {
            return;
        }
        leap = status;
        ReferenceState r = reference;
        reference = new ReferenceState(true, status, r.stratum(), r.refId(), r.refTimeNanos(), r.rootDelaySeconds(),
                r.rootDispersionSeconds(), r.dispersionRatePpm());
        for (ReferenceListener l : listeners) l.referenceUpdated(reference);
    }

    public DisciplineConfig config() { return cfg; }

    /** Runtime changes (chronyc makestep threshold limit, maxupdateskew, ...). */
    public void setConfig(DisciplineConfig newConfig) {
        this.cfg = newConfig;
    }

    /** chronyc reselect: forget the current choice and select again. */
    public void forceReselect(Collection<? extends SelectableSource> all) {
        selected = null;
        select(all, clock.nowNanos());
    }

    public LocalClock clock() { return clock; }

    /**
     * chronyc doffset/dfreq and anything else that corrects the clock outside the regular update:
     * applies the correction and re-bases every source's sample history by it, as chronyd does
     * whenever the local clock is adjusted.
     */
    public void adjustClock(double fastBySeconds, double dFreqPpm, Collection<? extends SelectableSource> all) {
        var driver = clock.driver();
        long now = clock.nowNanos();
        if (dFreqPpm != 0) {
            double old = driver.readFrequencyPpm();
            driver.setFrequencyPpm(old + dFreqPpm);
            dFreqPpm = driver.readFrequencyPpm() - old;
        }
        if (fastBySeconds != 0) driver.accrueOffset(fastBySeconds, 1.0 / Math.max(1.0, cfg.corrTimeRatio()));
        for (SelectableSource s : all) s.stats().correct(now, fastBySeconds, dFreqPpm);
    }

    /** Initial frequency and skew from the driftfile (chronyd reads it at start). */
    public void loadDrift(org.jchrony.clock.Driftfile.Drift drift) {
        clock.driver().setFrequencyPpm(drift.driverCorrectionPpm());
        this.skewPpm = drift.skewPpm();
    }

    /** What to write to the driftfile now. */
    public org.jchrony.clock.Driftfile.Drift drift() {
        return org.jchrony.clock.Driftfile.Drift.fromDriver(clock.driver().readFrequencyPpm(), skewPpm);
    }

    /** Skew of the frequency estimate (for the driftfile). */
    public double skewPpm() { return skewPpm; }

    public int updates() { return updates; }

    public int steps() { return steps; }

    public SelectableSource selected() { return selected; }

    public ReferenceState reference() { return reference; }

    public SourceState stateOf(SelectableSource s) {
        Eval e = evals.get(s);
        return e == null ? SourceState.UNSELECTABLE : e.state;
    }

    /** Root distance of the source at the last selection (the "+/-" in chronyc sources); NaN if unknown. */
    public double distanceOf(SelectableSource s) {
        Eval e = evals.get(s);
        return e == null ? Double.NaN : e.distanceSeconds;
    }

    /** Forget a removed source. */
    public void removeSource(SelectableSource s, Collection<? extends SelectableSource> remaining) {
        evals.remove(s);
        if (s == selected) selected = null;
        select(remaining, clock.nowNanos());
    }

    /**
     * A new sample from {@code updated} was added to its statistics: reselect, and update the
     * clock if {@code updated} is the selected or a combined source.
     */
    public void sampleAdded(SelectableSource updated, Collection<? extends SelectableSource> all) {
        long now = clock.nowNanos();
        List<SelectableSource> combined = select(all, now);
        if (combined.isEmpty() || !combined.contains(updated)) return;
        // chronyd leaves the clock alone within a few seconds of a leap second
        if (leapPlanner != null && leapPlanner.isLeapSecondClose(now)) return;
        updateReference(combined, all, now);
    }

    /** Reselection without a new sample (a source became unreachable or was removed). */
    public void reselect(Collection<? extends SelectableSource> all) {
        select(all, clock.nowNanos());
    }

    private Eval evaluate(SelectableSource s, long now) {
        SourceStats st = s.stats();
        Sample last = st.last();
        SourceStats.Estimate e = st.estimate();
        int stratum = last == null ? 0 : Math.max(last.stratum(), s.minStratum());
        if (last == null || e == null || !s.reachable() || st.size() < cfg.minSelectSamples()) {
            return new Eval(SourceState.UNSELECTABLE, 0, Double.NaN, stratum);
        }
        // chronyd 4.3: a noselect source is '?' in sources and 'N' in selectdata with no interval
        // (limits 0), i.e. set aside before its distance is worked out
        if (s.noselect()) return new Eval(SourceState.UNSELECTABLE, st.offsetAt(now), Double.NaN, stratum);
        double offset = st.offsetAt(now);
        double distance = last.rootDelaySeconds() / 2 + last.rootDispersionSeconds()
                + st.minDelaySeconds() / 2 + last.peerDispersionSeconds()
                + e.stdDevSeconds() + st.offsetErrorAt(now)
                + PHI_PPM * 1e-6 * Math.max(0, (now - last.timeNanos()) * 1e-9);
        SourceState state;
        if (distance > cfg.maxDistanceSeconds() || last.leap() == 3) state = SourceState.UNSELECTABLE;
        else if (e.stdDevSeconds() > cfg.maxJitterSeconds()) state = SourceState.JITTERY;
        else state = null; // candidate
        return new Eval(state, offset, distance, stratum);
    }

    /** Runs selection; returns the sources to combine (selected first), empty when none. */
    private List<SelectableSource> select(Collection<? extends SelectableSource> all, long now) {
        evals.clear();
        List<SelectableSource> candidates = new ArrayList<>();
        Map<SelectableSource, Eval> tmp = new IdentityHashMap<>();
        for (SelectableSource s : all) {
            Eval e = evaluate(s, now);
            tmp.put(s, e);
            if (e.state == null) candidates.add(s);
            else evals.put(s, e);
        }
        List<SelectableSource> truechimers = new ArrayList<>();
        if (!candidates.isEmpty()) {
            List<SelectableSource> trusted = candidates.stream().filter(SelectableSource::trust).toList();
            List<SelectableSource> basis = trusted.isEmpty() ? candidates : trusted;
            double[] region = intersect(basis, tmp);
            for (SelectableSource s : candidates) {
                Eval e = tmp.get(s);
                boolean ok = region != null
                        && (s.trust() && trusted.size() == 1
                            || e.offsetSeconds + e.distanceSeconds >= region[0]
                               && e.offsetSeconds - e.distanceSeconds <= region[1]);
                if (ok) truechimers.add(s);
                else evals.put(s, withState(e, SourceState.FALSETICKER));
            }
        }
        boolean requireOk = true;
        boolean anyRequire = false;
        for (SelectableSource s : all) anyRequire |= s.require();
        if (anyRequire) requireOk = truechimers.stream().anyMatch(SelectableSource::require);
        if (truechimers.isEmpty() || truechimers.size() < cfg.minSources() || !requireOk) {
            for (SelectableSource s : truechimers) evals.put(s, withState(tmp.get(s), SourceState.NOT_COMBINED));
            if (selected != null) {
                log.info("Can't synchronise: {} selectable sources", truechimers.size());
            }
            selected = null;
            return List.of();
        }
        List<SelectableSource> pool = truechimers.stream().filter(SelectableSource::prefer).toList();
        if (pool.isEmpty()) pool = truechimers;
        SelectableSource best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        for (SelectableSource s : pool) {
            double score = score(tmp.get(s));
            if (score < bestScore) {
                bestScore = score;
                best = s;
            }
        }
        if (selected != null && selected != best && pool.contains(selected)
                && score(tmp.get(selected)) <= bestScore + cfg.reselectDistSeconds()) {
            best = selected;
        }
        if (best != selected) {
            log.info("Selected source {}", best.name());
        }
        selected = best;
        Eval sel = tmp.get(best);
        List<SelectableSource> combined = new ArrayList<>();
        combined.add(best);
        evals.put(best, withState(sel, SourceState.SELECTED));
        for (SelectableSource s : truechimers) {
            if (s == best) continue;
            Eval e = tmp.get(s);
            boolean combine = e.distanceSeconds <= cfg.combineLimit() * sel.distanceSeconds
                    && (!best.prefer() || s.prefer());
            evals.put(s, withState(e, combine ? SourceState.COMBINED : SourceState.NOT_COMBINED));
            if (combine) combined.add(s);
        }
        return combined;
    }

    private double score(Eval e) {
        return e.stratum * cfg.stratumWeightSeconds() + e.distanceSeconds;
    }

    private static Eval withState(Eval e, SourceState st) {
        return new Eval(st, e.offsetSeconds, e.distanceSeconds, e.stratum);
    }

    /** Marzullo: the region covered by the most intervals, if a majority; null otherwise. */
    private static double[] intersect(List<SelectableSource> basis, Map<SelectableSource, Eval> evals) {
        int n = basis.size();
        double[][] edges = new double[2 * n][];
        int i = 0;
        for (SelectableSource s : basis) {
            Eval e = evals.get(s);
            edges[i++] = new double[] {e.offsetSeconds - e.distanceSeconds, +1};
            edges[i++] = new double[] {e.offsetSeconds + e.distanceSeconds, -1};
        }
        java.util.Arrays.sort(edges, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(b[1], a[1]));
        int depth = 0, bestDepth = 0;
        double lo = 0, hi = 0;
        for (int k = 0; k < edges.length; k++) {
            depth += (int) edges[k][1];
            if (depth > bestDepth) {
                bestDepth = depth;
                lo = edges[k][0];
                hi = edges[k + 1][0];
            }
        }
        if (2 * bestDepth <= n) return null;
        return new double[] {lo, hi};
    }

    private void updateReference(List<SelectableSource> combined, Collection<? extends SelectableSource> all,
                                 long now) {
        // combine: offsets weighted by 1/distance, frequencies by 1/skew^2
        double wSum = 0, offset = 0, fwSum = 0, freq = 0;
        for (SelectableSource s : combined) {
            Eval e = evals.get(s);
            double w = 1.0 / Math.max(e.distanceSeconds, 1e-9);
            wSum += w;
            offset += w * e.offsetSeconds;
            SourceStats.Estimate est = s.stats().estimate();
            double fw = 1.0 / Math.max(est.skew() * est.skew(), 1e-24);
            fwSum += fw;
            freq += fw * est.freq();
        }
        offset /= wSum;
        freq /= fwSum;
        double skew = 1.0 / Math.sqrt(fwSum);
        SelectableSource sel = combined.getFirst();
        SourceStats.Estimate selEst = sel.stats().estimate();

        if (!Double.isNaN(cfg.maxChangeOffsetSeconds()) && updates >= cfg.maxChangeStart()
                && Math.abs(offset) > cfg.maxChangeOffsetSeconds()) {
            maxChangeIgnored++;
            log.warn("Adjustment of {} seconds exceeds the allowed maximum of {} seconds ({})", -offset,
                    cfg.maxChangeOffsetSeconds(), maxChangeIgnored > cfg.maxChangeIgnore() ? "exiting" : "ignored");
            if (maxChangeIgnored > cfg.maxChangeIgnore()) {
                for (ReferenceListener l : listeners) l.maxChangeExceeded(offset);
            }
            return;
        }

        var driver = clock.driver();
        double oldFreq = driver.readFrequencyPpm();
        double dFreqPpm = 0;
        if (skew * 1e6 <= cfg.maxUpdateSkewPpm()) {
            FrequencyUpdate fu = combineFrequency(skewPpm, freq * 1e6, skew * 1e6);
            driver.setFrequencyPpm(oldFreq - fu.changePpm());
            dFreqPpm = driver.readFrequencyPpm() - oldFreq;
            skewPpm = fu.skewPpm();
        }
        // chronyc's "Residual freq": what the measurements indicated relative to the frequency in use
        // before this update (positive = local clock fast), as sourcestats' Frequency
        residualFreqPpm = freq * 1e6;

        double interval = lastUpdateNanos == 0 ? 0 : (now - lastUpdateNanos) * 1e-9;
        boolean step = !Double.isNaN(cfg.makestepThresholdSeconds())
                && Math.abs(offset) > cfg.makestepThresholdSeconds()
                && (cfg.makestepLimit() < 0 || updates < cfg.makestepLimit());
        if (step) {
            driver.step(offset);
            steps++;
            log.warn("System clock wrong by {} seconds", String.format("%.6f", -offset));
            for (ReferenceListener l : listeners) l.clockStepped(offset);
        } else {
            double sd = Math.max(selEst.stdDevSeconds(), 1e-9);
            double avgInterval = interval > 0 ? interval : 1.0;
            // chronyd's corrtimeratio: an average correction (about one std dev) takes ratio x interval;
            // corrections larger than that proportionally less time, smaller ones more. The duration is
            // computed for the whole correction still to make (this offset plus any unfinished slew).
            double pendingFastBy = -driver.offsetCorrectionSeconds(driver.readRawNanos());
            double total = Math.abs(offset + pendingFastBy);
            double duration = cfg.corrTimeRatio() * avgInterval * sd / Math.max(total, 1e-12);
            duration = Math.max(duration, 1e-3);
            driver.accrueOffset(offset, 1.0 / duration);
        }
        for (SelectableSource s : all) s.stats().correct(now, offset, dFreqPpm);

        updates++;
        lastUpdateIntervalSeconds = interval;
        lastUpdateNanos = now;
        lastOffsetSeconds = offset;
        meanSquareOffset = updates == 1 ? offset * offset : 0.9 * meanSquareOffset + 0.1 * offset * offset;

        // leap: majority of combined sources' announcements
        int ins = 0, del = 0;
        for (SelectableSource s : combined) {
            int l = s.stats().last().leap();
            if (l == 1) ins++;
            if (l == 2) del++;
        }
        int newLeap = 2 * ins > combined.size() ? 1 : 2 * del > combined.size() ? 2 : 0;
        if (leapPlanner != null) {
            // leapsectz/leapseclist, the June/December rule and leapsecmode decide (the planner sets the kernel)
            inReferenceUpdate = true;
            try {
                leap = leapPlanner.onReferenceUpdate(now, newLeap);
            } finally {
                inReferenceUpdate = false;
            }
        } else if (newLeap != leap) {
            driver.setLeap(newLeap == 1 ? 1 : newLeap == 2 ? -1 : 0);
            leap = newLeap;
        }

        Sample last = sel.stats().last();
        Eval selEval = evals.get(sel);
        double rootDelay = last.rootDelaySeconds() + sel.stats().minDelaySeconds();
        double rootDisp = last.rootDispersionSeconds() + last.peerDispersionSeconds() + selEst.stdDevSeconds()
                + selEst.offsetErrorSeconds() + Math.abs(offset) * 0;
        int stratum = Math.min(16, selEval.stratum + 1);
        reference = new ReferenceState(true, leap, stratum, sel.refId(), now, rootDelay, rootDisp,
                skewPpm + PHI_PPM);
        driver.setSyncStatus(true, rootDisp + rootDelay / 2, rootDisp + rootDelay / 2);
        for (ReferenceListener l : listeners) l.referenceUpdated(reference);
    }

    /** How much of a residual frequency to apply, and the skew of the frequency afterwards. */
    record FrequencyUpdate(double changePpm, double skewPpm) {}

    /**
     * Combines the frequency in use (error {@code oldSkewPpm}, e.g. from the driftfile or earlier
     * updates) with a new estimate that says the clock is {@code residualPpm} fast (error
     * {@code newSkewPpm}), by inverse-variance weighting, as chronyd documents it does: an estimate
     * from a few noisy samples hardly moves a well-known frequency, while a good estimate (or a poor
     * prior, e.g. 2000 ppm at start without a driftfile) is taken nearly whole.
     *
     * <p>When the two disagree by more than their combined error (a stale driftfile, a temperature
     * change), the prior's variance is first scaled up by the excess (chi-square of the difference),
     * so a confident but wrong frequency gives way within a few updates instead of slowly.
     */
    static FrequencyUpdate combineFrequency(double oldSkewPpm, double residualPpm, double newSkewPpm) {
        double oldVar = Math.max(oldSkewPpm * oldSkewPpm, 1e-12);
        double newVar = Math.max(newSkewPpm * newSkewPpm, 1e-12);
        double chi2 = residualPpm * residualPpm / (oldVar + newVar);
        if (chi2 > 1) oldVar *= chi2;
        double wOld = 1.0 / oldVar;
        double wNew = 1.0 / newVar;
        double wSum = wOld + wNew;
        // successive regressions share most of their samples: their estimates are not independent,
        // so the combined skew is not allowed to shrink below the better of the two inputs
        double skew = Math.max(Math.sqrt(1.0 / wSum), Math.min(Math.sqrt(oldVar), newSkewPpm));
        return new FrequencyUpdate(residualPpm * wNew / wSum, skew);
    }

    /** chronyc makestep: finish any pending correction at once by stepping. */
    public boolean makestep() {
        var driver = clock.driver();
        double pending = driver.offsetCorrectionSeconds(driver.readRawNanos());
        // step(0) moves the served (cooked) time by nothing and folds the pending slew into a step:
        // the system clock jumps to the corrected time; for the null driver (-x) it changes nothing.
        driver.step(0.0);
        steps++;
        for (ReferenceListener l : listeners) l.clockStepped(-pending);
        return true;
    }

    /** Report for chronyc tracking. */
    public TrackingData tracking() {
        long raw = clock.driver().readRawNanos();
        long now = clock.cookedNanos(raw);
        double correction = clock.driver().offsetCorrectionSeconds(raw);
        SelectableSource sel = selected;
        ReferenceState r = reference;
        return new TrackingData(r.synchronised() ? r.refId() : 0, sel == null ? null : sel.address(),
                sel == null ? "" : sel.name(), r.synchronised() ? r.stratum() : 0, r.refTimeNanos(), correction,
                lastOffsetSeconds, Math.sqrt(meanSquareOffset), -clock.driver().readFrequencyPpm(), residualFreqPpm,
                skewPpm, r.rootDelaySeconds(), r.synchronised() ? r.rootDispersionAt(now) : 0,
                lastUpdateIntervalSeconds, r.synchronised() ? r.leap() : 3);
    }

    /** chronyc sourcestats line for one source. */
    public SourceStatsData sourceStats(SelectableSource s) {
        return SourceStatsData.of(s, clock.nowNanos());
    }

    // ---- fallbackdrift hook (FallbackDrift) ----

    /**
     * chronyd's REF_SetUnsynchronised: the clock is no longer synchronised (a fallback drift was
     * set after the sources stopped updating it); stratum and reference are dropped, the kernel is
     * told, and listeners republish. The next clock update synchronises again.
     */
    public void setUnsynchronised() {
        if (!reference.synchronised()) return;
        reference = ReferenceState.UNSYNCHRONISED;
        clock.driver().setSyncStatus(false, 0, 0);
        for (ReferenceListener l : listeners) l.referenceUpdated(reference);
    }
}
