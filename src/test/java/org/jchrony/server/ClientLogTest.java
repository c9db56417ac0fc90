package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClientLogTest {
    private static final long T0 = 1_795_000_000_000_000_000L;
    private static final long SEC = 1_000_000_000L;

    static byte[] v4(int last) {
        return new byte[] {10, 0, (byte) (last >>> 8), (byte) last};
    }

    @Test
    void burstThenLeakThenRefill() {
        ClientLog log = new ClientLog(new RateLimit(3, 8, 2, 0), null, null, false, ClientLog.DEFAULT_LIMIT_BYTES,
                new SplittableRandom(9));
        int passed = 0;
        for (int i = 0; i < 8; i++) assertThat(log.access(ClientLog.NTP, v4(1), PeerAddress.INET4, T0 + i * 1000)).isEqualTo(ClientLog.PASS);
        for (int i = 0; i < 4000; i++) {
            if (log.access(ClientLog.NTP, v4(1), PeerAddress.INET4, T0 + SEC / 10 + i) == ClientLog.PASS) passed++;
        }
        // leak 2: about one in four of the limited requests is still answered
        assertThat(passed).isBetween(800, 1200);
        // after 8 s one token (interval 3 = 8 s) has come back, after 64 s the whole burst
        long later = T0 + 100 * SEC;
        for (int i = 0; i < 8; i++) assertThat(log.access(ClientLog.NTP, v4(1), PeerAddress.INET4, later + i)).isEqualTo(ClientLog.PASS);
        ServerStats s = log.serverStats();
        assertThat(s.ntpHits()).isEqualTo(8 + 4000 + 8);
        assertThat(s.ntpDrops()).isEqualTo(4000 - passed);
        assertThat(log.ntpMinPoll()).isEqualTo(3);
    }

    @Test
    void clientsPollingAtTheLimitAreNeverLimited() {
        ClientLog log = new ClientLog(new RateLimit(3, 8, 2, 0), null, null, false, ClientLog.DEFAULT_LIMIT_BYTES,
                new SplittableRandom(9));
        for (int i = 0; i < 1000; i++) {
            assertThat(log.access(ClientLog.NTP, v4(2), PeerAddress.INET4, T0 + i * 8 * SEC)).isEqualTo(ClientLog.PASS);
        }
    }

    @Test
    void kodOptionTurnsSomeDropsIntoKod() {
        ClientLog log = new ClientLog(new RateLimit(3, 1, 4, 1), null, null, false, ClientLog.DEFAULT_LIMIT_BYTES,
                new SplittableRandom(4));
        int kod = 0, drop = 0;
        for (int i = 0; i < 2000; i++) {
            int r = log.access(ClientLog.NTP, v4(3), PeerAddress.INET4, T0 + i);
            if (r == ClientLog.KOD) kod++;
            if (r == ClientLog.DROP) drop++;
        }
        assertThat(kod).isBetween(800, 1100);
        assertThat(drop).isBetween(800, 1100);
        assertThat(log.serverStats().ntpKodRate()).isEqualTo(kod);
    }

    @Test
    void noLimitWithoutRatelimitAndIntervalsReported() {
        ClientLog log = ClientLog.unlimited(new SplittableRandom(1));
        assertThat(log.ntpMinPoll()).isEqualTo(-19);
        for (int i = 0; i < 200; i++) {
            assertThat(log.access(ClientLog.NTP, v4(4), PeerAddress.INET4, T0 + i * 4 * SEC)).isEqualTo(ClientLog.PASS);
        }
        log.access(ClientLog.CMDMON, v4(4), PeerAddress.INET4, T0 + 800 * SEC);
        ClientAccessReport r = find(log, T0 + 803 * SEC);
        assertThat(r.ntpHits()).isEqualTo(200);
        assertThat(r.cmdHits()).isEqualTo(1);
        assertThat(r.ntpIntervalLog2()).isEqualTo(2);
        assertThat(r.cmdIntervalLog2()).isEqualTo(127);
        assertThat(r.lastNtpHitAgoSeconds()).isBetween(6L, 8L);
        assertThat(r.lastCmdHitAgoSeconds()).isBetween(2L, 3L);
        assertThat(r.lastNtsKeHitAgoSeconds()).isEqualTo(-1);
        // reset zeroes hits and drops
        for (int i = 0; i < log.tableSize(); i++) log.report(i, true, 0, T0);
        assertThat(find(log, T0 + 803 * SEC).ntpHits()).isZero();
        assertThat(log.serverStats().cmdHits()).isEqualTo(1);
    }

    static ClientAccessReport find(ClientLog log, long now) {
        for (int i = 0; i < log.tableSize(); i++) {
            ClientAccessReport r = log.report(i, false, 0, now);
            if (r != null) return r;
        }
        return null;
    }

    @Test
    void memoryLimitBoundsTheTableAndOldestRecordsAreReplaced() {
        ClientLog log = new ClientLog(null, null, null, false, ClientLog.DEFAULT_LIMIT_BYTES, new SplittableRandom(2));
        for (int i = 0; i < 20_000; i++) log.access(ClientLog.NTP, v4(i), PeerAddress.INET4, T0 + i * 1000L);
        assertThat(log.tableSize()).isEqualTo(4096); // chronyd: 524288 bytes -> 4096 records
        assertThat(log.serverStats().logDrops()).isGreaterThan(20_000 - 4096 - 1);
        int present = 0;
        for (int i = 0; i < log.tableSize(); i++) if (log.report(i, false, 0, T0) != null) present++;
        assertThat(present).isLessThanOrEqualTo(4096).isGreaterThan(3500);
        // a larger limit allows a larger table
        ClientLog big = new ClientLog(null, null, null, false, 4L * ClientLog.DEFAULT_LIMIT_BYTES, new SplittableRandom(2));
        for (int i = 0; i < 20_000; i++) big.access(ClientLog.NTP, v4(i), PeerAddress.INET4, T0 + i * 1000L);
        assertThat(big.tableSize()).isEqualTo(16384);
    }

    @Test
    void ipv6RecordsAreKeptApart() {
        ClientLog log = ClientLog.unlimited(new SplittableRandom(1));
        byte[] a = new byte[16];
        a[15] = 1;
        byte[] b = a.clone();
        b[0] = 0x20;
        log.access(ClientLog.NTP, a, PeerAddress.INET6, T0);
        log.access(ClientLog.NTP, b, PeerAddress.INET6, T0);
        log.access(ClientLog.NTP, b, PeerAddress.INET6, T0 + SEC);
        int rows = 0;
        for (int i = 0; i < log.tableSize(); i++) {
            ClientAccessReport r = log.report(i, false, 0, T0);
            if (r == null) continue;
            rows++;
            assertThat(r.family()).isEqualTo(PeerAddress.INET6);
            assertThat(r.ntpHits()).isEqualTo(r.address()[0] == 0x20 ? 2 : 1);
        }
        assertThat(rows).isEqualTo(2);
    }

    @Test
    void noClientLogCountsTotalsOnlyAndRefusesRateLimits() {
        ClientLog log = new ClientLog(null, null, null, true, ClientLog.DEFAULT_LIMIT_BYTES, new SplittableRandom(1));
        log.access(ClientLog.NTP, v4(1), PeerAddress.INET4, T0);
        assertThat(log.tableSize()).isZero();
        assertThat(log.serverStats().ntpHits()).isEqualTo(1);
        assertThatThrownBy(() -> new ClientLog(RateLimit.defaults(), null, null, true, 0, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commandRateLimitIsSeparate() {
        ClientLog log = new ClientLog(null, null, new RateLimit(-4, 1, 1, 0), false, ClientLog.DEFAULT_LIMIT_BYTES,
                new SplittableRandom(1));
        int drops = 0;
        for (int i = 0; i < 100; i++) {
            assertThat(log.access(ClientLog.NTP, v4(9), PeerAddress.INET4, T0 + i)).isEqualTo(ClientLog.PASS);
            if (log.access(ClientLog.CMDMON, v4(9), PeerAddress.INET4, T0 + i) == ClientLog.DROP) drops++;
        }
        assertThat(drops).isBetween(25, 75);
        assertThat(log.serverStats().cmdDrops()).isEqualTo(drops);
    }
}
