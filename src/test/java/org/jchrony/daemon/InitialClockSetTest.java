package org.jchrony.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneId;
import java.util.Optional;
import org.jchrony.clock.LinuxRtc;
import org.jchrony.clock.NullClockDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chronyd's -s: RTC reading (with rtcfile drift and rtconutc) and the driftfile-time fallback. */
class InitialClockSetTest {
    /** 2026-11-26 12:00:00 UTC. */
    private static final long NOON = 1_795_694_400L;
    private static final LinuxRtc.RtcFields RTC_NOON = new LinuxRtc.RtcFields(0, 0, 12, 26, 10, 126);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;

    /** A virtual clock reading {@code unixSeconds} (plus a fraction). */
    private static NullClockDriver clockAt(double unixSeconds) {
        long raw = Math.round(unixSeconds * 1e9);
        return new NullClockDriver(() -> raw);
    }

    private static double served(NullClockDriver d) {
        long raw = d.readRawNanos();
        return raw * 1e-9 + d.offsetCorrectionSeconds(raw);
    }

    @Test
    void rtcOnUtcSetsTheClockToTheMiddleOfItsSecond() {
        var d = InitialClockSet.fromRtc(RTC_NOON, true, BERLIN, InitialClockSet.RtcCoefficients.NONE,
                (NOON - 3600) * 1_000_000_000L, 0);
        assertThat(d.use()).isTrue();
        assertThat(d.fastBySeconds()).isCloseTo(-3600.5, within(1e-9));
    }

    @Test
    void rtcInLocalTimeByDefault() {
        // 12:00 on the RTC in Berlin (UTC+1 in November) is 11:00 UTC
        var d = InitialClockSet.fromRtc(RTC_NOON, false, BERLIN, InitialClockSet.RtcCoefficients.NONE,
                NOON * 1_000_000_000L, 0);
        assertThat(d.fastBySeconds()).isCloseTo(3600 - 0.5, within(1e-9));
    }

    @Test
    void rtcfileDriftIsRemovedAndSmallDifferencesAreLeft() {
        // the RTC was 2 s fast a day ago and gains 10 ppm: 2.864 s fast now
        var coefs = new InitialClockSet.RtcCoefficients(true, NOON - 86_400, 2.0, 10.0);
        var d = InitialClockSet.fromRtc(RTC_NOON, true, BERLIN, coefs, (NOON - 10) * 1_000_000_000L, 0);
        assertThat(d.fastBySeconds()).isCloseTo(-10 - 0.5 + 2.864, within(1e-6));
        var small = InitialClockSet.fromRtc(RTC_NOON, true, BERLIN, InitialClockSet.RtcCoefficients.NONE,
                NOON * 1_000_000_000L + 200_000_000L, 0);
        assertThat(small.use()).isTrue();
        assertThat(small.fastBySeconds()).as("under a second: no step").isZero();
    }

    @Test
    void rtcEarlierThanTheDriftfileIsIgnored() {
        var d = InitialClockSet.fromRtc(RTC_NOON, true, BERLIN, InitialClockSet.RtcCoefficients.NONE,
                NOON * 1_000_000_000L, NOON + 100);
        assertThat(d.use()).isFalse();
    }

    @Test
    void rtcfileInChronydsFormat() throws Exception {
        Path f = dir.resolve("rtc");
        Files.writeString(f, "1 1795608000 2.000000 10.000\n");
        var c = InitialClockSet.readCoefficients(Optional.of(f.toString()));
        assertThat(c.valid()).isTrue();
        assertThat(c.errorAt(1_795_694_400L)).isCloseTo(2.864, within(1e-9));
        Files.writeString(f, "garbage\n");
        assertThat(InitialClockSet.readCoefficients(Optional.of(f.toString())).valid()).isFalse();
        assertThat(InitialClockSet.readCoefficients(Optional.empty()).valid()).isFalse();
    }

    @Test
    void withoutAnRtcTheDriftfileTimeIsRestored() throws Exception {
        Path drift = dir.resolve("drift");
        Files.writeString(drift, "1.0 0.1\n");
        Files.setLastModifiedTime(drift, FileTime.fromMillis((NOON + 500) * 1000));
        NullClockDriver clock = clockAt(NOON + 0.25);
        double step = InitialClockSet.apply(Optional.of(drift.toString()), "/dev/rtc", Optional.empty(), false, clock,
                dev -> Optional.empty(), BERLIN);
        assertThat(step).isEqualTo(-500.0);
        assertThat(served(clock)).isCloseTo(NOON + 500.25, within(1e-6));

        NullClockDriver later = clockAt(NOON + 600);
        assertThat(InitialClockSet.apply(Optional.of(drift.toString()), "/dev/rtc", Optional.empty(), false, later,
                dev -> Optional.empty(), BERLIN)).as("driftfile older than now").isZero();
    }

    @Test
    void anRtcReadingWinsOverTheDriftfile() throws Exception {
        Path drift = dir.resolve("drift");
        Files.writeString(drift, "1.0 0.1\n");
        Files.setLastModifiedTime(drift, FileTime.fromMillis((NOON - 500) * 1000));
        NullClockDriver clock = clockAt(NOON - 1000);
        double step = InitialClockSet.apply(Optional.of(drift.toString()), "/dev/rtc", Optional.empty(), true, clock,
                dev -> Optional.of(RTC_NOON), BERLIN);
        assertThat(step).isCloseTo(-1000.5, within(1e-6));
        assertThat(served(clock)).isCloseTo(NOON + 0.5, within(1e-6));
    }

    @Test
    void aFileThatIsNotAnRtcReadsAsNone() throws Exception {
        Path notRtc = dir.resolve("rtc0");
        Files.writeString(notRtc, "x");
        assertThat(LinuxRtc.readTime(notRtc.toString())).isEmpty(); // ioctl fails: ENOTTY
        assertThat(LinuxRtc.readTime(dir.resolve("missing").toString())).isEmpty();
    }
}
