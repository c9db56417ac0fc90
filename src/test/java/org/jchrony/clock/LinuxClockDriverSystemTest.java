package org.jchrony.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The one test that writes to this machine's clock: the frequency is raised by 0.5 ppm for
 * 2 s (1 µs of drift at most) and the exact original tick and freq are restored in a finally
 * block. Skipped without CAP_SYS_TIME. Never steps or slews an offset.
 */
@Tag("system")
class LinuxClockDriverSystemTest {

    @Test
    void frequencyRoundTripsThroughTheKernelAndIsRestoredExactly() throws InterruptedException {
        LinuxTimex kernel = new LinuxTimex();
        Timex original = kernel.adjust(Timex.read()).timex();
        LinuxClockDriver driver = new LinuxClockDriver(kernel, new LinuxManualScheduler(),
                LinuxClockDriver.DEFAULT_MAX_SLEW_RATE_PPM, true);
        double originalPpm = driver.readFrequencyPpm();
        try {
            try {
                driver.setFrequencyPpm(originalPpm + 0.5);
            } catch (TimexException e) {
                Assumptions.assumeFalse(e.isPermissionDenied(), "no CAP_SYS_TIME here: " + e.getMessage());
                throw e;
            }
            Thread.sleep(2000);
            Timex during = kernel.adjust(Timex.read()).timex();
            assertThat(driver.kernelFrequencyPpm(during)).isCloseTo(originalPpm + 0.5, within(1.0 / 65536));
            assertThat(driver.readFrequencyPpm()).isCloseTo(originalPpm + 0.5, within(1e-12));
        } finally {
            kernel.adjust(Timex.setFrequency(original.freqScaled(), original.tickMicros()));
        }
        Timex restored = kernel.adjust(Timex.read()).timex();
        assertThat(restored.freqScaled()).isEqualTo(original.freqScaled());
        assertThat(restored.tickMicros()).isEqualTo(original.tickMicros());
    }
}
