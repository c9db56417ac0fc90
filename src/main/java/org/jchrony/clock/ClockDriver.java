package org.jchrony.clock;

/**
 * The local clock behind one interface, in the spirit of chrony's local clock driver table.
 *
 * <p>Conventions: "raw" time is the clock as read now (CLOCK_REALTIME for the Linux driver,
 * a virtual clock for the null driver, simulated time in tests), in nanoseconds since the
 * Unix epoch. An offset argument named {@code fastBySeconds} is how far the clock is ahead
 * of true time: a positive value makes the driver slow the clock down or step it back.
 * Frequencies are in ppm; a positive frequency makes the clock run faster.
 *
 * <p>Every mutator returns the raw time at which it took effect, so callers can re-base
 * stored samples. Implementations: {@code LinuxClockDriver} (FFM adjtimex/clock_adjtime),
 * {@code NullClockDriver} (-x: a virtual clock, the system clock untouched),
 * {@code SimulatedClock} (tests).
 */
public interface ClockDriver {

    /** Reads the clock. */
    long readRawNanos();

    /** The frequency adjustment currently applied, in ppm. */
    double readFrequencyPpm();

    /** Sets the frequency adjustment (clamped by the driver to what it supports). */
    long setFrequencyPpm(double freqPpm);

    /**
     * Adds {@code fastBySeconds} to the offset still to be slewed out, correcting at
     * {@code correctionRate} (the fraction of the remaining offset corrected per second, as
     * chronyd's corrtimeratio-derived rate; the driver caps the slew at its max slew rate).
     */
    long accrueOffset(double fastBySeconds, double correctionRate);

    /**
     * Steps the clock by {@code -fastBySeconds} at once, discarding any pending slew.
     *
     * <p>Precisely (the discipline relies on it): the corrected time
     * {@code raw + offsetCorrectionSeconds(raw)} moves by exactly {@code -fastBySeconds}; a slew
     * still pending is folded into the step (the raw clock jumps by the pending correction too)
     * and no slew remains. So {@code step(0)} completes a pending slew at once (chronyc makestep)
     * and, for the null driver, changes nothing.
     */
    long step(double fastBySeconds);

    /**
     * The correction still to be applied at raw time {@code rawNanos}, in seconds: true time
     * is approximately raw + correction. For the null driver this is the whole accumulated
     * offset; for a real driver it is the part of the slew not yet done.
     */
    double offsetCorrectionSeconds(long rawNanos);

    /** Leap second to announce to the kernel: +1 insert, -1 delete, 0 none. */
    long setLeap(int leap);

    /** Synchronisation status and error estimates for the kernel (rtcsync, STA_UNSYNC). */
    void setSyncStatus(boolean synchronised, double estErrorSeconds, double maxErrorSeconds);

    /** Largest frequency offset (ppm) the driver can apply, used to cap slews. */
    double maxFrequencyPpm();

    /** Whether this driver controls the system clock (false for -x and tests). */
    boolean controlsSystemClock();
}
