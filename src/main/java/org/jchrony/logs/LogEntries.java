package org.jchrony.logs;

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
}
