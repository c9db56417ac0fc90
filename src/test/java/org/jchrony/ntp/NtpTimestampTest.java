package org.jchrony.ntp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NtpTimestampTest {
    private static final long NOW = 1_795_000_000_000_000_000L; // 2026-11

    @Test
    void roundTripsToTheNanosecond() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            long t = NOW + r.nextLong(-1_000_000_000_000_000_000L, 1_000_000_000_000_000_000L);
            assertThat(NtpTimestamp.toUnixNanos(NtpTimestamp.fromUnixNanos(t), t)).isEqualTo(t);
        }
    }

    @Test
    void decodesAcrossThe2036EraBoundary() {
        long era1Start = (4294967296L - NtpTimestamp.NTP_UNIX_OFFSET_SECONDS) * 1_000_000_000L; // 2036-02-07T06:28:16Z
        long justAfter = era1Start + 5_000_000_000L;
        long ntp = NtpTimestamp.fromUnixNanos(justAfter);
        assertThat(ntp >>> 32).isEqualTo(5L);
        assertThat(NtpTimestamp.toUnixNanos(ntp, era1Start - 10_000_000_000L)).isEqualTo(justAfter);
        assertThat(NtpTimestamp.toUnixNanos(NtpTimestamp.fromUnixNanos(era1Start - 1), era1Start + 1))
                .isEqualTo(era1Start - 1);
    }

    @Test
    void knownValue() {
        // 1970-01-01 is NTP second 2208988800 = 0x83AA7E80
        assertThat(NtpTimestamp.fromUnixNanos(0)).isEqualTo(0x83AA7E80L << 32);
        assertThat(NtpTimestamp.fromUnixNanos(500_000_000L)).isEqualTo(0x83AA7E80L << 32 | 0x8000_0000L);
    }

    @Test
    void shortFormat() {
        assertThat(NtpTimestamp.toShort(1.0)).isEqualTo(0x0001_0000);
        assertThat(NtpTimestamp.fromShort(0x0000_8000)).isEqualTo(0.5);
        assertThat(NtpTimestamp.toShort(-1)).isZero();
        assertThat(NtpTimestamp.toShort(1e9)).isEqualTo(0xffff_ffff);
    }
}
