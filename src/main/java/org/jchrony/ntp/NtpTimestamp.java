package org.jchrony.ntp;

/**
 * Conversions between the NTP 64-bit timestamp format (32-bit seconds since 1900 + 32-bit
 * fraction, RFC 5905) and nanoseconds since the Unix epoch. The 32-bit seconds field wraps
 * every 136 years (first in 2036), so decoding is era-aware: the era is chosen that puts the
 * result within 68 years of a pivot time (normally "now").
 */
public final class NtpTimestamp {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    public static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long ERA_SECONDS = 1L << 32;

    private NtpTimestamp() {}

    /** Encodes a Unix time in nanoseconds as a 64-bit NTP timestamp (era bits dropped). */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(unixNanos, NANOS_PER_SECOND);
        long ntpSeconds = (seconds + NTP_UNIX_OFFSET_SECONDS) & 0xffff_ffffL;
        long fraction = (nanos << 32) / NANOS_PER_SECOND; // nanos < 2^30, fits
        // round to nearest instead of truncating so a round trip is exact to the nanosecond
        long back = (fraction * NANOS_PER_SECOND) >>> 32;
        if (back < nanos) fraction++;
        return ntpSeconds << 32 | (fraction & 0xffff_ffffL);
    }

    /** Decodes a 64-bit NTP timestamp to Unix nanoseconds, in the era nearest {@code pivotUnixNanos}. */
    public static long toUnixNanos(long ntp, long pivotUnixNanos) {
        long ntpSeconds = ntp >>> 32;
        long fraction = ntp & 0xffff_ffffL;
        long pivotNtpSeconds = Math.floorDiv(pivotUnixNanos, NANOS_PER_SECOND) + NTP_UNIX_OFFSET_SECONDS;
        long era = Math.floorDiv(pivotNtpSeconds, ERA_SECONDS);
        long candidate = era * ERA_SECONDS + ntpSeconds;
        long diff = candidate - pivotNtpSeconds;
        if (diff > ERA_SECONDS / 2) candidate -= ERA_SECONDS;
        else if (diff < -ERA_SECONDS / 2) candidate += ERA_SECONDS;
        long nanos = (fraction * NANOS_PER_SECOND + (1L << 31)) >>> 32;
        return (candidate - NTP_UNIX_OFFSET_SECONDS) * NANOS_PER_SECOND + nanos;
    }

    /** Seconds between two NTP timestamps (b - a), exact across one wrap of the seconds field. */
    public static double diffSeconds(long a, long b) {
        return (b - a) / 4294967296.0;
    }

    /** Encodes seconds as the 32-bit NTP short format (16.16 fixed point), saturating. */
    public static int toShort(double seconds) {
        if (!(seconds > 0)) return 0;
        double v = seconds * 65536.0;
        if (v >= 4294967295.0) return 0xffff_ffff;
        return (int) (long) Math.ceil(v);
    }

    /** Decodes the 32-bit NTP short format (16.16 fixed point) to seconds. */
    public static double fromShort(int ntpShort) {
        return (ntpShort & 0xffff_ffffL) / 65536.0;
    }
}
