package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.jchrony.ntp.NtpShort;
import org.jchrony.ntp.NtpTimestamp;
import org.junit.jupiter.api.Test;

class ResponderTest {
    private static final long T0 = 1_795_000_000_123_456_789L;
    private static final long SEC = 1_000_000_000L;

    private long now = T0;
    private final PeerAddress peer = new PeerAddress();
    private final byte[] out = new byte[1024];

    ResponderTest() {
        peer.setInet4(0x0a000001, 40123);
    }

    static AccessList allowAll() {
        AccessList a = new AccessList();
        a.add(true, false, null, 0);
        return a;
    }

    Responder responder(ServerSnapshot snap, ClientLog log, SymmetricKeys keys) {
        return new Responder(new ServerSnapshotHolder(snap), () -> now, allowAll(), log, keys, new SplittableRandom(11));
    }

    Responder responder(ServerSnapshot snap) {
        return responder(snap, ClientLog.unlimited(new SplittableRandom(1)), null);
    }

    static byte[] request(int version, int mode, int poll, int extra) {
        byte[] r = new byte[48 + extra];
        r[0] = (byte) (version << 3 | mode);
        r[2] = (byte) poll;
        long tx = 0xE0D1C2B3A4958676L;
        for (int i = 0; i < 8; i++) r[40 + i] = (byte) (tx >>> (56 - 8 * i));
        return r;
    }

    static long getLong(byte[] b, int i) {
        return OracleSupport.getLong(b, i);
    }

    static double seconds(long ntp, long unixNanos) {
        return NtpTimestamp.diffSeconds(NtpTimestamp.fromUnixNanos(unixNanos), ntp);
    }

