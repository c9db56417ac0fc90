package org.jchrony.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LinuxClockDriver's bookkeeping against a fake kernel: frequency split, slews, step, leap, sync status. */
class LinuxClockDriverTest {
    private static final double SCALED_PPM = 1.0 / 65536;

    private LinuxFakeKernel kernel;
    private LinuxManualScheduler scheduler;
    private LinuxClockDriver driver;

    @BeforeEach
    void setUp() {
        kernel = new LinuxFakeKernel();
        scheduler = new LinuxManualScheduler();
        driver = new LinuxClockDriver(kernel, scheduler, LinuxClockDriver.DEFAULT_MAX_SLEW_RATE_PPM, true);
    }

    private void advanceSeconds(double s) {
        kernel.nowNanos += Math.round(s * 1e9);
    }

    @Test
    void startsFromTheKernelFrequencyAndWritesNothing() {
        kernel = new LinuxFakeKernel();
        kernel.tick = 10_002;
        kernel.freqScaled = -(30L << 16);
        driver = new LinuxClockDriver(kernel, scheduler, LinuxClockDriver.DEFAULT_MAX_SLEW_RATE_PPM, true);
        assertThat(driver.readFrequencyPpm()).isCloseTo(170.0, within(1e-9));
        assertThat(kernel.requests).allMatch(r -> r.modes() == 0);
    }

    @Test
    void smallFrequenciesUseFreqOnlyWithNominalTick() {
        driver.setFrequencyPpm(-12.345);
        assertThat(kernel.lastRequest().modes()).isEqualTo(Timex.ADJ_FREQUENCY | Timex.ADJ_TICK);
        assertThat(kernel.tick).isEqualTo(10_000);
        assertThat(kernel.freqScaled).isEqualTo(Math.round(-12.345 * 65536));
        assertThat(driver.readFrequencyPpm()).isEqualTo(-12.345);
        driver.setFrequencyPpm(499.0);
        assertThat(kernel.tick).isEqualTo(10_000);
        assertThat(kernel.totalPpm()).isCloseTo(499.0, within(SCALED_PPM));
    }

    @Test
    void largeFrequenciesUseTheTick() {
        driver.setFrequencyPpm(1234.5);
        assertThat(kernel.tick).isEqualTo(10_012);
        assertThat(kernel.freqScaled / 65536.0).isCloseTo(34.5, within(SCALED_PPM));
        assertThat(kernel.totalPpm()).isCloseTo(1234.5, within(SCALED_PPM));

        driver.setFrequencyPpm(-83_333.333);
        assertThat(kernel.tick).isEqualTo(10_000 - 833);
        assertThat(Math.abs(kernel.freqScaled / 65536.0)).isLessThanOrEqualTo(50.0);
        assertThat(kernel.totalPpm()).isCloseTo(-83_333.333, within(SCALED_PPM));
    }

    @Test
    void frequencyIsClampedToTheTickRange() {
        driver.setFrequencyPpm(250_000);
        assertThat(kernel.tick).isEqualTo(10_999);
        assertThat(driver.readFrequencyPpm()).isEqualTo(driver.maxBaseFrequencyPpm()).isEqualTo(99_900.0);
    }

