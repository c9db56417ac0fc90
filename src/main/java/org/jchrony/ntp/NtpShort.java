package org.jchrony.ntp;

/**
 * The 32-bit NTP short format (RFC 5905: unsigned 16.16 fixed point seconds, used for root
 * delay and root dispersion) and the 4.28 variant chronyd uses in its experimental extension
 * field. Encoding matches chronyd: negative values become 0, values are rounded up (so a
 * non-zero dispersion never encodes as zero), and too large values saturate at 0xffffffff.
 */
public final class NtpShort {
    /** The largest encoded value, as an int bit pattern. */
    public static final int MAX = 0xffff_ffff;

    private NtpShort() {}

    /** Encodes seconds as 16.16 fixed point, rounding up, saturating. */
    public static int fromSeconds(double seconds) {
        return fixed(seconds, 65536.0);
    }

    /** Decodes a 16.16 fixed point value (unsigned) to seconds. */
    public static double toSeconds(int ntpShort) {
        return (ntpShort & 0xffff_ffffL) / 65536.0;
    }

    /** Encodes seconds as 4.28 fixed point, rounding up, saturating. */
    public static int fromSecondsF28(double seconds) {
        return fixed(seconds, 268435456.0);
    }

    /** Decodes a 4.28 fixed point value (unsigned) to seconds. */
    public static double toSecondsF28(int value) {
        return (value & 0xffff_ffffL) / 268435456.0;
    }

    private static int fixed(double seconds, double scale) {
        if (!(seconds > 0.0)) return 0; // also NaN
        double v = seconds * scale;
        if (v >= 4294967295.0) return MAX;
        long r = (long) v;
        if (r < v) r++;
        return (int) r;
    }
}
