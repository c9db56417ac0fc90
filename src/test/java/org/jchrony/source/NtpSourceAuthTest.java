package org.jchrony.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGeneratorFactory;
import org.jchrony.auth.KeyFile;
import org.jchrony.auth.KeyRing;
import org.jchrony.auth.Keys;
import org.jchrony.auth.MacCheck;
import org.jchrony.auth.SourceAuth;
import org.jchrony.clock.NullClockDriver;
import org.jchrony.discipline.LocalClock;
import org.jchrony.ntp.NtpPacket;
import org.jchrony.ntp.NtpTimestamp;
import org.jchrony.sim.SimScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symmetric-key authentication of a source's requests and responses (chronyd 4.3 behaviour). */
class NtpSourceAuthTest {
    static final long T0 = 1_790_000_000_000_000_000L;
    static final List<String> KEYS = List.of(
            "1 MD5 HEX:00112233445566778899",
            "2 SHA1 ASCII:sha1-key-20",
            "3 AES128 HEX:2B7E151628AED2A6ABF7158809CF4F3C",
            "4 SHA512 ASCII:a-sha512-key",
            "5 SHA1 ASCII:another-key");

    SimScheduler sched;
    List<byte[]> sent;
    List<Long> sentAt;
    Keys keys;

    @BeforeEach
    void setUp() {
        sched = new SimScheduler(T0);
        sent = new ArrayList<>();
        sentAt = new ArrayList<>();
        keys = KeyFile.parse("test.keys", KEYS);
    }

    NtpSource source(SourceAuth auth) throws Exception {
        Transport t = (pkt, len, dst) -> {
            sent.add(Arrays.copyOf(pkt, len));
            sentAt.add(sched.now());
            return sched.now();
        };
        NtpSource.Listener l = new NtpSource.Listener() {
            @Override public void sampleAdded(NtpSource s) { }
            @Override public void reachabilityChanged(NtpSource s) { }
            @Override public void demobilised(NtpSource s, String reason) { }
        };
        return new NtpSource("s", new SourceAddress(InetAddress.getByName("192.0.2.1"), 123), NtpSource.Kind.SERVER,
                SourceOptions.defaults().withAuth(auth), new LocalClock(new NullClockDriver(sched::now)), sched,
                RandomGeneratorFactory.of("L64X128MixRandom").create(7), t, l);
    }

    byte[] nextRequest() {
        int n = sent.size();
        long limit = sched.now() + 100_000_000_000L;
        while (sent.size() == n && sched.now() < limit) sched.runUntil(sched.now() + 10_000_000L);
        assertThat(sent).hasSizeGreaterThan(n);
        return sent.get(n);
    }

    /** A good server reply header to {@code req}, 1 ms each way, as {@code version}. */
    byte[] header(byte[] req, int version) throws Exception {
        NtpPacket r = NtpPacket.decode(req, 0, req.length);
        long at = sentAt.getLast();
        return new NtpPacket(0, version, 4, 2, r.pollLog2(), -20, 0, 0, 0x7f7f0101, 0, r.transmitTime(),
                NtpTimestamp.fromUnixNanos(at + 1_000_000), NtpTimestamp.fromUnixNanos(at + 1_010_000), null).encode();
    }

    byte[] signed(byte[] header, long keyId, int version) {
        byte[] buf = Arrays.copyOf(header, MacCheck.MAX_REQUEST_LENGTH);
        int n = keys.sign(keyId, version, buf, 48);
        return Arrays.copyOf(buf, n);
    }

    boolean deliver(NtpSource s, byte[] pkt) {
        return s.handleResponse(pkt, 0, pkt.length, sentAt.getLast() + 2_010_000);
    }

    @Test
    void requestsCarryAMacChosenAsChronydDoes() throws Exception {
        record Case(long key, int version, int length) {}
        // observed with chronyd 4.3: MD5 68 bytes v4, SHA1 72 v4, AES128 68 v4, SHA512 116 v3
        for (Case c : List.of(new Case(1, 4, 68), new Case(2, 4, 72), new Case(3, 4, 68), new Case(4, 3, 116))) {
            sent.clear();
            NtpSource s = source(SourceAuth.of(c.key(), keys, false));
            s.start();
            byte[] req = nextRequest();
            assertThat(req.length).as("key %d", c.key()).isEqualTo(c.length());
            assertThat((req[0] >>> 3) & 7).as("key %d", c.key()).isEqualTo(c.version());
            assertThat(req[0] & 7).isEqualTo(3);
            assertThat(keys.verify(c.key(), req, 48, req.length - 48, c.version() == 4 ? 20 : 64)).isTrue();
            s.stop();
        }
        // version given explicitly: SHA512 truncated to 20 bytes in NTPv4
        sent.clear();
        NtpSource s = source(SourceAuth.of(4, keys, true));
        s.start();
        byte[] req = nextRequest();
        assertThat(req.length).isEqualTo(72);
        assertThat((req[0] >>> 3) & 7).isEqualTo(4);
        // MD5: digest is MD5(key || header)
        sent.clear();
        s = source(SourceAuth.of(1, keys, false));
        s.start();
        req = nextRequest();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(java.util.HexFormat.of().parseHex("00112233445566778899"));
        md5.update(req, 0, 48);
        assertThat(Arrays.copyOfRange(req, 52, 68)).isEqualTo(md5.digest());
        assertThat(Arrays.copyOfRange(req, 48, 52)).containsExactly(0, 0, 0, 1);
    }

