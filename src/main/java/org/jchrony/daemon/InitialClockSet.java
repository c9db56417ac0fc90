package org.jchrony.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;
import org.jchrony.clock.ClockDriver;
import org.jchrony.clock.LinuxRtc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chronyd's {@code -s}: set the clock at start from the RTC or from the driftfile's modification
 * time, as chronyd(8) describes.
 * <ul>
 *   <li>The RTC ({@code rtcdevice}, default /dev/rtc) is read when it can be opened; its time is
 *       local time unless {@code rtconutc}, taken as the middle of its second, and corrected by the
 *       drift recorded in {@code rtcfile} when that file holds valid coefficients. If it is
 *       earlier than the driftfile's modification time it is ignored ("RTC time before last
 *       driftfile modification (ignored)"); otherwise the clock is stepped to it when the
 *       difference is at least a second ("System time set from RTC").</li>
 *   <li>Without a usable RTC, when the driftfile was last modified later than the current time
 *       (a machine without a battery-backed RTC), the clock is stepped forward to that time
 *       (whole seconds, as chronyd), "System time restored from driftfile".</li>
 * </ul>
 * With {@code -x} it is the daemon's virtual clock that moves: the served time is corrected, the
 * system clock is untouched (chronyd 4.3's null clock cannot step and logs "Could not step system
 * clock" instead).
 */
final class InitialClockSet {
    private static final Logger LOG = LoggerFactory.getLogger("chronyd");

    private InitialClockSet() {}

    /** rtcfile coefficients: the RTC was {@code offsetSeconds} fast at {@code refTime}, gaining {@code ratePpm}. */
    record RtcCoefficients(boolean valid, double refTimeSeconds, double offsetSeconds, double ratePpm) {
        static final RtcCoefficients NONE = new RtcCoefficients(false, 0, 0, 0);

        double errorAt(long rtcSeconds) {
            return valid ? offsetSeconds + (rtcSeconds - refTimeSeconds) * 1e-6 * ratePpm : 0;
        }
    }

    /** What the RTC says to do: ignore it, or use it (stepping by {@code fastBySeconds} when non-zero). */
    record RtcDecision(boolean use, double fastBySeconds) {}

    /** Applies -s with the real RTC. Returns the step made ({@code fastBySeconds}, negative = forward), or 0. */
    static double apply(Optional<String> driftFile, String rtcDevice, Optional<String> rtcFile, boolean rtcOnUtc,
                        ClockDriver driver) {
        return apply(driftFile, rtcDevice, rtcFile, rtcOnUtc, driver, LinuxRtc::readTime, ZoneId.systemDefault());
    }

    static double apply(Optional<String> driftFile, String rtcDevice, Optional<String> rtcFile, boolean rtcOnUtc,
                        ClockDriver driver, Function<String, Optional<LinuxRtc.RtcFields>> rtc, ZoneId zone) {
        long driftTime = driftFile.map(InitialClockSet::mtimeSeconds).orElse(0L);
        Optional<LinuxRtc.RtcFields> fields = rtcDevice == null ? Optional.empty() : rtc.apply(rtcDevice);
        if (fields.isPresent()) {
            RtcDecision d = fromRtc(fields.get(), rtcOnUtc, zone, readCoefficients(rtcFile), cookedNanos(driver), driftTime);
            if (d.use()) {
                if (d.fastBySeconds() != 0) {
                    driver.step(d.fastBySeconds());
                    LOG.info("System time set from RTC");
                }
                return d.fastBySeconds();
            }
        }
        if (driftTime == 0) return 0;
        double step = stepFor(cookedNanos(driver), driftTime);
        if (step == 0) return 0;
        driver.step(step);
        LOG.info("System time restored from driftfile");
        return step;
    }

    private static long cookedNanos(ClockDriver driver) {
        long raw = driver.readRawNanos();
        return raw + Math.round(driver.offsetCorrectionSeconds(raw) * 1e9);
    }

    private static long mtimeSeconds(String file) {
        try {
            return Files.getLastModifiedTime(Path.of(file)).toMillis() / 1000;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The step chronyd makes for a driftfile modified at {@code mtimeSeconds} when the clock
     * reads {@code nowNanos}: (now's whole seconds − mtime) when now is earlier, else 0.
     */
    static double stepFor(long nowNanos, long mtimeSeconds) {
        long nowSeconds = Math.floorDiv(nowNanos, 1_000_000_000L);
        return nowSeconds < mtimeSeconds ? (double) (nowSeconds - mtimeSeconds) : 0;
    }

    /** chronyd's use of an RTC reading at start (-s). */
    static RtcDecision fromRtc(LinuxRtc.RtcFields f, boolean utc, ZoneId localZone, RtcCoefficients coefs,
                               long nowNanos, long driftfileTimeSeconds) {
        long rtcSeconds;
        try {
            LocalDateTime t = LocalDateTime.of(1900 + f.yearSince1900(), 1, 1, 0, 0).plusMonths(f.month0())
                    .plusDays(f.dayOfMonth() - 1L).plusHours(f.hour()).plusMinutes(f.minute()).plusSeconds(f.second());
            rtcSeconds = t.atZone(utc ? ZoneOffset.UTC : localZone).toEpochSecond();
        } catch (java.time.DateTimeException e) {
            return new RtcDecision(false, 0);
        }
        // the reading is a whole second: its middle, less the RTC's known error
        double newTime = rtcSeconds + 0.5 - coefs.errorAt(rtcSeconds);
        if (Math.floor(newTime) < driftfileTimeSeconds) {
            LOG.warn("RTC time before last driftfile modification (ignored)");
            return new RtcDecision(false, 0);
        }
        double fastBy = nowNanos * 1e-9 - newTime;
        return new RtcDecision(true, Math.abs(fastBy) >= 1.0 ? fastBy : 0);
    }

    /** rtcfile: "VALID REF_TIME OFFSET RATE" (chronyd's format); none when absent or unreadable. */
    static RtcCoefficients readCoefficients(Optional<String> rtcFile) {
        if (rtcFile.isEmpty() || !Files.exists(Path.of(rtcFile.get()))) return RtcCoefficients.NONE;
        try {
            String[] w = Files.readString(Path.of(rtcFile.get())).trim().split("\\s+");
            if (w.length >= 4) {
                return new RtcCoefficients(Integer.parseInt(w[0]) != 0, Double.parseDouble(w[1]),
                        Double.parseDouble(w[2]), Double.parseDouble(w[3]));
            }
        } catch (IOException | NumberFormatException e) {
            // reported below
        }
        LOG.warn("Could not read coefficients from {}", rtcFile.get());
        return RtcCoefficients.NONE;
    }
}
