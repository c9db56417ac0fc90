package org.jchrony.net.bench;

import org.jchrony.core.TimeSource;
import org.jchrony.net.ClockPrecision;
import org.jchrony.net.RealtimeClock;

/**
 * Cost of one CLOCK_REALTIME read through {@link RealtimeClock} (Instant.now) and through the
 * FFM clock_gettime downcall, and the precision each gives (chronyd's measurement).
 * Usage: {@code ClockReadBench [MILLION_READS]}; see bench/clock.sh.
 */
public final class ClockReadBench {
    private ClockReadBench() {}

    public static void main(String[] args) {
        int millions = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        TimeSource instant = RealtimeClock.instant();
        TimeSource ffm = RealtimeClock.INSTANCE;
        for (int round = 0; round < 3; round++) {
            report("Instant.now  ", instant, millions);
            report("FFM gettime  ", ffm, millions);
        }
    }

    private static void report(String name, TimeSource clock, int millions) {
        long n = millions * 1_000_000L;
        long sink = 0;
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) sink += clock.realtimeNanos();
        long t1 = System.nanoTime();
        long precisionNanos = ClockPrecision.measureNanos(clock);
        System.out.printf("%s %.1f ns/read, precision %d ns (log2 %d)%s%n", name, (t1 - t0) / (double) n,
                precisionNanos, ClockPrecision.log2(precisionNanos), sink == 42 ? "!" : "");
    }
}
