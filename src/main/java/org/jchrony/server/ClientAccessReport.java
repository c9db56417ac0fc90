package org.jchrony.server;

/**
 * One row of {@code chronyc clients} (chronyd's client access report). Intervals are log2
 * seconds, 127 when unknown; "ago" values are seconds, -1 (0xffffffff on the wire) when never.
 */
public record ClientAccessReport(
        byte[] address, int family,
        long ntpHits, long ntsKeHits, long cmdHits,
        long ntpDrops, long ntsKeDrops, long cmdDrops,
        int ntpIntervalLog2, int ntsKeIntervalLog2, int cmdIntervalLog2, int ntpTimeoutIntervalLog2,
        long lastNtpHitAgoSeconds, long lastNtsKeHitAgoSeconds, long lastCmdHitAgoSeconds) {
}
