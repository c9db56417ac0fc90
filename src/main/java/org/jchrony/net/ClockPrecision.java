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

    /**
     * Smallest positive step between consecutive readings of {@code clock}, in ns. chronyd runs
     * one pass of {@value #CHANGES} changes in C; a JVM at start-up still interprets and compiles
     * the read path, so this repeats passes for at least 500 ms and until the best value has not
     * improved for 20 passes (the JIT is done with it), 2 s at most. Measured here: 500 ms gives
     * 20 ns (log2 −26, as chronyd); stopping at the first plateau gave −23/−24.
     */
    public static long measureNanos(TimeSource clock) {
        return measureNanos(clock, 500);
    }

    /** As {@link #measureNanos(TimeSource)} with at least {@code minMillis} of passes. */
    public static long measureNanos(TimeSource clock, long minMillis) {
        long best = Long.MAX_VALUE;
        int sinceImproved = 0;
        long deadline = System.nanoTime() + 2_000_000_000L;
        long minimumUntil = System.nanoTime() + minMillis * 1_000_000L;
        while ((sinceImproved < 20 || System.nanoTime() < minimumUntil) && System.nanoTime() < deadline) {
            long pass = onePass(clock);
            if (pass < best) {
                best = pass;
                sinceImproved = 0;
            } else {
                sinceImproved++;
            }
            for (int i = 0; i < 2000; i++) clock.realtimeNanos(); // keep the JIT busy with the read path
        }
        return best == Long.MAX_VALUE ? 1_000_000_000L : best;
    }

    private static long onePass(TimeSource clock) {
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
        return best;
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
