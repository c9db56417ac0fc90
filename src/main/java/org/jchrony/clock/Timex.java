package org.jchrony.clock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The fields of the kernel's {@code struct timex} that jchrony reads or writes, as a value,
 * with the x86-64 glibc layout (208 bytes, 64-bit longs). Offsets were checked against
 * {@code offsetof} on this machine's glibc headers: modes@0, offset@8, freq@16, maxerror@24,
 * esterror@32, status@40, constant@48, precision@56, tolerance@64, time.tv_sec@72,
 * time.tv_usec@80 (nanoseconds when {@code ADJ_NANO}/{@code STA_NANO}), tick@88, tai@160.
 *
 * <p>Units are the kernel's: {@code freqScaled} is ppm·2<sup>16</sup>, {@code maxErrorMicros}
 * and {@code estErrorMicros} are microseconds, {@code tickMicros} is microseconds per
 * USER_HZ tick. This record only encodes and decodes; {@link LinuxTimex} makes the call.
 */
public record Timex(
        int modes,
        long offset,
        long freqScaled,
        long maxErrorMicros,
        long estErrorMicros,
        int status,
        long constant,
        long precision,
        long tolerance,
        long timeSeconds,
        long timeFraction,
        long tickMicros,
        int tai) {

    /** Size of glibc's struct timex on x86-64. */
    public static final long SIZE = 208;

    public static final int ADJ_OFFSET = 0x0001;
    public static final int ADJ_FREQUENCY = 0x0002;
    public static final int ADJ_MAXERROR = 0x0004;
    public static final int ADJ_ESTERROR = 0x0008;
    public static final int ADJ_STATUS = 0x0010;
    public static final int ADJ_TIMECONST = 0x0020;
    public static final int ADJ_SETOFFSET = 0x0100;
    public static final int ADJ_MICRO = 0x1000;
    public static final int ADJ_NANO = 0x2000;
    public static final int ADJ_TICK = 0x4000;

    public static final int STA_PLL = 0x0001;
    public static final int STA_PPSFREQ = 0x0002;
    public static final int STA_PPSTIME = 0x0004;
    public static final int STA_FLL = 0x0008;
    public static final int STA_INS = 0x0010;
    public static final int STA_DEL = 0x0020;
    public static final int STA_UNSYNC = 0x0040;
    public static final int STA_FREQHOLD = 0x0080;
    public static final int STA_NANO = 0x2000;

    /** Return value of adjtimex when STA_UNSYNC is set (clock not synchronised). */
    public static final int TIME_ERROR = 5;

    /** One ppm in the kernel's freq unit. */
    public static final double FREQ_SCALE = 65536.0;

    static final long OFF_MODES = 0;
    static final long OFF_OFFSET = 8;
    static final long OFF_FREQ = 16;
    static final long OFF_MAXERROR = 24;
    static final long OFF_ESTERROR = 32;
    static final long OFF_STATUS = 40;
    static final long OFF_CONSTANT = 48;
    static final long OFF_PRECISION = 56;
    static final long OFF_TOLERANCE = 64;
    static final long OFF_TIME_SEC = 72;
    static final long OFF_TIME_FRAC = 80;
    static final long OFF_TICK = 88;
    static final long OFF_TAI = 160;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** A read-only request (modes 0): the kernel fills in its state and changes nothing. */
    public static Timex read() {
        return new Timex(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Sets the frequency and the tick length together ({@code ADJ_FREQUENCY|ADJ_TICK}). */
    public static Timex setFrequency(long freqScaled, long tickMicros) {
        return new Timex(ADJ_FREQUENCY | ADJ_TICK, 0, freqScaled, 0, 0, 0, 0, 0, 0, 0, 0, tickMicros, 0);
    }

    /** Sets the status word ({@code ADJ_STATUS}). */
    public static Timex setStatus(int status) {
        return new Timex(ADJ_STATUS, 0, 0, 0, 0, status, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Sets status, maximum and estimated error ({@code ADJ_STATUS|ADJ_MAXERROR|ADJ_ESTERROR}). */
    public static Timex setStatusAndErrors(int status, long maxErrorMicros, long estErrorMicros) {
        return new Timex(ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR, 0, 0, maxErrorMicros, estErrorMicros,
                status, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Steps the clock by {@code deltaNanos} ({@code ADJ_SETOFFSET|ADJ_NANO}). The kernel wants
     * a normalised timespec: tv_nsec in [0, 1e9), so −0.3 s is {tv_sec −1, tv_nsec 700000000}.
     */
    public static Timex stepBy(long deltaNanos) {
        long seconds = Math.floorDiv(deltaNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(deltaNanos, NANOS_PER_SECOND);
        return new Timex(ADJ_SETOFFSET | ADJ_NANO, 0, 0, 0, 0, 0, 0, 0, 0, seconds, nanos, 0, 0);
    }

    /** The frequency field in ppm. */
    public double freqPpm() {
        return freqScaled / FREQ_SCALE;
    }

    /** Writes this value into {@code segment} (at least {@link #SIZE} bytes); other bytes are zeroed. */
    public void encode(MemorySegment segment) {
        segment.asSlice(0, SIZE).fill((byte) 0);
        segment.set(ValueLayout.JAVA_INT, OFF_MODES, modes);
        segment.set(ValueLayout.JAVA_LONG, OFF_OFFSET, offset);
        segment.set(ValueLayout.JAVA_LONG, OFF_FREQ, freqScaled);
        segment.set(ValueLayout.JAVA_LONG, OFF_MAXERROR, maxErrorMicros);
        segment.set(ValueLayout.JAVA_LONG, OFF_ESTERROR, estErrorMicros);
        segment.set(ValueLayout.JAVA_INT, OFF_STATUS, status);
        segment.set(ValueLayout.JAVA_LONG, OFF_CONSTANT, constant);
        segment.set(ValueLayout.JAVA_LONG, OFF_PRECISION, precision);
        segment.set(ValueLayout.JAVA_LONG, OFF_TOLERANCE, tolerance);
        segment.set(ValueLayout.JAVA_LONG, OFF_TIME_SEC, timeSeconds);
        segment.set(ValueLayout.JAVA_LONG, OFF_TIME_FRAC, timeFraction);
        segment.set(ValueLayout.JAVA_LONG, OFF_TICK, tickMicros);
        segment.set(ValueLayout.JAVA_INT, OFF_TAI, tai);
    }

    /** Reads the fields back from a struct the kernel filled in. */
    public static Timex decode(MemorySegment segment) {
        return new Timex(
                segment.get(ValueLayout.JAVA_INT, OFF_MODES),
                segment.get(ValueLayout.JAVA_LONG, OFF_OFFSET),
                segment.get(ValueLayout.JAVA_LONG, OFF_FREQ),
                segment.get(ValueLayout.JAVA_LONG, OFF_MAXERROR),
                segment.get(ValueLayout.JAVA_LONG, OFF_ESTERROR),
                segment.get(ValueLayout.JAVA_INT, OFF_STATUS),
                segment.get(ValueLayout.JAVA_LONG, OFF_CONSTANT),
                segment.get(ValueLayout.JAVA_LONG, OFF_PRECISION),
                segment.get(ValueLayout.JAVA_LONG, OFF_TOLERANCE),
                segment.get(ValueLayout.JAVA_LONG, OFF_TIME_SEC),
                segment.get(ValueLayout.JAVA_LONG, OFF_TIME_FRAC),
                segment.get(ValueLayout.JAVA_LONG, OFF_TICK),
                segment.get(ValueLayout.JAVA_INT, OFF_TAI));
    }
}
