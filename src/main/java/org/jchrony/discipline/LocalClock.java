package org.jchrony.discipline;

import org.jchrony.clock.ClockDriver;

/**
 * The local time the discipline works in: "cooked" time = raw clock + the correction the driver
 * has still to apply, as chronyd measures with its corrected local time. With the null driver
 * (-x) this is the disciplined virtual clock; with a real driver it includes the unfinished slew.
 */
public final class LocalClock {
    private final ClockDriver driver;

    public LocalClock(ClockDriver driver) {
        this.driver = driver;
    }

    public ClockDriver driver() { return driver; }

    /** Cooked time for a raw timestamp (e.g. a kernel RX stamp). */
    public long cookedNanos(long rawNanos) {
        return rawNanos + Math.round(driver.offsetCorrectionSeconds(rawNanos) * 1e9);
    }

    /** Current cooked time. */
    public long nowNanos() {
        return cookedNanos(driver.readRawNanos());
    }
}
