package org.jchrony.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Linux driver's leap-second and step paths against the fake kernel: STA_INS/STA_DEL survive
 * sync-status writes and are cleared by setLeap(0), ADJ_TAI carries TAI−UTC, and a step folds in the
 * slew still pending (ClockDriver#step), which the leapsecmode step path and chronyc makestep rely on.
 */
class LeapLinuxClockDriverTest {
    private LinuxFakeKernel kernel;
    private LinuxManualScheduler scheduler;
    private LinuxClockDriver driver;

    @BeforeEach
    void setUp() {
        kernel = new LinuxFakeKernel();
        scheduler = new LinuxManualScheduler();
        driver = new LinuxClockDriver(kernel, scheduler, LinuxClockDriver.DEFAULT_MAX_SLEW_RATE_PPM, true);
    }

    @Test
    void insertRequestSurvivesSyncStatusWritesAndIsCleared() {
        driver.setLeap(1);
        assertThat(kernel.status & Timex.STA_INS).isNotZero();
        driver.setSyncStatus(true, 1e-3, 2e-3);
        assertThat(kernel.status & (Timex.STA_INS | Timex.STA_DEL)).isEqualTo(Timex.STA_INS);
        assertThat(kernel.status & Timex.STA_UNSYNC).as("rtcsync: synchronised").isZero();
        driver.setLeap(0);
        assertThat(kernel.status & (Timex.STA_INS | Timex.STA_DEL)).isZero();
        driver.setLeap(-1);
        assertThat(kernel.status & (Timex.STA_INS | Timex.STA_DEL)).isEqualTo(Timex.STA_DEL);
        assertThatThrownBy(() -> driver.setLeap(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void taiOffsetGoesInTheConstantFieldWithAdjTai() {
        driver.setTaiOffset(37);
        Timex r = kernel.lastRequest();
        assertThat(r.modes()).isEqualTo(LinuxClockDriver.ADJ_TAI);
        assertThat(r.constant()).isEqualTo(37);
        assertThatThrownBy(() -> driver.setTaiOffset(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stepOfZeroCompletesThePendingSlewAtOnce() {
        driver.accrueOffset(0.004, 0.25); // 4 ms fast, slewing at -1000 ppm
        kernel.nowNanos += 1_000_000_000L; // 1 ms of it done
        long before = kernel.nowNanos;
        assertThat(driver.offsetCorrectionSeconds(before)).isCloseTo(-0.003, within(1e-9));
        long at = driver.step(0.0);
        assertThat(kernel.steppedNanos).isCloseTo(-3_000_000L, within(10L));
        assertThat(at).isCloseTo(before - 3_000_000L, within(10L));
        assertThat(driver.offsetCorrectionSeconds(at)).isZero();
        assertThat(driver.slewRatePpm()).isZero();
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void stepWithNothingPendingAndNothingToDoDoesNotTouchTheClock() {
        int before = kernel.requests.size();
        driver.step(0.0);
        assertThat(kernel.requests.subList(before, kernel.requests.size()))
                .noneMatch(r -> (r.modes() & Timex.ADJ_SETOFFSET) != 0);
        assertThat(kernel.steppedNanos).isZero();
    }

    @Test
    void leapStepBacksTheClockByOneSecond() {
        long before = kernel.nowNanos;
        driver.step(1.0); // leapsecmode step, inserted second: the clock is now 1 s fast
        assertThat(kernel.steppedNanos).isEqualTo(-1_000_000_000L);
        assertThat(kernel.nowNanos).isEqualTo(before - 1_000_000_000L);
    }
}