    @Test
    void servesCorrectedTimeInXMode() {
        // served = raw + 0.5 s + (raw - base) * 10 ppm
        ServerSnapshot snap = ServerSnapshot.localStratum(10, -26).withCorrection(0.5, T0 - 100 * SEC, 10e-6);
        Responder r = responder(snap);
        long rx = T0;
        now = T0 + 30_000; // TX read 30 us later
        int n = r.handle(request(4, 3, 6, 0), 48, peer, rx, out);
        assertThat(n).isEqualTo(48);
        assertThat(seconds(getLong(out, 32), rx)).isCloseTo(0.5 + 100 * 10e-6, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(seconds(getLong(out, 40), now)).isCloseTo(0.5 + 100 * 10e-6, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(getLong(out, 24)).isEqualTo(0xE0D1C2B3A4958676L);
        assertThat(getLong(out, 32) & 1).isEqualTo(1);
        assertThat(getLong(out, 40) & 1).isZero();
    }

    /** A basic reply's transmit timestamp can be read again just before sending (TransmitStamping). */
    @Test
    void basicRepliesCanBeRestampedJustBeforeSending() {
        ServerSnapshot snap = ServerSnapshot.localStratum(10, -26).withCorrection(0.5, T0 - 100 * SEC, 10e-6);
        Responder r = responder(snap);
        now = T0 + 30_000;
        assertThat(r.handle(request(4, 3, 6, 0), 48, peer, T0, out)).isEqualTo(48);
        assertThat(r.lastReplyRestampable()).isTrue();
        byte[] before = java.util.Arrays.copyOf(out, 48);
        byte[] buf = new byte[200];
        System.arraycopy(out, 0, buf, 100, 48);
        long later = T0 + 80_000; // 50 us after the responder's own clock read
        r.restampTransmit(buf, 100, 48, later);
        assertThat(java.util.Arrays.copyOfRange(buf, 100, 140)).containsExactly(java.util.Arrays.copyOf(before, 40));
        long tx = getLong(buf, 140);
        assertThat(seconds(tx, later)).isCloseTo(0.5 + 100 * 10e-6, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(tx & 1).isZero();
        assertThat(tx).isNotEqualTo(getLong(buf, 132)).isNotEqualTo(getLong(buf, 124));
        assertThat(Long.compareUnsigned(tx, getLong(before, 40))).isPositive();
        // a dropped request leaves nothing to re-stamp
        assertThat(r.handle(request(4, 5, 6, 0), 48, peer, T0, out)).isZero();
        assertThat(r.lastReplyRestampable()).isFalse();
    }

    /** Requests that may be answered interleaved later keep the transmit time the responder saved. */
    @Test
    void interleavedCandidatesAreNotRestamped() {
        Responder r = responder(ServerSnapshot.localStratum(10, -26));
        byte[] req = request(4, 3, 6, 0);
        req[31] = 1; // origin with lowest bit 1 (one of our receive timestamps), receive != transmit
        req[39] = 5;
        assertThat(r.handle(req, 48, peer, T0, out)).isEqualTo(48);
        assertThat(r.lastReplyRestampable()).isFalse();
    }

    @Test
    void rootDispersionGrowsSinceTheReferenceUpdate() {
        ServerSnapshot snap = ServerSnapshot.synchronised(0, 3, 0xC0000201, T0 - 1000 * SEC, 0.010, 0.001, 15e-6, -24);
        Responder r = responder(snap);
        assertThat(r.handle(request(4, 3, 6, 0), 48, peer, T0, out)).isEqualTo(48);
        assertThat(out[1]).isEqualTo((byte) 3);
        assertThat(out[3]).isEqualTo((byte) -24);
        assertThat(OracleSupport.getInt(out, 4)).isEqualTo(NtpShort.fromSeconds(0.010));
        assertThat(NtpShort.toSeconds(OracleSupport.getInt(out, 8))).isCloseTo(0.001 + 1000 * 15e-6, org.assertj.core.data.Offset.offset(2e-5));
        assertThat(OracleSupport.getInt(out, 12)).isEqualTo(0xC0000201);
        assertThat(seconds(getLong(out, 16), T0 - 1000 * SEC)).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-8));
    }

    @Test
    void stratum16IsSentAsZero() {
        ServerSnapshot snap = ServerSnapshot.synchronised(3, 16, 0, 0, 1, 1, 0, -20);
        responder(snap).handle(request(4, 3, 6, 0), 48, peer, T0, out);
        assertThat(out[1]).isZero();
        assertThat(getLong(out, 16)).isZero();
    }

    @Test
    void localReferenceTimeFollowsChronydRules() {
        Responder r = responder(ServerSnapshot.localStratum(8, -26));
        r.handle(request(4, 3, 6, 0), 48, peer, T0, out);
        long ref1 = getLong(out, 16);
        double age = -seconds(ref1, T0);
        assertThat(age).isBetween(1.0, 2.0);
        r.handle(request(4, 3, 6, 0), 48, peer, T0 + 30 * SEC, out);
        assertThat(getLong(out, 16)).isEqualTo(ref1);
        r.handle(request(4, 3, 6, 0), 48, peer, T0 + 70 * SEC, out);
        assertThat(-seconds(getLong(out, 16), T0 + 70 * SEC)).isBetween(1.0, 2.0);
    }

    @Test
    void pollAdvertisesTheRateLimitInterval() {
        ClientLog log = new ClientLog(new RateLimit(3, 8, 2, 0), null, null, false, ClientLog.DEFAULT_LIMIT_BYTES, new SplittableRandom(1));
        Responder r = responder(ServerSnapshot.localStratum(10, -26), log, null);
        r.handle(request(4, 3, 0, 0), 48, peer, T0, out);
        assertThat(out[2]).isEqualTo((byte) 3);
        r.handle(request(4, 3, 10, 0), 48, peer, T0 + SEC, out);
        assertThat(out[2]).isEqualTo((byte) 10);
    }

    @Test
    void kodRateWhenConfigured() {
        ClientLog log = new ClientLog(new RateLimit(3, 1, 4, 1), null, null, false, ClientLog.DEFAULT_LIMIT_BYTES, new SplittableRandom(1));
        Responder r = responder(ServerSnapshot.localStratum(10, -26), log, null);
        int kods = 0;
        for (int i = 0; i < 200; i++) {
            int n = r.handle(request(4, 3, 6, 0), 48, peer, T0 + i, out);
            if (n > 0 && OracleSupport.getInt(out, 12) == Responder.KOD_RATE) {
                kods++;
                assertThat((out[0] >>> 6) & 3).isEqualTo(3);
                assertThat(out[1]).isZero();
            }
        }
        assertThat(kods).isBetween(60, 140);
        assertThat(r.counters().kodSent()).isEqualTo(kods);
    }

    @Test
    void macsAreVerifiedAndSignedWithinTheRequestLength() {
        SymmetricKeys keys = new SymmetricKeys() {
            @Override
            public boolean verify(long keyId, byte[] packet, int macStart, int macLength, int truncated) {
                return keyId == 5 && macStart == 48 && macLength == 20 && truncated == 20;
            }

            @Override
            public int sign(long keyId, int version, byte[] packet, int length) {
                for (int i = 0; i < 20; i++) packet[length + i] = (byte) (i == 3 ? keyId : i < 4 ? 0 : 0xAA);
                return length + 20;
            }
        };
        Responder r = responder(ServerSnapshot.localStratum(10, -26), ClientLog.unlimited(new SplittableRandom(1)), keys);
        byte[] req = request(4, 3, 6, 20);
        req[51] = 5;
        assertThat(r.handle(req, req.length, peer, T0, out)).isEqualTo(68);
        assertThat(HexFormat.of().formatHex(out, 48, 68)).isEqualTo("00000005" + "aa".repeat(16));
        req[51] = 6; // unknown key: silence
        assertThat(r.handle(req, req.length, peer, T0, out)).isZero();
        assertThat(r.counters().droppedAuth()).isEqualTo(1);
    }

    @Test
    void neverThrowsAndNeverAnswersLongerThanTheRequest() {
        Responder r = responder(ServerSnapshot.localStratum(10, -26));
        SplittableRandom rnd = new SplittableRandom(99);
        byte[] in = new byte[1500];
        int answered = 0;
        for (int i = 0; i < 50_000; i++) {
            rnd.nextBytes(in);
            int len = rnd.nextInt(10) == 0 ? rnd.nextInt(0, 1600) : 4 * rnd.nextInt(12, 20);
            if (rnd.nextBoolean()) in[0] = (byte) ((in[0] & 0xc0) | (4 << 3) | 3);
            if (rnd.nextBoolean() && len > 52) {
                in[48] = 0x12;
                in[50] = 0;
                in[51] = (byte) (len - 48);
            }
            int n = r.handle(in, len, peer, T0 + i, out);
            assertThat(n).isBetween(0, Math.max(0, Math.min(len, in.length)));
            if (n > 0) answered++;
        }
        assertThat(answered).isGreaterThan(250);
        assertThat(r.counters().internalErrors()).isZero();
    }

    @Test
    void allocatesNothingPerPacket() {
        Responder r = responder(ServerSnapshot.localStratum(10, -26),
                new ClientLog(RateLimit.defaults(), null, null, false, ClientLog.DEFAULT_LIMIT_BYTES, new SplittableRandom(1)), null);
        byte[] interleavedCandidate = request(4, 3, 6, 0);
        interleavedCandidate[31] = 1; // origin with lowest bit 1
        interleavedCandidate[39] = 2; // receive != transmit
        byte[][] requests = {request(4, 3, 6, 0), request(3, 1, 6, 0), request(4, 3, 6, 28), request(5, 3, 6, 0),
                request(4, 3, 6, 2), interleavedCandidate};
        requests[2][50] = 0;
        requests[2][51] = 28;
        PeerAddress[] peers = new PeerAddress[64];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new PeerAddress();
            peers[i].setInet4(0x0a000000 + i, 1000 + i);
        }
        Runnable burst = () -> {
            for (int i = 0; i < 100_000; i++) {
                byte[] req = requests[i % requests.length];
                r.handle(req, req.length, peers[i % peers.length], T0 + i * 1_000_000L, out);
            }
        };
        burst.run(); // warm up (table growth, JIT)
        burst.run();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        burst.run();
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        // measured: 0 bytes; a little slack for JIT/deoptimisation noise
        assertThat(allocated).as("bytes allocated for 100000 packets").isLessThan(1_000);
        assertThat(r.counters().replied()).isGreaterThan(1000);
    }

    @Test
    void deniedAndBadModesAreCounted() {
        AccessList none = new AccessList();
        Responder r = new Responder(new ServerSnapshotHolder(ServerSnapshot.localStratum(10, -26)), () -> now, none,
                ClientLog.unlimited(new SplittableRandom(1)), null, new SplittableRandom(1));
        assertThat(r.handle(request(4, 3, 6, 0), 48, peer, T0, out)).isZero();
        assertThat(r.counters().droppedDenied()).isEqualTo(1);
        Responder ok = responder(ServerSnapshot.localStratum(10, -26));
        assertThat(ok.handle(request(4, 4, 6, 0), 48, peer, T0, out)).isZero();
        assertThat(ok.handle(request(1, 0, 6, 0), 48, peer, T0, out)).isEqualTo(48);
        peer.setInet4(0x0a000001, 123); // NTPv1 mode 0 from port 123 is not a client request
        assertThat(ok.handle(request(1, 0, 6, 0), 48, peer, T0, out)).isZero();
        assertThat(ok.counters().droppedMode()).isEqualTo(2);
    }
}
