package org.jchrony.metrics;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jchrony.logs.LogFormat;
import org.jchrony.discipline.SourceData;
import org.jchrony.discipline.SourceStatsData;
import org.jchrony.discipline.TrackingData;
import org.jchrony.server.ClientLog;
import org.jchrony.server.ServerStats;
import org.jchrony.source.SourceManager;

/**
 * Everything the metrics endpoint exports, read from core state at one instant: the figures of
 * {@code chronyc tracking}, {@code sources}, {@code sourcestats} and {@code serverstats}.
 * Immutable; {@link MetricsText} renders it. Signs: offsets positive when the local clock is
 * ahead of the reference (as {@code chronyc tracking}'s "Last offset").
 */
public record MetricsSnapshot(Tracking tracking, List<Source> sources, ServerCounters server) {

    public MetricsSnapshot {
        Objects.requireNonNull(tracking);
        Objects.requireNonNull(server);
        sources = List.copyOf(sources);
    }

    /**
     * {@code chronyc tracking}.
     *
     * @param synchronised           the clock is synchronised (leap status not "not synchronised")
     * @param referenceId            Reference ID
     * @param referenceAddress       address of the selected source ("" when none or a reference clock)
     * @param referenceName          name of the selected source ("" when none)
     * @param stratum                Stratum
     * @param leap                   leap status 0 normal, 1 insert, 2 delete, 3 not synchronised
     * @param referenceTimeSeconds   Ref time as Unix seconds (0 never)
     * @param systemTimeOffsetSeconds how far the system clock is ahead of NTP time now (negative: behind);
     *                               the negation of chronyc's "System time ... slow" figure
     * @param lastOffsetSeconds      Last offset
     * @param rmsOffsetSeconds       RMS offset
     * @param frequencyPpm           Frequency as chronyd reports it (positive = clock fast without correction)
     * @param residualFrequencyPpm   Residual freq
     * @param skewPpm                Skew
     * @param rootDelaySeconds       Root delay
     * @param rootDispersionSeconds  Root dispersion
     * @param updateIntervalSeconds  Update interval
     */
    public record Tracking(boolean synchronised, int referenceId, String referenceAddress, String referenceName,
                           int stratum, int leap, double referenceTimeSeconds, double systemTimeOffsetSeconds,
                           double lastOffsetSeconds, double rmsOffsetSeconds, double frequencyPpm,
                           double residualFrequencyPpm, double skewPpm, double rootDelaySeconds,
                           double rootDispersionSeconds, double updateIntervalSeconds) {
        public Tracking {
            Objects.requireNonNull(referenceAddress);
            Objects.requireNonNull(referenceName);
        }
    }

    /**
     * One source: a line of {@code chronyc sources} joined with its {@code sourcestats} line.
     *
     * @param address              IP address (or reference id text for a reference clock)
     * @param name                 configured name ("" when none)
     * @param mode                 "server", "peer" or "refclock"
     * @param state                "selected", "unselectable", "falseticker", "jittery", "combined", "not_combined"
     * @param reach                reach register (0..255)
     * @param pollLog2             polling interval, log2 seconds
     * @param lastSampleAgeSeconds LastRx (negative when never)
     * @param lastOffsetSeconds    last sample's offset adjusted for later corrections
     * @param lastOffsetErrorSeconds its error bound
     * @param stats                sourcestats figures, null when the source has no samples
     */
    public record Source(String address, String name, String mode, String state, int reach, int pollLog2,
                         int stratum, double lastSampleAgeSeconds, double lastOffsetSeconds,
                         double lastOffsetErrorSeconds, SourceStats stats) {
        public Source {
            Objects.requireNonNull(address);
            Objects.requireNonNull(name);
            Objects.requireNonNull(mode);
            Objects.requireNonNull(state);
        }
    }

    /** {@code chronyc sourcestats}: NP, NR, Span, Frequency, Freq Skew, Offset, Std Dev. */
    public record SourceStats(int samples, int runs, double spanSeconds, double frequencyPpm, double skewPpm,
                              double offsetSeconds, double offsetErrorSeconds, double stdDevSeconds) {}

