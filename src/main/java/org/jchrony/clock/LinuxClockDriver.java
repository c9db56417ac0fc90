package org.jchrony.clock;

import java.util.Objects;
import org.jchrony.core.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system clock of a Linux host, driven the way chronyd's Linux driver drives it: the
 * kernel's NTP PLL is not used; chronyd-style frequency and slew control goes through
 * {@code clock_adjtime(CLOCK_REALTIME)} ({@link TimexKernel}).
 *
 * <ul>
 * <li><b>Frequency</b>: {@code ADJ_FREQUENCY} (ppm·2<sup>16</sup>) while |f| ≤ 500 ppm, the
 * kernel's limit, with the tick at its nominal 1e6/USER_HZ µs. Beyond that the tick carries
 * the bulk ({@code ADJ_TICK}: one µs per tick is USER_HZ ppm, 100 ppm at USER_HZ 100) and the
 * frequency the remainder (within ±USER_HZ/2 ppm). The kernel adds the two, so the clock
 * reaches ±10 % (the kernel's tick range); slews are capped at {@code maxslewrate}, 83333.333
 * ppm by default, as chronyd on Linux.</li>
 * <li><b>Slewing</b>: an accrued offset is corrected by adding a slew frequency on top of the
 * base frequency, in a straight line: {@code slew = −offset · correctionRate}, limited so the
 * slew lasts at least {@value #MIN_SLEW_SECONDS} s and never exceeds the max slew rate. The
 * driver books the offset still to correct against CLOCK_REALTIME read after every kernel
 * call, and ends the slew with a timer on the injected {@link Scheduler}; if the timer runs
 * late, the overshoot is measured and slewed back the same way.</li>
 * <li><b>Step</b>: {@code ADJ_SETOFFSET|ADJ_NANO} with a normalised timespec; the part of a
 * pending slew not yet done is folded into the step (the raw clock jumps by it too) and the slew
 * ends, so {@code step(0)} completes a slew at once, as {@code chronyc makestep}.</li>
 * <li><b>Leap</b>: {@code STA_INS}/{@code STA_DEL} in {@code ADJ_STATUS} (chronyd's
 * {@code leapsecmode system}).</li>
 * <li><b>Sync status</b>: maxerror/esterror are set; {@code STA_UNSYNC} is cleared only when
 * synchronised and {@code rtcsync} is on, which lets the kernel copy the time to the RTC every
 * 11 minutes, as chronyd's {@code rtcsync} does. Status writes also clear {@code STA_PLL} and
 * {@code STA_FREQHOLD}: the kernel PLL must not fight the daemon.</li>
 * </ul>
 *
 * <p>Construction only reads the kernel state: the base frequency starts as the kernel's
 * current frequency (what a previous chronyd left, as chronyd does). Failures (EPERM without
 * CAP_SYS_TIME) surface as {@link TimexException}.
 *
 * <p>Threading: meant to be called from the core loop, the thread the {@link Scheduler} runs
 * its tasks on; all methods are synchronized anyway, so a stray reader is safe.
 */
public final class LinuxClockDriver implements ClockDriver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LinuxClockDriver.class);

    /** chronyd's default {@code maxslewrate} on Linux, ppm. */
    public static final double DEFAULT_MAX_SLEW_RATE_PPM = 1e6 / 12.0;
    /** The kernel's own frequency limit (MAXFREQ), ppm. */
    public static final double KERNEL_MAX_FREQ_PPM = 500.0;
    /** A slew lasts at least this long, so a late timer costs at most a small fraction of the offset. */
    public static final double MIN_SLEW_SECONDS = 1.0;
    /** Offsets smaller than this are not worth a slew. */
    static final double MIN_OFFSET_SECONDS = 1e-9;
    /** The kernel keeps maxerror/esterror at most 16 s (NTP_PHASE_LIMIT). */
    private static final long MAX_ERROR_MICROS = 16_000_000L;
    /** Status bits this driver owns; the others are preserved on writes. */
    private static final int OWNED_STATUS = Timex.STA_PLL | Timex.STA_FREQHOLD | Timex.STA_UNSYNC
            | Timex.STA_INS | Timex.STA_DEL;

    private final TimexKernel kernel;
    private final Scheduler scheduler;
    private final double maxSlewRatePpm;
    private final boolean rtcSync;
    private final long nominalTickMicros;
    private final double tickPpm;
    private final long maxTickDelta;

    private double baseFreqPpm;
    /** Frequency the kernel applies now (tick + freq, quantised), ppm. */
    private double appliedFreqPpm;
    /** Offset still to correct (positive: clock fast) as of {@link #registerRawNanos}. */
    private double offsetRegisterSeconds;
    private long registerRawNanos;
    /** Slew rate in effect (applied − base), ppm; 0 when not slewing. */
    private double slewPpm;
    private double lastCorrectionRate = 1.0;
    private long slewEndRawNanos = Long.MAX_VALUE;
    private Scheduler.Timer slewTimer;
    private boolean unsync = true;
    private int leap;

    /** The real clock with chronyd's default max slew rate. */
    public LinuxClockDriver(Scheduler scheduler, boolean rtcSync) {
        this(new LinuxTimex(), scheduler, DEFAULT_MAX_SLEW_RATE_PPM, rtcSync);
    }

    /**
     * @param kernel the clock_adjtime/clock_gettime calls ({@link LinuxTimex} in the daemon)
     * @param scheduler core-loop timers; the driver schedules the end of each slew on it
     * @param maxSlewRatePpm chrony.conf {@code maxslewrate}, capped at what the tick allows
     * @param rtcSync chrony.conf {@code rtcsync}: let the kernel's 11-minute mode run when synchronised
     */
    public LinuxClockDriver(TimexKernel kernel, Scheduler scheduler, double maxSlewRatePpm, boolean rtcSync) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.rtcSync = rtcSync;
        int hz = kernel.userHz();
        this.nominalTickMicros = Math.round(1e6 / hz);
        this.tickPpm = hz;
        // The kernel accepts tick in [900000/USER_HZ, 1100000/USER_HZ]; stay one µs inside.
        this.maxTickDelta = nominalTickMicros / 10 - 1;
        double kernelLimit = maxTickDelta * tickPpm;
        if (!(maxSlewRatePpm > 0)) {
            throw new IllegalArgumentException("maxSlewRatePpm must be positive: " + maxSlewRatePpm);
        }
        this.maxSlewRatePpm = Math.min(maxSlewRatePpm, kernelLimit);
        TimexKernel.Result now = kernel.adjust(Timex.read());
        this.baseFreqPpm = kernelFrequencyPpm(now.timex());
        this.appliedFreqPpm = baseFreqPpm;
        this.unsync = (now.timex().status() & Timex.STA_UNSYNC) != 0;
        this.registerRawNanos = kernel.realtimeNanos();
        log.debug("Linux clock: USER_HZ {}, nominal tick {} us, kernel frequency {} ppm, max slew {} ppm",
                hz, nominalTickMicros, baseFreqPpm, this.maxSlewRatePpm);
    }

    /** Total frequency of a kernel state: (tick − nominal)·USER_HZ + freq/2^16, ppm. */
    public double kernelFrequencyPpm(Timex t) {
        return (t.tickMicros() - nominalTickMicros) * tickPpm + t.freqPpm();
    }

    /** The tick and freq fields that make {@code freqPpm}: tick nominal within ±500 ppm. */
    Timex frequencyRequest(double freqPpm) {
        long tickDelta = 0;
        if (Math.abs(freqPpm) > KERNEL_MAX_FREQ_PPM) {
            tickDelta = Math.round(freqPpm / tickPpm);
            tickDelta = Math.max(-maxTickDelta, Math.min(maxTickDelta, tickDelta));
        }
        double residualPpm = freqPpm - tickDelta * tickPpm;
        residualPpm = Math.max(-KERNEL_MAX_FREQ_PPM, Math.min(KERNEL_MAX_FREQ_PPM, residualPpm));
        long freqScaled = Math.round(residualPpm * Timex.FREQ_SCALE);
        return Timex.setFrequency(freqScaled, nominalTickMicros + tickDelta);
    }

    @Override
    public long readRawNanos() {
        return kernel.realtimeNanos();
    }

    @Override
    public synchronized double readFrequencyPpm() {
        return baseFreqPpm;
    }

    /** Largest base frequency the kernel can apply (±10 % tick range), ppm. */
    public double maxBaseFrequencyPpm() {
        return maxTickDelta * tickPpm;
    }

    @Override
    public synchronized long setFrequencyPpm(double freqPpm) {
        if (!Double.isFinite(freqPpm)) {
            throw new IllegalArgumentException("frequency must be finite: " + freqPpm);
        }
        double limit = maxBaseFrequencyPpm();
        baseFreqPpm = Math.max(-limit, Math.min(limit, freqPpm));
        return updateSlew(kernel.realtimeNanos());
    }

    @Override
    public synchronized long accrueOffset(double fastBySeconds, double correctionRate) {
        if (!Double.isFinite(fastBySeconds)) {
            throw new IllegalArgumentException("offset must be finite: " + fastBySeconds);
        }
        long now = kernel.realtimeNanos();
        advanceRegister(now);
        offsetRegisterSeconds += fastBySeconds;
        if (correctionRate > 0 && Double.isFinite(correctionRate)) {
            lastCorrectionRate = correctionRate;
        }
        return updateSlew(now);
    }

    /**
     * Steps by {@code -fastBySeconds} in corrected time, as {@link ClockDriver#step} says: the
     * slew still pending is folded into the same step (the kernel clock jumps by
     * {@code -(fastBySeconds + pending)}) and none remains, so {@code step(0)} finishes a slew
     * at once, as {@code chronyc makestep} does.
     */
    @Override
    public synchronized long step(double fastBySeconds) {
        if (!Double.isFinite(fastBySeconds)) {
            throw new IllegalArgumentException("offset must be finite: " + fastBySeconds);
        }
        cancelTimer();
        long now = applyFrequency(baseFreqPpm);
        // Book the slew done up to the frequency change; what is left is folded into the step, so
        // the corrected time moves by exactly -fastBySeconds (ClockDriver#step).
        advanceRegister(now);
        double pendingFastBySeconds = offsetRegisterSeconds;
        slewPpm = 0;
        slewEndRawNanos = Long.MAX_VALUE;
        offsetRegisterSeconds = 0;
        double totalFastBySeconds = fastBySeconds + pendingFastBySeconds;
        long deltaNanos = Math.round(-totalFastBySeconds * 1e9);
        if (deltaNanos != 0) {
            kernel.adjust(Timex.stepBy(deltaNanos));
        }
        long after = kernel.realtimeNanos();
        registerRawNanos = after;
        if (deltaNanos != 0) {
            log.debug("kernel clock stepped by {} seconds", -totalFastBySeconds);
        }
        return after;
    }

    @Override
    public synchronized double offsetCorrectionSeconds(long rawNanos) {
        double fastBy = offsetRegisterSeconds + slewPpm * 1e-6 * ((rawNanos - registerRawNanos) / 1e9);
        return -fastBy;
    }

    @Override
    public synchronized long setLeap(int leap) {
        if (leap < -1 || leap > 1) {
            throw new IllegalArgumentException("leap must be -1, 0 or +1: " + leap);
        }
        this.leap = leap;
        writeStatus(null);
        return kernel.realtimeNanos();
    }

    /** {@code ADJ_TAI}: the value goes in the {@code constant} field of struct timex. */
    static final int ADJ_TAI = 0x0080;

    /**
     * Tells the kernel TAI−UTC ({@code ADJ_TAI}), as chronyd does with {@code leapsectz}/{@code leapseclist}
     * in {@code leapsecmode system}; CLOCK_TAI then reads correctly.
     */
    public synchronized long setTaiOffset(int taiMinusUtcSeconds) {
        if (taiMinusUtcSeconds < 0 || taiMinusUtcSeconds > 1000) {
            throw new IllegalArgumentException("implausible TAI-UTC offset: " + taiMinusUtcSeconds);
        }
        kernel.adjust(new Timex(ADJ_TAI, 0, 0, 0, 0, 0, taiMinusUtcSeconds, 0, 0, 0, 0, 0, 0));
        return kernel.realtimeNanos();
    }

    @Override
    public synchronized void setSyncStatus(boolean synchronised, double estErrorSeconds, double maxErrorSeconds) {
        unsync = !(synchronised && rtcSync);
        writeStatus(new long[] {toErrorMicros(maxErrorSeconds), toErrorMicros(estErrorSeconds)});
    }

    @Override
    public double maxFrequencyPpm() {
        return maxSlewRatePpm;
    }

    @Override
    public boolean controlsSystemClock() {
        return true;
    }

    /** Raw time the current slew is expected to end, or {@link Long#MAX_VALUE} when not slewing. */
    public synchronized long slewEndRawNanos() {
        return slewEndRawNanos;
    }

    /** Slew frequency currently added to the base frequency, ppm (0 when not slewing). */
    public synchronized double slewRatePpm() {
        return slewPpm;
    }

    /** Stops any slew (the kernel is left at the base frequency); the remaining offset is kept. */
    @Override
    public synchronized void close() {
        cancelTimer();
        if (slewPpm != 0) {
            long now = applyFrequency(baseFreqPpm);
            advanceRegister(now);
            slewPpm = 0;
            slewEndRawNanos = Long.MAX_VALUE;
        }
    }

    private synchronized void onSlewTimer() {
        slewTimer = null;
        updateSlew(kernel.realtimeNanos());
    }

    /** Re-plans the slew for the offset in the register and applies base + slew to the kernel. */
    private long updateSlew(long now) {
        cancelTimer();
        advanceRegister(now);
        double offset = offsetRegisterSeconds;
        double wantedSlewPpm = 0;
        if (Math.abs(offset) >= MIN_OFFSET_SECONDS) {
            double ratePerSecond = Math.min(lastCorrectionRate, 1.0 / MIN_SLEW_SECONDS);
            wantedSlewPpm = -offset * ratePerSecond * 1e6;
            wantedSlewPpm = Math.max(-maxSlewRatePpm, Math.min(maxSlewRatePpm, wantedSlewPpm));
        }
        long after = applyFrequency(baseFreqPpm + wantedSlewPpm);
        // Until the call, the old slew ran; from it on, the new one.
        advanceRegister(after);
        double actualSlewPpm = appliedFreqPpm - baseFreqPpm;
        if (wantedSlewPpm == 0 || actualSlewPpm == 0 || Math.signum(actualSlewPpm) != Math.signum(wantedSlewPpm)) {
            slewPpm = 0;
            slewEndRawNanos = Long.MAX_VALUE;
            return after;
        }
        slewPpm = actualSlewPpm;
        double durationSeconds = -offsetRegisterSeconds / (slewPpm * 1e-6);
        long durationNanos = (long) Math.ceil(Math.max(0.0, durationSeconds) * 1e9);
        slewEndRawNanos = after + durationNanos;
        slewTimer = scheduler.schedule(durationNanos, this::onSlewTimer);
        return after;
    }

    /** Books the slew done since the last update: the register moves at the slew rate. */
    private void advanceRegister(long now) {
        offsetRegisterSeconds += slewPpm * 1e-6 * ((now - registerRawNanos) / 1e9);
        registerRawNanos = now;
    }

    /** Sets the kernel frequency to {@code totalPpm} (quantised) and returns the raw time after. */
    private long applyFrequency(double totalPpm) {
        Timex request = frequencyRequest(totalPpm);
        TimexKernel.Result result = kernel.adjust(request);
        long after = kernel.realtimeNanos();
        // What the kernel reports back is what it applies (it clamps freq to ±500 ppm).
        Timex applied = result.timex().tickMicros() != 0 ? result.timex() : request;
        appliedFreqPpm = kernelFrequencyPpm(applied);
        return after;
    }

    private void writeStatus(long[] maxAndEstErrorMicros) {
        int current = kernel.adjust(Timex.read()).timex().status();
        int status = current & ~OWNED_STATUS;
        if (unsync) {
            status |= Timex.STA_UNSYNC;
        }
        if (leap > 0) {
            status |= Timex.STA_INS;
        } else if (leap < 0) {
            status |= Timex.STA_DEL;
        }
        Timex request = maxAndEstErrorMicros == null
                ? Timex.setStatus(status)
                : Timex.setStatusAndErrors(status, maxAndEstErrorMicros[0], maxAndEstErrorMicros[1]);
        kernel.adjust(request);
    }

    private static long toErrorMicros(double seconds) {
        if (!(seconds >= 0)) {
            return MAX_ERROR_MICROS;
        }
        return Math.min(MAX_ERROR_MICROS, Math.round(seconds * 1e6));
    }

    private void cancelTimer() {
        if (slewTimer != null) {
            slewTimer.cancel();
            slewTimer = null;
        }
    }
}
