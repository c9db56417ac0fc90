package org.jchrony.core;

/**
 * The real-time clock as a value that can be injected. The daemon passes one reading
 * CLOCK_REALTIME; tests pass a simulated one. Protocol code never calls
 * {@code System.currentTimeMillis()} or {@code Instant.now()} itself.
 */
@FunctionalInterface
public interface TimeSource {
    /** Nanoseconds since 1970-01-01T00:00:00Z. */
    long realtimeNanos();
}
