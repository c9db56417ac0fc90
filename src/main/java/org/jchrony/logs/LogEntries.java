package org.jchrony.logs;

import org.jchrony.discipline.SourceData;
import org.jchrony.discipline.SourceState;
import org.jchrony.discipline.SourceStatsData;
import org.jchrony.discipline.TrackingData;
import org.jchrony.source.NtpData;

/**
 * Builds {@link LogEntry} records from the daemon's report records, for the fields those
 * records carry; the caller supplies the rest (figures only the discipline knows at the moment
 * of the event). Pure.
 */
public final class LogEntries {
    private LogEntries() {}

    /**
     * A measurements.log line for the response described by {@code d} ({@code chronyc ntpdata}'s
     * record of it).
     *
     * @param timeNanos     time of the sample (Unix ns)
     * @param localPollLog2 our polling interval when the response came
     * @param pollScore     chronyd's poll score (1.0 when not tracked)
     */
    public static LogEntry.Measurement measurement(long timeNanos, NtpData d, int localPollLog2, double pollScore,
                                                   boolean interleaved, LogEntry.TimestampSource tx,
                                                   LogEntry.TimestampSource rx) {
        return new LogEntry.Measurement(timeNanos, LogFormat.address(d.address()), d.leap(), d.stratum(),
                d.tests().render(), localPollLog2, d.pollLog2(), pollScore, d.offsetSeconds(), d.peerDelaySeconds(),
                d.peerDispersionSeconds(), d.rootDelaySeconds(), d.rootDispersionSeconds(), d.refId(), d.mode(),
                interleaved, tx, rx);
    }

    /**
     * A tracking.log line after a clock update. The reference column is the source's address,
     * else its reference id as text, and 0.0.0.0 when not synchronised (as chronyd).
     *
     * @param combinedSources            sources combined in the update
     * @param offsetSdSeconds            standard deviation of the combined offset
     * @param remainingCorrectionSeconds offset still being slewed when the update came
     * @param maxErrorSeconds            root distance of the update plus the previous update's offset
     */
    public static LogEntry.Tracking tracking(long nowNanos, TrackingData t, int combinedSources, double offsetSdSeconds,
                                             double remainingCorrectionSeconds, double maxErrorSeconds) {
        String reference = t.refAddress() != null ? LogFormat.address(t.refAddress())
                : t.leap() == 3 ? "0.0.0.0" : LogFormat.refIdText(t.refId());
        return new LogEntry.Tracking(nowNanos, reference, t.stratum(), t.freqPpm(), t.skewPpm(), t.lastOffsetSeconds(),
                t.leap(), combinedSources, offsetSdSeconds, remainingCorrectionSeconds, t.rootDelaySeconds(),
                t.rootDispersionSeconds(), maxErrorSeconds);
    }

    /**
     * A statistics.log line after a regression.
     *
     * @param stress    chronyd's runs-test stress figure (0 when not computed)
     * @param bestStart samples dropped from the start of the regression
     * @param asymmetry estimated delay asymmetry (0 when not estimated)
     */
    public static LogEntry.Statistics statistics(long timeNanos, SourceStatsData s, double stress, int bestStart,
                                                 double asymmetry) {
        String source = s.address() != null ? LogFormat.address(s.address()) : LogFormat.refIdText(s.refId());
        return new LogEntry.Statistics(timeNanos, source, s.stdDevSeconds(), s.offsetSeconds(), s.offsetErrorSeconds(),
                s.residualFreqPpm(), s.skewPpm(), stress, s.samples(), bestStart, s.runs(), asymmetry);
    }

    /**
     * A selection.log line for one source. The status letter comes from the source's
     * {@code chronyc sources} state, which is coarser than chronyd's selection status: '*'
     * selected, '+' combined or not combined (chronyd's "unselected"), 'x' falseticker,
     * '~' jittery, and 'N' for every other reason a source is unusable.
     *
     * @param score                reselection score (1.0 when not tracked)
     * @param lastSampleAgoSeconds age of the source's last sample
     * @param lowEndSeconds        low end of its offset interval at selection
     * @param highEndSeconds       high end
     */
    public static LogEntry.Selection selection(long nowNanos, SourceData d, double score, double lastSampleAgoSeconds,
                                               double lowEndSeconds, double highEndSeconds) {
        String source = d.address() != null ? LogFormat.address(d.address()) : d.name() == null ? "" : d.name();
        return new LogEntry.Selection(nowNanos, source, status(d.state()), d.noselect(), d.prefer(), d.trust(),
                d.require(), d.reach(), score, lastSampleAgoSeconds, lowEndSeconds, highEndSeconds);
    }

    /** The selection log's status letter for a {@code chronyc sources} state (see {@link #selection}). */
    public static LogEntry.SelectionStatus status(SourceState state) {
        return switch (state) {
            case SELECTED -> LogEntry.SelectionStatus.SELECTED;
            case COMBINED, NOT_COMBINED -> LogEntry.SelectionStatus.UNSELECTED;
            case FALSETICKER -> LogEntry.SelectionStatus.FALSETICKER;
            case JITTERY -> LogEntry.SelectionStatus.JITTERY;
            case UNSELECTABLE -> LogEntry.SelectionStatus.UNSELECTABLE;
        };
    }
}