    @Test
    void authenticatedResponseBecomesASample() throws Exception {
        for (long key : new long[] {1, 2, 3, 4}) {
            NtpSource s = source(SourceAuth.of(key, keys, false));
            s.start();
            byte[] req = nextRequest();
            int v = (req[0] >>> 3) & 7;
            assertThat(deliver(s, signed(header(req, v), key, v))).isTrue();
            assertThat(s.stats().size()).as("key %d", key).isEqualTo(1);
            assertThat(s.lastTests().render()).isEqualTo("111 111 1111");
            assertThat(s.lastResponseAuthenticated()).isTrue();
            AuthData a = s.authData();
            assertThat(a.mode()).isEqualTo(1);
            assertThat(a.keyId()).isEqualTo(key);
            assertThat(a.authenticatedRx()).isEqualTo(1);
            assertThat(a.rejectedRx()).isZero();
            assertThat(a.lastResult()).isEqualTo(MacCheck.Result.AUTHENTIC);
            s.stop();
        }
    }

    @Test
    void badResponsesAreDroppedCountedAndDoNotBlockTheRealOne() throws Exception {
        NtpSource s = source(SourceAuth.of(2, keys, false));
        s.start();
        byte[] req = nextRequest();
        byte[] h = header(req, 4);
        byte[] good = signed(h, 2, 4);
        byte[] flipped = good.clone();
        flipped[flipped.length - 1] ^= 1;
        byte[] otherKey = signed(h, 5, 4);
        byte[] otherKeyIdOurDigest = good.clone();
        otherKeyIdOurDigest[51] = 5;
        byte[] truncated = Arrays.copyOf(good, good.length - 4);
        byte[] nak = Arrays.copyOf(h, 52);
        byte[] v3full = signed(header(req, 3), 2, 3); // SHA1 in NTPv3: 20 bytes too, valid
        byte[] garbage = Arrays.copyOf(h, 48 + 6);
        List<byte[]> bad = List.of(h, flipped, otherKey, otherKeyIdOurDigest, truncated, nak, garbage);
        List<MacCheck.Result> expected = List.of(MacCheck.Result.NO_MAC, MacCheck.Result.BAD_MAC,
                MacCheck.Result.WRONG_KEY_ID, MacCheck.Result.WRONG_KEY_ID, MacCheck.Result.BAD_MAC,
                MacCheck.Result.CRYPTO_NAK, MacCheck.Result.MALFORMED);
        for (int i = 0; i < bad.size(); i++) {
            assertThat(deliver(s, bad.get(i))).isFalse();
            assertThat(s.authData().lastResult()).as("case %d", i).isEqualTo(expected.get(i));
        }
        AuthData a = s.authData();
        assertThat(a.rejectedRx()).isEqualTo(7);
        assertThat(a.cryptoNakRx()).isEqualTo(1);
        assertThat(a.authenticatedRx()).isZero();
        // as chronyd: nothing measured, ntpdata untouched, reach 0
        assertThat(s.ntpData()).isNull();
        assertThat(s.reach()).isZero();
        assertThat(s.stats().size()).isZero();
        // the pending request is still answered by the genuine reply
        assertThat(deliver(s, v3full)).isTrue();
        assertThat(s.stats().size()).isEqualTo(1);
        assertThat(s.ntpData().totalRx()).isEqualTo(8);
        assertThat(s.ntpData().totalValidRx()).isEqualTo(1);
        assertThat(s.authData().authenticatedRx()).isEqualTo(1);
    }

    @Test
    void unauthenticatedSourceAcceptsRepliesWithOrWithoutMac() throws Exception {
        NtpSource s = source(SourceAuth.NONE);
        s.start();
        byte[] req = nextRequest();
        assertThat(req.length).isEqualTo(48);
        assertThat(deliver(s, signed(header(req, 4), 1, 4))).isTrue();
        assertThat(s.stats().size()).isEqualTo(1);
        assertThat(s.lastResponseAuthenticated()).isFalse();
        assertThat(s.authData().mode()).isZero();
    }

    @Test
    void missingKeySendsNothingUntilRekey(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("chrony.keys");
        Files.write(f, List.of("1 MD5 HEX:00112233445566778899"));
        KeyRing ring = KeyRing.load(f);
        NtpSource s = source(SourceAuth.of(3, ring, false));
        s.start();
        sched.runUntil(sched.now() + 300_000_000_000L);
        assertThat(sent).isEmpty();
        assertThat(s.requests()).isZero();
        AuthData a = s.authData();
        assertThat(a.keyId()).isEqualTo(3);
        assertThat(a.keyType()).isZero();
        assertThat(a.keyLengthBits()).isZero();
        Files.write(f, List.of("3 AES128 HEX:2B7E151628AED2A6ABF7158809CF4F3C"));
        ring.reload();
        byte[] req = nextRequest();
        assertThat(req.length).isEqualTo(68);
        assertThat(s.authData().keyType()).isEqualTo(13);
        assertThat(s.authData().keyLengthBits()).isEqualTo(128);
        keys = ring.keys();
        assertThat(deliver(s, signed(header(req, 4), 3, 4))).isTrue();
        // modify keeps the key
        s.modify(SourceOptions.defaults().withPoll(4, 8));
        assertThat(s.options().auth().keyId()).isEqualTo(3);
    }
}
