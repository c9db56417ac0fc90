package org.jchrony.cmdmon;

/**
 * chronyc serverstats. Sent as RPY_SERVER_STATS3 (eleven 32-bit counters) to chronyc 4.3 and as
 * RPY_SERVER_STATS4 (64-bit counters incl. timestamp sources) to chronyc 4.4+.
 */
public record ServerStatsReport(long ntpHits, long nkeHits, long cmdHits, long ntpDrops, long nkeDrops,
                                long cmdDrops, long logDrops, long ntpAuthHits, long ntpInterleavedHits,
                                long ntpTimestamps, long ntpSpanSeconds, long ntpDaemonRxTimestamps,
                                long ntpDaemonTxTimestamps, long ntpKernelRxTimestamps,
                                long ntpKernelTxTimestamps, long ntpHwRxTimestamps, long ntpHwTxTimestamps) {
    /** The 4.3 form: the newer counters are absent. */
    public static ServerStatsReport v3(long ntpHits, long nkeHits, long cmdHits, long ntpDrops, long nkeDrops,
                                       long cmdDrops, long logDrops, long ntpAuthHits, long ntpInterleavedHits,
                                       long ntpTimestamps, long ntpSpanSeconds) {
        return new ServerStatsReport(ntpHits, nkeHits, cmdHits, ntpDrops, nkeDrops, cmdDrops, logDrops, ntpAuthHits,
                ntpInterleavedHits, ntpTimestamps, ntpSpanSeconds, 0, 0, 0, 0, 0, 0);
    }
}
