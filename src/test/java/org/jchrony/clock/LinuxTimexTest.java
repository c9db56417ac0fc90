package org.jchrony.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The real kernel, read-only: clock_adjtime with modes 0 and clock_gettime. Changes nothing. */
class LinuxTimexTest {

    @Test
    void readsTheKernelClockStateWithoutChangingIt() {
        LinuxTimex kernel = new LinuxTimex();
        assertThat(kernel.userHz()).isPositive();
        long nominal = Math.round(1e6 / kernel.userHz());
        TimexKernel.Result a = kernel.adjust(Timex.read());
        TimexKernel.Result b = kernel.adjust(Timex.read());
        assertThat(a.timex().tickMicros()).isBetween(nominal * 9 / 10, nominal * 11 / 10);
        assertThat(a.timex().freqPpm()).isBetween(-500.0, 500.0);
        assertThat(a.timex().tolerance()).as("500 ppm << 16").isEqualTo(500L << 16);
        assertThat(a.clockState()).isBetween(0, 5);
        assertThat(b.timex().freqScaled()).isEqualTo(a.timex().freqScaled());
        assertThat(b.timex().tickMicros()).isEqualTo(a.timex().tickMicros());
        assertThat(b.timex().status()).isEqualTo(a.timex().status());
        // The struct carries the current time; it agrees with clock_gettime.
        long fracNanos = (a.timex().status() & Timex.STA_NANO) != 0
                ? a.timex().timeFraction() : a.timex().timeFraction() * 1000;
        long structNanos = a.timex().timeSeconds() * 1_000_000_000L + fracNanos;
        assertThat((double) kernel.realtimeNanos()).isCloseTo((double) structNanos, within(1e9));
    }

    @Test
    void clockGettimeIsTheRealtimeClock() {
        LinuxTimex kernel = new LinuxTimex();
        long before = System.currentTimeMillis();
        long raw = kernel.realtimeNanos();
        long after = System.currentTimeMillis();
        assertThat(raw / 1_000_000L).isBetween(before - 1, after + 1);
        long r2 = kernel.realtimeNanos();
        assertThat(r2).isGreaterThanOrEqualTo(raw);
    }

    @Test
    void driverConstructionOnlyReads() {
        LinuxTimex kernel = new LinuxTimex();
        Timex before = kernel.adjust(Timex.read()).timex();
        LinuxClockDriver driver = new LinuxClockDriver(kernel, new LinuxManualScheduler(),
                LinuxClockDriver.DEFAULT_MAX_SLEW_RATE_PPM, true);
        Timex after = kernel.adjust(Timex.read()).timex();
        assertThat(after.freqScaled()).isEqualTo(before.freqScaled());
        assertThat(after.tickMicros()).isEqualTo(before.tickMicros());
        assertThat(driver.readFrequencyPpm()).isCloseTo(driver.kernelFrequencyPpm(before), within(1e-9));
        assertThat(driver.controlsSystemClock()).isTrue();
        assertThat(driver.maxFrequencyPpm()).isCloseTo(83333.333, within(0.001));
    }
}