    /**
     * {@code chronyc serverstats} counters (monotonic since start).
     *
     * @param ntpPacketsReceived    NTP requests that passed access checks
     * @param ntpPacketsDropped     NTP requests dropped by rate limiting
     * @param ntpKodRateSent        rate-limited NTP requests answered with a RATE kiss-o'-death
     * @param ntpAuthenticated      authenticated NTP requests
     * @param ntpInterleaved        interleaved NTP requests
     * @param ntsKeConnectionsAccepted NTS-KE connections accepted
     * @param ntsKeConnectionsDropped  NTS-KE connections dropped by rate limiting
     * @param commandPacketsReceived chronyc command requests received
     * @param commandPacketsDropped  command requests dropped by rate limiting
     * @param clientLogRecordsDropped client records dropped when the log was full
     * @param clientLogRecords      client records held now (a gauge; negative = unknown, not exported)
     * @param ntpTimestampsHeld     server timestamps saved for interleaved mode (gauge)
     * @param ntpTimestampSpanSeconds span of those timestamps (gauge)
     */
    public record ServerCounters(long ntpPacketsReceived, long ntpPacketsDropped, long ntpKodRateSent,
                                 long ntpAuthenticated, long ntpInterleaved, long ntsKeConnectionsAccepted,
                                 long ntsKeConnectionsDropped, long commandPacketsReceived, long commandPacketsDropped,
                                 long clientLogRecordsDropped, long clientLogRecords, long ntpTimestampsHeld,
                                 long ntpTimestampSpanSeconds) {}

    /**
     * Builds a snapshot from the daemon's report records (call on the core loop): {@code
     * SourceManager.tracking()}, {@code sources()}, {@code sourceStats()}, {@code
     * ClientLog.serverStats()}; {@code clientLogRecords} negative when unknown.
     */
    public static MetricsSnapshot of(TrackingData t, List<SourceData> sources, List<SourceStatsData> stats,
                                     ServerStats s, long clientLogRecords) {
        Tracking tracking = new Tracking(t.leap() != 3, t.refId(),
                t.refAddress() == null ? "" : address(t.refAddress()), t.refName() == null ? "" : t.refName(),
                t.stratum(), t.leap(), t.refTimeNanos() / 1e9, -t.currentCorrectionSeconds(), t.lastOffsetSeconds(),
                t.rmsOffsetSeconds(), t.freqPpm(), t.residualFreqPpm(), t.skewPpm(), t.rootDelaySeconds(),
                t.rootDispersionSeconds(), t.lastUpdateIntervalSeconds());
        List<Source> out = new ArrayList<>(sources.size());
        for (SourceData d : sources) {
            SourceStats st = null;
            for (SourceStatsData x : stats) {
                boolean same = d.address() != null ? d.address().equals(x.address())
                        : x.address() == null && Objects.equals(d.name(), x.name());
                if (same && x.samples() > 0) {
                    st = new SourceStats(x.samples(), x.runs(), x.spanSeconds(), x.residualFreqPpm(), x.skewPpm(),
                            x.offsetSeconds(), x.offsetErrorSeconds(), x.stdDevSeconds());
                    break;
                }
            }
            String addr = d.address() != null ? address(d.address()) : d.name() == null ? "" : d.name();
            out.add(new Source(addr, d.name() == null ? "" : d.name(), d.mode().name().toLowerCase(Locale.ROOT),
                    d.state().name().toLowerCase(Locale.ROOT), d.reach(), d.pollLog2(), d.stratum(),
                    d.sinceSampleSeconds(), d.latestOffsetSeconds(), d.latestErrorSeconds(), st));
        }
        ServerCounters counters = new ServerCounters(s.ntpHits(), s.ntpDrops(), s.ntpKodRate(), s.ntpAuthHits(),
                s.ntpInterleavedHits(), s.ntsKeHits(), s.ntsKeDrops(), s.cmdHits(), s.cmdDrops(), s.logDrops(),
                clientLogRecords, s.ntpTimestamps(), s.ntpTimestampSpanSeconds());
        return new MetricsSnapshot(tracking, out, counters);
    }

    /**
     * Builds a snapshot straight from the daemon's objects; call on the core loop.
     * {@code clientLogRecords} counts the occupied records of the client log (a walk of its
     * table, as {@code chronyc clients} does).
     *
     * @param nowNanos current real time (Unix ns), for the client log walk
     */
    public static MetricsSnapshot of(SourceManager sources, ClientLog clientLog, long nowNanos) {
        long records = 0;
        int size = clientLog.tableSize();
        for (int i = 0; i < size; i++) {
            if (clientLog.report(i, false, 0, nowNanos) != null) records++;
        }
        return of(sources.tracking(), sources.sources(), sources.sourceStats(), clientLog.serverStats(), records);
    }

    private static String address(InetAddress a) {
        return LogFormat.address(a);
    }
}
