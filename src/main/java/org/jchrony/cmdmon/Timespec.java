package org.jchrony.cmdmon;

/**
 * candm's 12-byte Timespec: seconds high word (0x7fffffff means "no high word"), low word,
 * nanoseconds. Kept raw so decoded packets re-encode exactly.
 */
public record Timespec(int secHigh, int secLow, int nanos) {
    public static final int NO_HIGH_SEC = 0x7fffffff;
    public static final Timespec ZERO = new Timespec(0, 0, 0);

    public static Timespec ofEpoch(long seconds, int nanos) {
        return new Timespec((int) (seconds >>> 32), (int) seconds, nanos);
    }

    /** Seconds since the epoch as chronyd reads it (the no-high marker counts as zero). */
    public long epochSeconds() {
        long high = secHigh == NO_HIGH_SEC ? 0 : secHigh & 0xffffffffL;
        return high << 32 | (secLow & 0xffffffffL);
    }

    /** Nanoseconds clamped to 999999999 as chronyd does. */
    public int clampedNanos() {
        return Integer.compareUnsigned(nanos, 999_999_999) > 0 ? 999_999_999 : nanos;
    }
}
