package org.jchrony.server;

/**
 * What the NTP server answers with, published by the core as one immutable value (a volatile
 * reference, see {@link ServerSnapshotHolder}) so the server threads never lock core state.
 * Mirrors the parameters chronyd's reference module hands its NTP responses
 * (REF_GetReferenceParams) plus the -x time conversion:
 * <ul>
 * <li>{@code leap} (0-3), {@code stratum} (16 or more is sent as 0), {@code refId};</li>
 * <li>{@code referenceTimeNanos}: served Unix time of the last reference update, 0 for none
 *     (sent as a zero timestamp);</li>
 * <li>{@code rootDelaySeconds}; {@code rootDispersionSeconds} at the reference time, growing by
 *     {@code dispersionRate} seconds per second since then (chronyd: skew + |residual freq| +
 *     maxclockerror; 0 for a local reference, whose dispersion chronyd keeps at 0);</li>
 * <li>{@code precisionLog2};</li>
 * <li>{@code synchronised}; {@code localReference}: the answers come from {@code local stratum N}
 *     and the reference time is maintained by the responder as chronyd does (now - 1 s - random
 *     [0, 1] s, renewed when older than 64 s);</li>
 * <li>the raw-to-served conversion used in -x mode, where the system clock is not touched:
 *     {@code served = raw + offsetSeconds + (raw - baseRawNanos) * rate} (identity by default);</li>
 * <li>chronyd's monotonic timescale for its experimental extension field (0xF323):
 *     {@code mono = served + monoOffsetSeconds}, where the offset accumulates the slews applied
 *     since the last step and {@code monoEpoch} is a random id renewed on every step.</li>
 * </ul>
 */
public record ServerSnapshot(
        int leap, int stratum, int refId, long referenceTimeNanos,
        double rootDelaySeconds, double rootDispersionSeconds, double dispersionRate,
        int precisionLog2, boolean synchronised, boolean localReference,
        double offsetSeconds, long baseRawNanos, double rate,
        double monoOffsetSeconds, int monoEpoch) {

    public static final int LEAP_NORMAL = 0;
    public static final int LEAP_INSERT = 1;
    public static final int LEAP_DELETE = 2;
    public static final int LEAP_UNSYNCHRONISED = 3;
    /** Reference id chronyd uses for {@code local}: 127.127.1.1. */
    public static final int REFID_LOCAL = 0x7F7F0101;
    /** Reference id of an unsynchronised server. */
    public static final int REFID_UNSYNC = 0;
    /** Precision chronyd 4.3 measured on this kind of machine. */
    public static final int DEFAULT_PRECISION_LOG2 = -26;

    public ServerSnapshot {
        if (leap < 0 || leap > 3) throw new IllegalArgumentException("leap must be 0..3: " + leap);
        if (stratum < 0 || stratum > 255) throw new IllegalArgumentException("stratum must be 0..255: " + stratum);
        if (precisionLog2 < -32 || precisionLog2 > 32) throw new IllegalArgumentException("precision out of range: " + precisionLog2);
    }

    /**
     * chronyd with no usable source and no {@code local}: leap 3, stratum 0 on the wire, refid 0,
     * zero reference time, root delay and dispersion 1 s (observed: 0x00010000 each).
     */
    public static ServerSnapshot unsynchronised(int precisionLog2) {
        return new ServerSnapshot(LEAP_UNSYNCHRONISED, 16, REFID_UNSYNC, 0, 1.0, 1.0, 0.0,
                precisionLog2, false, false, 0.0, 0, 0.0, 0.0, 0);
    }

    /** chronyd's {@code local stratum N} when not synchronised: leap 0, refid 127.127.1.1, delay/dispersion 0. */
    public static ServerSnapshot localStratum(int stratum, int precisionLog2) {
        if (stratum < 1 || stratum > 15) throw new IllegalArgumentException("local stratum must be 1..15: " + stratum);
        return new ServerSnapshot(LEAP_NORMAL, stratum, REFID_LOCAL, 0, 0.0, 0.0, 0.0,
                precisionLog2, false, true, 0.0, 0, 0.0, 0.0, 0);
    }

    /** Synchronised to a source: the core fills these from its reference state. */
    public static ServerSnapshot synchronised(int leap, int stratum, int refId, long referenceTimeNanos,
            double rootDelaySeconds, double rootDispersionSeconds, double dispersionRate, int precisionLog2) {
        return new ServerSnapshot(leap, stratum, refId, referenceTimeNanos, rootDelaySeconds, rootDispersionSeconds,
                dispersionRate, precisionLog2, true, false, 0.0, 0, 0.0, 0.0, 0);
    }

    /** This snapshot with another raw-to-served conversion (-x mode). */
    public ServerSnapshot withCorrection(double offsetSeconds, long baseRawNanos, double rate) {
        return new ServerSnapshot(leap, stratum, refId, referenceTimeNanos, rootDelaySeconds, rootDispersionSeconds,
                dispersionRate, precisionLog2, synchronised, localReference, offsetSeconds, baseRawNanos, rate,
                monoOffsetSeconds, monoEpoch);
    }

    /** This snapshot with another monotonic timescale (offset from served time, epoch id). */
    public ServerSnapshot withMonotonic(double monoOffsetSeconds, int monoEpoch) {
        return new ServerSnapshot(leap, stratum, refId, referenceTimeNanos, rootDelaySeconds, rootDispersionSeconds,
                dispersionRate, precisionLog2, synchronised, localReference, offsetSeconds, baseRawNanos, rate,
                monoOffsetSeconds, monoEpoch);
    }

    /** Converts a raw (system clock) time to the served time, in Unix nanoseconds. */
    public long served(long rawNanos) {
        if (offsetSeconds == 0.0 && rate == 0.0) return rawNanos;
        return rawNanos + Math.round(offsetSeconds * 1e9 + (rawNanos - baseRawNanos) * rate);
    }

    /**
     * Root dispersion to send at served time {@code nowNanos}: grows from the reference time
     * (chronyd's get_root_dispersion: 1 s when synchronised with no reference time).
     */
    public double rootDispersionAt(long nowNanos) {
        if (!synchronised) return rootDispersionSeconds;
        if (referenceTimeNanos == 0) return 1.0;
        return rootDispersionSeconds + Math.abs((nowNanos - referenceTimeNanos) * 1e-9) * dispersionRate;
    }
}
