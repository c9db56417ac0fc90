package org.jchrony.net;

import org.jchrony.core.TimeSource;

/**
 * Measures the precision of reading the clock, as chronyd does at start for the precision
 * field of its NTP packets: the smallest positive difference between consecutive readings
 * over 100 changes, as a rounded power of two (chronyd 4.3 reports −26, about 15 ns, on this
 * VM). chrony.conf {@code clockprecision} overrides the measurement in chronyd.
 */
public final class ClockPrecision {
    private static final int CHANGES = 100;

    private ClockPrecision() {}

    /** Smallest positive step between consecutive readings of {@code clock}, in ns. */
    public static long measureNanos(TimeSource clock) {
        // warm up so the JIT has compiled the read path
        long sink = 0;
        for (int i = 0; i < 20_000; i++) sink += clock.realtimeNanos();
        long best = Long.MAX_VALUE;
        int changes = 0;
        long previous = clock.realtimeNanos();
        long guard = 0;
        while (changes < CHANGES && guard++ < 100_000_000L) {
            long now = clock.realtimeNanos();
            long diff = now - previous;
            previous = now;
            if (diff > 0) {
                if (diff < best) best = diff;
                changes++;
            }
        }
        if (sink == 42) best++; // keep the warm-up loop alive
        return best == Long.MAX_VALUE ? 1_000_000_000L : best;
    }

    /** round(log2(precision in seconds)), clamped to [-30, 0] like the NTP field. */
    public static int log2(long precisionNanos) {
        double log2 = Math.log(precisionNanos * 1e-9) / Math.log(2.0);
        return (int) Math.max(-30, Math.min(0, Math.round(log2)));
    }

    /** Measures {@link RealtimeClock}'s precision as a power of two. */
    public static int measureLog2() {
        return log2(measureNanos(RealtimeClock.INSTANCE));
    }
}