    @Test
    void accruedOffsetIsSlewedOutInAStraightLineAndTheTimerEndsIt() {
        driver.setFrequencyPpm(10.0);
        long t0 = kernel.nowNanos;
        driver.accrueOffset(0.010, 0.1); // 10 ms fast, 10 % per second: −1000 ppm for 10 s
        assertThat(driver.slewRatePpm()).isCloseTo(-1000.0, within(1e-3));
        assertThat(kernel.totalPpm()).isCloseTo(-990.0, within(SCALED_PPM));
        assertThat(driver.readFrequencyPpm()).as("base unchanged").isEqualTo(10.0);
        LinuxManualScheduler.Task timer = scheduler.pending();
        assertThat(timer.delayNanos / 1e9).isCloseTo(10.0, within(1e-6));
        assertThat(driver.slewEndRawNanos() - t0).isEqualTo(timer.delayNanos);
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isCloseTo(-0.010, within(1e-12));

        advanceSeconds(4);
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isCloseTo(-0.006, within(1e-9));

        advanceSeconds(6);
        scheduler.runPending();
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isCloseTo(0.0, within(1e-9));
        assertThat(kernel.totalPpm()).as("back to base").isCloseTo(10.0, within(SCALED_PPM));
        assertThat(driver.slewRatePpm()).isZero();
        assertThat(driver.slewEndRawNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void slowClockIsSpedUp() {
        driver.accrueOffset(-0.002, 0.5);
        assertThat(driver.slewRatePpm()).isCloseTo(1000.0, within(1e-3));
        assertThat(kernel.tick).as("beyond 500 ppm the tick carries it").isEqualTo(10_010);
        assertThat(scheduler.pending().delayNanos / 1e9).isCloseTo(2.0, within(1e-6));
    }

    @Test
    void slewIsCappedAtTheMaxSlewRate() {
        driver.accrueOffset(1.0, 1.0);
        assertThat(driver.slewRatePpm()).isCloseTo(-1e6 / 12, within(SCALED_PPM));
        assertThat(scheduler.pending().delayNanos / 1e9).isCloseTo(12.0, within(1e-5));
    }

    @Test
    void aSlewLastsAtLeastOneSecond() {
        driver.accrueOffset(0.000_1, 100.0);
        assertThat(driver.slewRatePpm()).isCloseTo(-100.0, within(1e-3));
        assertThat(scheduler.pending().delayNanos / 1e9).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void aLateTimerOvershootIsMeasuredAndSlewedBack() {
        driver.accrueOffset(0.010, 0.1);
        advanceSeconds(10.5); // timer half a second late: 0.5 s × 1000 ppm = 0.5 ms overshoot
        scheduler.runPending();
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isCloseTo(0.0005, within(1e-9));
        assertThat(driver.slewRatePpm()).as("now speeding up").isCloseTo(50.0, within(1e-3));
        LinuxManualScheduler.Task timer = scheduler.pending();
        advanceSeconds(timer.delayNanos / 1e9);
        scheduler.runPending();
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isCloseTo(0.0, within(1e-9));
        assertThat(kernel.totalPpm()).isCloseTo(0.0, within(SCALED_PPM));
    }

    @Test
    void offsetsAccruedDuringASlewAddUp() {
        driver.accrueOffset(0.010, 0.1);
        advanceSeconds(5);
        driver.accrueOffset(0.001, 0.1); // remaining 5 ms + 1 ms
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isCloseTo(-0.006, within(1e-9));
        assertThat(driver.slewRatePpm()).isCloseTo(-600.0, within(1e-3));
        assertThat(scheduler.pendingCount()).isEqualTo(1);
    }

    @Test
    void changingTheBaseFrequencyKeepsTheSlew() {
        driver.accrueOffset(0.010, 0.1);
        advanceSeconds(2);
        driver.setFrequencyPpm(20.0);
        assertThat(driver.readFrequencyPpm()).isEqualTo(20.0);
        // re-planned for the 8 ms left at the same rate: −800 ppm on top of the new base
        assertThat(kernel.totalPpm()).isCloseTo(20.0 - 800.0, within(SCALED_PPM));
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isCloseTo(-0.008, within(1e-9));
    }

    @Test
    void stepFoldsInThePendingSlewAndSetsOffsetNormalised() {
        driver.accrueOffset(0.010, 0.1); // -1000 ppm: 1 ms per second
        advanceSeconds(1);
        long before = kernel.nowNanos;
        double cookedBefore = before * 1e-9 + driver.offsetCorrectionSeconds(before);
        long at = driver.step(0.3); // clock 0.3 s fast: step back, plus the 9 ms still to slew
        Timex stepRequest = kernel.lastRequest();
        assertThat(stepRequest.modes()).isEqualTo(Timex.ADJ_SETOFFSET | Timex.ADJ_NANO);
        assertThat(stepRequest.timeSeconds()).isEqualTo(-1);
        assertThat(stepRequest.timeFraction()).isCloseTo(691_000_000L, within(2_000L));
        assertThat(kernel.steppedNanos).isCloseTo(-309_000_000L, within(2_000L));
        assertThat(at).isCloseTo(before - 309_000_000L, within(2_000L));
        double cookedAfter = at * 1e-9 + driver.offsetCorrectionSeconds(at);
        assertThat(cookedAfter - cookedBefore).as("corrected time moves by exactly -0.3 s").isCloseTo(-0.3, within(1e-6));
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isZero();
    }

    @Test
    void stepFoldsThePendingSlewIntoTheStep() {
        driver.accrueOffset(0.010, 0.1); // −1000 ppm for 10 s
        advanceSeconds(1);               // 9 ms still to correct
        long raw = kernel.nowNanos;
        double correctedBefore = raw / 1e9 + driver.offsetCorrectionSeconds(raw);
        long at = driver.step(0.3);
        assertThat(kernel.steppedNanos / 1e9).isCloseTo(-0.309, within(1e-9));
        double correctedAfter = at / 1e9 + driver.offsetCorrectionSeconds(at);
        assertThat(correctedAfter - correctedBefore).as("corrected time moves by exactly -0.3 s")
                .isCloseTo(-0.3, within(1e-6));
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isZero();
        assertThat(kernel.totalPpm()).as("slew ended").isCloseTo(0.0, within(SCALED_PPM));
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(driver.slewEndRawNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void stepZeroFinishesAPendingSlewAtOnce() {
        driver.accrueOffset(-0.004, 0.5); // 4 ms slow
        driver.step(0);
        assertThat(kernel.steppedNanos).isEqualTo(4_000_000L);
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isZero();
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void leapBitsGoInTheStatusWord() {
        kernel.status = Timex.STA_UNSYNC | Timex.STA_PLL | Timex.STA_NANO;
        driver.setLeap(1);
        assertThat(kernel.status & (Timex.STA_INS | Timex.STA_DEL)).isEqualTo(Timex.STA_INS);
        assertThat(kernel.status & Timex.STA_PLL).as("kernel PLL off").isZero();
        assertThat(kernel.status & Timex.STA_NANO).as("other bits kept").isEqualTo(Timex.STA_NANO);
        driver.setLeap(-1);
        assertThat(kernel.status & (Timex.STA_INS | Timex.STA_DEL)).isEqualTo(Timex.STA_DEL);
        driver.setLeap(0);
        assertThat(kernel.status & (Timex.STA_INS | Timex.STA_DEL)).isZero();
        assertThatThrownBy(() -> driver.setLeap(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void syncStatusWithRtcsyncClearsUnsyncAndSetsErrors() {
        driver.setSyncStatus(true, 0.000_250, 0.012);
        assertThat(kernel.status & Timex.STA_UNSYNC).isZero();
        assertThat(kernel.estError).isEqualTo(250);
        assertThat(kernel.maxError).isEqualTo(12_000);
        driver.setLeap(1);
        assertThat(kernel.status & Timex.STA_UNSYNC).as("leap keeps sync state").isZero();
        driver.setSyncStatus(false, 1.0, 100.0);
        assertThat(kernel.status & Timex.STA_UNSYNC).isNotZero();
        assertThat(kernel.maxError).as("kernel limit 16 s").isEqualTo(16_000_000);
        assertThat(kernel.status & Timex.STA_INS).isNotZero();
    }

    @Test
    void withoutRtcsyncTheKernelStaysUnsynchronised() {
        driver = new LinuxClockDriver(kernel, scheduler, LinuxClockDriver.DEFAULT_MAX_SLEW_RATE_PPM, false);
        driver.setSyncStatus(true, 0.001, 0.01);
        assertThat(kernel.status & Timex.STA_UNSYNC).isNotZero();
        assertThat(kernel.maxError).isEqualTo(10_000);
    }

    @Test
    void permissionErrorsSurfaceWithAMessage() {
        kernel.failWithErrno = TimexException.EPERM;
        assertThatThrownBy(() -> driver.setFrequencyPpm(1.0))
                .isInstanceOf(TimexException.class)
                .hasMessageContaining("EPERM")
                .hasMessageContaining("CAP_SYS_TIME");
    }

    @Test
    void closeStopsTheSlewAndKeepsTheRemainder() {
        driver.setFrequencyPpm(5.0);
        driver.accrueOffset(0.010, 0.1);
        advanceSeconds(5);
        driver.close();
        assertThat(kernel.totalPpm()).isCloseTo(5.0, within(SCALED_PPM));
        assertThat(scheduler.pendingCount()).isZero();
        advanceSeconds(100);
        assertThat(driver.offsetCorrectionSeconds(kernel.nowNanos)).isCloseTo(-0.005, within(1e-9));
    }
}
