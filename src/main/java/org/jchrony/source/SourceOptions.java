package org.jchrony.source;

import org.jchrony.auth.SourceAuth;

/**
 * Options of a {@code server}, {@code pool} or {@code peer} directive, with chrony.conf's names
 * and defaults ({@link #defaults()}). Values of 0 mean "default" where noted.
 *
 * @param minPollLog2      minpoll (6)
 * @param maxPollLog2      maxpoll (10)
 * @param pollTarget       polltarget (8): samples the regression should use; poll adapts to it
 * @param presendLog2      presend (0 = off): extra request 2 s before polls at or above this poll
 * @param iburst           iburst: four requests at ≤2 s at start (and on going online)
 * @param burst            burst: up to four requests at ≤2 s on each poll until a good sample
 * @param offline          offline: do not poll until switched online
 * @param prefer           prefer
 * @param noselect         noselect
 * @param trust            trust
 * @param require          require
 * @param minStratum       minstratum (0)
 * @param maxDelaySeconds  maxdelay (3 s)
 * @param maxDelayRatio    maxdelayratio (0 = off)
 * @param maxDelayDevRatio maxdelaydevratio (10)
 * @param minDelaySeconds  mindelay (0 = measured)
 * @param asymmetry        asymmetry of the delay jitter, −0.5 … +0.5; positive = the path back from the
 *                         source is more variable, which raises the offset by asymmetry × extra delay.
 *                         Outside that range (default 1.0, chronyd's value for "not set") it is estimated
 *                         from the samples, as chronyd does by default
 * @param offsetSeconds    offset (0): added to the measured offset of the source (positive = source ahead)
 * @param filter           filter (0 = off): median of this many measurements makes one sample
 * @param minSamples       minsamples (0 = default)
 * @param maxSamples       maxsamples (0 = default)
 * @param port             port (123)
 * @param version          version (4)
 * @param maxSources       maxsources of a pool (4)
 * @param auth             key (symmetric-key authentication), {@link SourceAuth#NONE} without one; fixed at
 *                         creation (chronyc modify keeps the source's key)
 */
public record SourceOptions(int minPollLog2, int maxPollLog2, int pollTarget, int presendLog2,
                            boolean iburst, boolean burst, boolean offline,
                            boolean prefer, boolean noselect, boolean trust, boolean require, int minStratum,
                            double maxDelaySeconds, double maxDelayRatio, double maxDelayDevRatio,
                            double minDelaySeconds, double asymmetry, double offsetSeconds, int filter,
                            int minSamples, int maxSamples, int port, int version, int maxSources,
                            SourceAuth auth) {

    public SourceOptions {
        if (auth == null) auth = SourceAuth.NONE;
    }

    /** Without authentication (the constructor before {@code auth} existed). */
    public SourceOptions(int minPollLog2, int maxPollLog2, int pollTarget, int presendLog2,
                         boolean iburst, boolean burst, boolean offline,
                         boolean prefer, boolean noselect, boolean trust, boolean require, int minStratum,
                         double maxDelaySeconds, double maxDelayRatio, double maxDelayDevRatio,
                         double minDelaySeconds, double asymmetry, double offsetSeconds, int filter,
                         int minSamples, int maxSamples, int port, int version, int maxSources) {
        this(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, offline, prefer, noselect, trust,
                require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio, minDelaySeconds, asymmetry,
                offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, SourceAuth.NONE);
    }


    public static SourceOptions defaults() {
        return new SourceOptions(6, 10, 8, 0, false, false, false, false, false, false, false, 0,
                3.0, 0, 10.0, 0, 1.0, 0, 0, 0, 0, 123, 4, 4, SourceAuth.NONE);
    }

    public SourceOptions withPoll(int minPoll, int maxPoll) {
        return new SourceOptions(minPoll, maxPoll, pollTarget, presendLog2, iburst, burst, offline, prefer, noselect,
                trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio, minDelaySeconds,
                asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, auth);
    }

    /** chronyc polltarget. */
    public SourceOptions withPollTarget(int target) {
        return new SourceOptions(minPollLog2, maxPollLog2, target, presendLog2, iburst, burst, offline, prefer, noselect,
                trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio, minDelaySeconds,
                asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, auth);
    }

    public SourceOptions withIburst(boolean on) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, on, burst, offline, prefer,
                noselect, trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, auth);
    }

    public SourceOptions withPort(int p) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, offline, prefer,
                noselect, trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, filter, minSamples, maxSamples, p, version, maxSources, auth);
    }

    public SourceOptions withFlags(boolean prefer, boolean noselect, boolean trust, boolean require) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, offline, prefer,
                noselect, trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, auth);
    }

    public SourceOptions withOffline(boolean off) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, off, prefer,
                noselect, trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, auth);
    }

    public SourceOptions withMaxSources(int n) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, offline, prefer,
                noselect, trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, n, auth);
    }

    public SourceOptions withDelayLimits(double maxDelay, double maxDelayRatio, double maxDelayDevRatio) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, offline, prefer,
                noselect, trust, require, minStratum, maxDelay, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, auth);
    }

    public SourceOptions withFilter(int n) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, offline, prefer,
                noselect, trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, n, minSamples, maxSamples, port, version, maxSources, auth);
    }

    /** Copy with the measurement-correction options changed. */
    public SourceOptions withCorrections(double asymmetry, double offsetSeconds, int minStratum) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, offline, prefer,
                noselect, trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, auth);
    }

    /** Copy with presend and the burst option changed. */
    public SourceOptions withPresendAndBurst(int presendLog2, boolean burst) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, offline, prefer,
                noselect, trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, auth);
    }

    /** Copy with symmetric-key authentication ({@code key ID}). */
    public SourceOptions withAuth(SourceAuth a) {
        return new SourceOptions(minPollLog2, maxPollLog2, pollTarget, presendLog2, iburst, burst, offline, prefer,
                noselect, trust, require, minStratum, maxDelaySeconds, maxDelayRatio, maxDelayDevRatio,
                minDelaySeconds, asymmetry, offsetSeconds, filter, minSamples, maxSamples, port, version, maxSources, a);
    }
}
