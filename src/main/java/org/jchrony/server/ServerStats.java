package org.jchrony.server;

/**
 * The counters behind {@code chronyc serverstats} (chronyd 4.3's eleven values), as plain longs.
 * chronyd counts an NTP "hit" for every request that passed format, access and mode checks,
 * and a "drop" for every one discarded by rate limiting.
 */
public record ServerStats(
        long ntpHits, long ntsKeHits, long cmdHits,
        long ntpDrops, long ntsKeDrops, long cmdDrops,
        long logDrops, long ntpAuthHits, long ntpInterleavedHits,
        long ntpTimestamps, long ntpTimestampSpanSeconds,
        long ntpKodRate) {
}
