package org.jchrony.clock;

/**
 * The two kernel calls {@link LinuxClockDriver} needs, behind an interface so the driver's
 * bookkeeping (frequency split into tick + freq, slews, leap and sync status) can be tested
 * against a fake kernel without touching this machine's clock. {@link LinuxTimex} is the real
 * one: {@code clock_adjtime(CLOCK_REALTIME, struct timex *)} and
 * {@code clock_gettime(CLOCK_REALTIME)} through FFM.
 */
public interface TimexKernel {

    /** What {@code clock_adjtime} returned: the clock state (TIME_OK ... TIME_ERROR) and the struct. */
    record Result(int clockState, Timex timex) {}

    /** Applies {@code request} (modes say which fields) and returns the kernel's state after it. */
    Result adjust(Timex request);

    /** CLOCK_REALTIME in nanoseconds since the Unix epoch. */
    long realtimeNanos();

    /** The kernel's USER_HZ (sysconf(_SC_CLK_TCK)); the nominal tick is 1e6 / USER_HZ µs. */
    int userHz();
}
