package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.jchrony.ntp.NtpTimestamp;
import org.junit.jupiter.api.Test;

class NtpTimestampMapTest {
    private static final long T0 = 1_795_000_000_000_000_000L;
    private static final long MS = 1_000_000L;

    static long ntp(long nanos) {
        return NtpTimestamp.fromUnixNanos(nanos) | 1;
    }

    @Test
    void savesFindsAndUsesOnce() {
        NtpTimestampMap m = new NtpTimestampMap(16);
        for (int i = 0; i < 10; i++) m.save(ntp(T0 + i * MS), T0 + i * MS + 50_000);
        assertThat(m.size()).isEqualTo(10);
        assertThat(m.get(ntp(T0 + 3 * MS))).isEqualTo(T0 + 3 * MS + 50_000);
        assertThat(m.get(ntp(T0 + 3 * MS) + 2)).isEqualTo(NtpTimestampMap.NOT_FOUND);
        m.disable(ntp(T0 + 3 * MS));
        assertThat(m.get(ntp(T0 + 3 * MS))).isEqualTo(NtpTimestampMap.NOT_FOUND);
        m.update(ntp(T0 + 4 * MS), T0 + 4 * MS + 7_000);
        assertThat(m.get(ntp(T0 + 4 * MS))).isEqualTo(T0 + 4 * MS + 7_000);
    }

    @Test
    void savingTheSameReceiveTimestampTwiceDisablesIt() {
        NtpTimestampMap m = new NtpTimestampMap(16);
        m.save(ntp(T0), T0 + 1000);
        m.save(ntp(T0), T0 + 2000);
        assertThat(m.get(ntp(T0))).isEqualTo(NtpTimestampMap.NOT_FOUND);
    }

    @Test
    void transmitTimesFarFromReceiveAreInvalid() {
        NtpTimestampMap m = new NtpTimestampMap(16);
        m.save(ntp(T0), T0 + 3_000_000_000L);
        assertThat(m.get(ntp(T0))).isZero();
        m.save(ntp(T0 + MS), 0);
        assertThat(m.get(ntp(T0 + MS))).isZero();
    }

    @Test
    void fullMapDropsTheOldestAndKeepsOrderOnOutOfOrderInserts() {
        NtpTimestampMap m = new NtpTimestampMap(8);
        for (int i = 0; i < 12; i++) m.save(ntp(T0 + i * MS), T0 + i * MS + 1);
        assertThat(m.size()).isEqualTo(8);
        assertThat(m.get(ntp(T0 + 3 * MS))).isEqualTo(NtpTimestampMap.NOT_FOUND);
        assertThat(m.get(ntp(T0 + 4 * MS))).isEqualTo(T0 + 4 * MS + 1);
        // an older timestamp close to the newest is inserted in order
        m.save(ntp(T0 + 10 * MS + MS / 2), T0 + 10 * MS + MS / 2 + 1);
        assertThat(m.get(ntp(T0 + 10 * MS + MS / 2))).isEqualTo(T0 + 10 * MS + MS / 2 + 1);
        assertThat(m.get(ntp(T0 + 11 * MS))).isEqualTo(T0 + 11 * MS + 1);
        assertThat(m.get(ntp(T0 + 10 * MS))).isEqualTo(T0 + 10 * MS + 1);
        assertThat(m.spanSeconds()).isZero();
        m.clear();
        assertThat(m.size()).isZero();
    }
}
