package org.jchrony.cmdmon;

/** One client of chronyc clients (RPY_CLIENT_ACCESSES_BY_INDEX3 record); intervals are log2 s, 127 = none. */
public record ClientAccessReport(IpAddr address, long ntpHits, long nkeHits, long cmdHits, long ntpDrops,
                                 long nkeDrops, long cmdDrops, int ntpIntervalLog2, int nkeIntervalLog2,
                                 int cmdIntervalLog2, int ntpTimeoutIntervalLog2, long lastNtpHitAgoSeconds,
                                 long lastNkeHitAgoSeconds, long lastCmdHitAgoSeconds) {}
