package org.jchrony.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jchrony.clock.ClockDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chronyd's {@code -s} without an RTC reading: when the driftfile was last modified later than
 * the current time (the clock lost time while the machine was off, no battery-backed RTC), the
 * clock is stepped forward to that modification time (whole seconds of the difference, as chronyd
 * does), logging "System time restored from driftfile". With {@code -x} it is the daemon's virtual
 * clock that moves: the served time is corrected, the system clock is untouched.
 *
 * <p>jchrony does not read the RTC itself (no RTC_RD_TIME ioctl): when the RTC device
 * ({@code rtcdevice}, default /dev/rtc) exists, a warning says it is not used and the driftfile
 * time alone decides; without the device chronyd falls back to the driftfile time the same way.
 */
final class InitialClockSet {
    private static final Logger LOG = LoggerFactory.getLogger("chronyd");

    private InitialClockSet() {}

    /**
     * Applies -s.
     *
     * @return the step made, as {@code fastBySeconds} (negative = moved forward), or 0
     */
    static double apply(Optional<String> driftFile, String rtcDevice, ClockDriver driver) {
        // chronyd -s reads the RTC device whenever it can open it (rtcfile only adds drift correction)
        if (rtcDevice != null && Files.exists(Path.of(rtcDevice))) {
            LOG.warn("Reading the RTC ({}) is not supported by jchronyd; -s uses the driftfile time only", rtcDevice);
        }
        if (driftFile.isEmpty()) return 0;
        long mtimeSeconds;
        try {
            mtimeSeconds = Files.getLastModifiedTime(Path.of(driftFile.get())).toMillis() / 1000;
        } catch (IOException e) {
            return 0;
        }
        double step = stepFor(driver.readRawNanos() + Math.round(driver.offsetCorrectionSeconds(driver.readRawNanos()) * 1e9),
                mtimeSeconds);
        if (step == 0) return 0;
        driver.step(step);
        LOG.info("System time restored from driftfile");
        return step;
    }

    /**
     * The step chronyd makes for a driftfile modified at {@code mtimeSeconds} when the clock
     * reads {@code nowNanos}: (now's whole seconds − mtime) when now is earlier, else 0.
     */
    static double stepFor(long nowNanos, long mtimeSeconds) {
        long nowSeconds = Math.floorDiv(nowNanos, 1_000_000_000L);
        return nowSeconds < mtimeSeconds ? (double) (nowSeconds - mtimeSeconds) : 0;
    }
}
