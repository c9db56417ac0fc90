package org.jchrony.cmdmon;

import java.util.List;

/** The data of one reply, one record per reply layout of candm.h. */
public sealed interface ReplyBody {
    /** RPY_NULL: status only. */
    record Empty() implements ReplyBody {}

    record NSources(long count) implements ReplyBody {}

    record Source(SourceReport report) implements ReplyBody {}

    record Tracking(TrackingReport report) implements ReplyBody {}

    record SourceStats(SourceStatsReport report) implements ReplyBody {}

    record Rtc(RtcReport report) implements ReplyBody {}

    record Activity(ActivityReport report) implements ReplyBody {}

    record Smoothing(SmoothingReport report) implements ReplyBody {}

    /** newForm: RPY_SERVER_STATS4 (64-bit counters) instead of RPY_SERVER_STATS3. */
    record ServerStats(ServerStatsReport report, boolean newForm) implements ReplyBody {}

    /** newForm: RPY_NTP_DATA2 (with timestamp counters) instead of RPY_NTP_DATA. */
    record NtpData(NtpDataReport report, boolean newForm) implements ReplyBody {}

    record ManualTimestamp2(ManualTimestamp result) implements ReplyBody {}

    record ManualList(List<ManualSample> samples) implements ReplyBody {
        public ManualList {
            samples = List.copyOf(samples);
        }
    }

    /** The name bytes as sent (256, NUL padded). */
    record SourceName(String name) implements ReplyBody {}

    record AuthData(AuthDataReport report) implements ReplyBody {}

    record ClientAccesses(ClientAccessPage page) implements ReplyBody {}

    record SelectData(SelectDataReport report) implements ReplyBody {}
}
