package org.jchrony.daemon;

import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import org.jchrony.clock.ClockJumpDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What chronyd does when the system clock jumps under it (a step it did not make): it logs
 * "Forward time jump detected!" or "Backward time jump detected!", every source forgets its
 * samples (they were measured against the clock before the jump, so a regression over both
 * sides would turn the jump into a bogus frequency), and replies to requests sent before the
 * jump are not used. The clock's offset is then measured again and corrected by the usual
 * rules (makestep, or a slew; the null driver of -x applies it at once).
 *
 * <p>The daemon checks once a second and before each upstream response ({@link #admitResponse});
 * a response is dropped when a jump is found at its arrival or in the {@value #QUARANTINE_NANOS}
 * ns before it (its request may have left before the jump). Core loop only.
 */
public final class ClockJumpWatch {
    private static final Logger LOG = LoggerFactory.getLogger("chronyd");
    /** How long after a jump responses are not used (a request sent before it may still be answered). */
    static final long QUARANTINE_NANOS = 2_000_000_000L;

    private final ClockJumpDetector detector;
    private final LongSupplier monotonicNanos;
    private final Runnable resetSources;
    private long lastJumpMonotonicNanos;
    private boolean jumped;
    private long jumps;

    /**
     * @param detector       the detector (its driver wrapper must be what the discipline steps)
     * @param monotonicNanos the same monotonic clock the detector uses
     * @param resetSources   what forgets every source's samples (SourceManager::resetSources)
     */
    public ClockJumpWatch(ClockJumpDetector detector, LongSupplier monotonicNanos, Runnable resetSources) {
        this.detector = detector;
        this.monotonicNanos = monotonicNanos;
        this.resetSources = resetSources;
    }

    /**
     * CLOCK_MONOTONIC ({@link System#nanoTime}) for the daemon's detector. Test hook: with the system
     * property {@code jchrony.test.monotonicShiftFile} naming a file that holds a number of
     * nanoseconds, that many are subtracted from it, which the detector sees exactly as the
     * real-time clock jumping forward by as much (a negative number: backward), without any clock
     * being touched. Never set in production; read once at start.
     */
    static LongSupplier monotonicClock() {
        String hook = System.getProperty("jchrony.test.monotonicShiftFile");
        if (hook == null) return System::nanoTime;
        java.nio.file.Path file = java.nio.file.Path.of(hook);
        LOG.warn("Test hook: monotonic clock shifted by the contents of {}", file);
        long[] cache = {0, Long.MIN_VALUE}; // shift, when read (re-read at most every 200 ms)
        return () -> {
            long now = System.nanoTime();
            if (cache[1] == Long.MIN_VALUE || now - cache[1] > 200_000_000L) {
                try {
                    cache[0] = Long.parseLong(java.nio.file.Files.readString(file).trim());
                } catch (java.io.IOException | NumberFormatException e) {
                    // being rewritten: keep the last value
                }
                cache[1] = now;
            }
            return now - cache[0];
        };
    }

    /** The periodic check; true if a jump was found (and handled). */
    public boolean check() {
        OptionalDouble jump = detector.check();
        if (jump.isEmpty()) return false;
        double seconds = jump.getAsDouble();
        jumps++;
        jumped = true;
        lastJumpMonotonicNanos = monotonicNanos.getAsLong();
        LOG.warn("{} time jump detected! ({} seconds)", seconds > 0 ? "Forward" : "Backward",
                String.format(java.util.Locale.ROOT, "%+.6f", seconds));
        resetSources.run();
        return true;
    }

    /** Checks, then whether an upstream response arriving now may be used. */
    public boolean admitResponse() {
        check();
        return !jumped || monotonicNanos.getAsLong() - lastJumpMonotonicNanos >= QUARANTINE_NANOS;
    }

    /** Jumps found so far. */
    public long jumps() {
        return jumps;
    }
}
