package org.jchrony.server;

/**
 * One {@code ratelimit} / {@code cmdratelimit} / {@code ntsratelimit} directive, as chronyd
 * reads it: {@code interval} (log2 seconds between responses, default 3, clamped to -19..12),
 * {@code burst} (default 8, clamped to 1..255), {@code leak} (a limited request is still answered
 * with probability 1/2^leak; default 2, clamped to 1..4) and {@code kod} (chronyd 4.4+: of the
 * requests that would be dropped, 1/2^kod get a KoD RATE answer instead; 0 = off, the only
 * behaviour of 4.3).
 */
public record RateLimit(int intervalLog2, int burst, int leakLog2, int kodLog2) {
    public static final int MIN_INTERVAL = -19;
    public static final int MAX_INTERVAL = 12;

    /** chronyd's defaults for {@code ratelimit} with no options. */
    public static RateLimit defaults() {
        return new RateLimit(3, 8, 2, 0);
    }

    public int clampedInterval() {
        return Math.clamp(intervalLog2, MIN_INTERVAL, MAX_INTERVAL);
    }

    public int clampedBurst() {
        return Math.clamp(burst, 1, 255);
    }

    public int clampedLeak() {
        return Math.clamp(leakLog2, 1, 4);
    }

    public int clampedKod() {
        return Math.clamp(kodLog2, 0, 4);
    }
}
