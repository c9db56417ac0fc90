package org.jchrony.nts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jchrony.auth.AesSiv;
import org.jchrony.server.AccessList;
import org.jchrony.server.ClientLog;
import org.jchrony.server.NtsRequests;
import org.jchrony.server.PeerAddress;
import org.jchrony.server.Responder;
import org.jchrony.server.ServerSnapshot;
import org.jchrony.server.ServerSnapshotHolder;
import org.junit.jupiter.api.Test;

/**
 * Our NTS client against our NTS server, without TLS (a fixed "exporter"): NTS-KE records,
 * cookies, authenticated requests through the {@link Responder}, cookie refill, NTS NAKs, and
 * bad input (tampered cookies and authenticators, missing fields, garbage) never throwing.
 */
class NtsRoundTripTest {
    static final long T0 = 1_795_000_000_000_000_000L;
    final SplittableRandom random = new SplittableRandom(5);
    final NtsServerKeys keys = NtsServerKeys.generate(random);
    final byte[] tlsSecret = new byte[32];

    /** A stand-in for the TLS exporter: deterministic in label and context, the same on both sides. */
    final NtsKeServerExchange.KeyExporter exporter = (label, context, len) -> {
        byte[] k = Arrays.copyOf(tlsSecret, len);
        k[0] ^= context[4];
        k[1] ^= (byte) label.length();
        return k;
    };

    Responder responder(NtsRequests nts) {
        AccessList all = new AccessList();
        all.add(true, false, null, 0);
        return new Responder(new ServerSnapshotHolder(ServerSnapshot.localStratum(10, -26)), () -> T0, all,
                ClientLog.unlimited(new SplittableRandom(1)), null, new SplittableRandom(2), nts);
    }

    NtsClientSession establishedClient(int ntpPort) {
        NtsKeServerExchange server = new NtsKeServerExchange(new NtsCookies(keys, random), ntpPort, null);
        byte[] req = NtsClientSession.keRequest();
        var scan = (NtsKeRecord.Scan.Message) NtsKeRecord.scan(req, req.length);
        NtsKeServerExchange.Outcome o = server.respond(scan.records(), exporter);
        assertThat(o.accepted()).isTrue();
        var reply = (NtsKeRecord.Scan.Message) NtsKeRecord.scan(o.response(), o.response().length);
        NtsClientSession c = new NtsClientSession(new SplittableRandom(9));
        assertThat(c.acceptKeResponse(reply.records(), exporter)).isEmpty();
        return c;
    }

    static byte[] header() {
        byte[] b = new byte[1200];
        b[0] = 0x23; // v4, client
        for (int i = 40; i < 48; i++) b[i] = (byte) (i * 7);
        return b;
    }

    @Test
    void keExchangeGivesEightCookiesAndThePort() {
        NtsClientSession c = establishedClient(11123);
        assertThat(c.ready()).isTrue();
        assertThat(c.cookies()).isEqualTo(8);
        assertThat(c.cookieLength()).isEqualTo(NtsCookies.COOKIE_LENGTH);
        assertThat(c.ntpPort()).isEqualTo(11123);
        assertThat(establishedClient(123).ntpPort()).isEqualTo(123);
    }

    @Test
    void authenticatedExchangesKeepTheCookieJarFull() {
        NtsClientSession c = establishedClient(123);
        Responder r = responder(new NtsNtpServer(keys, new SplittableRandom(3)));
        PeerAddress peer = new PeerAddress();
        peer.setInet4(0x7f000001, 40000);
        byte[] out = new byte[1200];
        for (int i = 0; i < 20; i++) {
            byte[] req = header();
            int len = c.appendRequest(req, 48);
            assertThat(len).isGreaterThan(48);
            int n = r.handle(req, len, peer, T0, out);
            assertThat(n).as("reply %d", i).isGreaterThan(48).isLessThanOrEqualTo(len);
            assertThat(out[0] & 7).isEqualTo(4);
            assertThat(c.checkResponse(out, 0, n)).isEqualTo(NtsClientSession.OK);
            assertThat(c.cookies()).isEqualTo(8);
            // a replay of the same response is not accepted twice
            assertThat(c.checkResponse(out, 0, n)).isEqualTo(NtsClientSession.BAD);
        }
        // after a server key rotation old cookies are still accepted
        keys.rotate(random);
        byte[] req = header();
        int len = c.appendRequest(req, 48);
        int n = r.handle(req, len, peer, T0, out);
        assertThat(c.checkResponse(out, 0, n)).isEqualTo(NtsClientSession.OK);
    }

    @Test
    void tamperedRequestsGetNakOrSilenceNeverAnException() {
        NtsClientSession c = establishedClient(123);
        NtsNtpServer nts = new NtsNtpServer(keys, new SplittableRandom(3));
        Responder r = responder(nts);
        PeerAddress peer = new PeerAddress();
        peer.setInet4(0x7f000001, 40000);
        byte[] out = new byte[1200];
        byte[] req = header();
        int len = c.appendRequest(req, 48);

        // a cookie byte flipped (inside the sealed part): NTS NAK with the unique identifier
        byte[] badCookie = Arrays.copyOf(req, len);
        badCookie[48 + 36 + 4 + 30] ^= 1;
        int n = r.handle(badCookie, len, peer, T0, out);
        assertThat(n).isEqualTo(48 + 36);
        assertThat(out[1]).isZero();
        assertThat((out[0] & 0xff) >>> 6).isEqualTo(3);
        assertThat(Arrays.copyOfRange(out, 12, 16)).isEqualTo("NTSN".getBytes());
        assertThat(c.checkResponse(out, 0, n)).isEqualTo(NtsClientSession.NAK);
        assertThat(c.ready()).isFalse();

        // the authenticator does not verify (header changed after signing): NAK
        c = establishedClient(123);
        req = header();
        len = c.appendRequest(req, 48);
        byte[] badAuth = Arrays.copyOf(req, len);
        badAuth[2] = 9;
        assertThat(r.handle(badAuth, len, peer, T0, out)).isEqualTo(48 + 36);

        // a cookie from a server key no longer kept: NAK
        for (int i = 0; i < NtsServerKeys.KEPT; i++) keys.rotate(random);
        assertThat(r.handle(Arrays.copyOf(req, len), len, peer, T0, out)).isEqualTo(48 + 36);

        // no unique identifier / no authenticator / short uid: silence
        long dropped = r.counters().droppedAuth();
        byte[] noUid = Arrays.copyOf(req, len);
        noUid[48] = 0x7f; // type changed
        assertThat(r.handle(noUid, len, peer, T0, out)).isZero();
        byte[] noAuth = Arrays.copyOf(req, len - 40);
        assertThat(r.handle(noAuth, noAuth.length, peer, T0, out)).isZero();
        assertThat(r.counters().droppedAuth()).isEqualTo(dropped + 2);

        // random garbage in NTS-looking extension fields: never an exception, never a reply
        SplittableRandom g = new SplittableRandom(77);
        for (int i = 0; i < 20000; i++) {
            byte[] junk = header();
            int p = 48;
            int fields = 1 + g.nextInt(4);
            for (int f = 0; f < fields; f++) {
                int type = 0x0104 + 0x100 * g.nextInt(4);
                int flen = 16 + 4 * g.nextInt(30);
                junk[p] = (byte) (type >>> 8);
                junk[p + 1] = (byte) type;
                junk[p + 2] = (byte) (flen >>> 8);
                junk[p + 3] = (byte) flen;
                for (int k = 4; k < flen; k++) junk[p + k] = (byte) g.nextInt(256);
                if (type == 0x0404 && g.nextBoolean()) {
                    junk[p + 4] = 0;
                    junk[p + 5] = 16;
                    junk[p + 6] = 0;
                    junk[p + 7] = 16;
                }
                p += flen;
            }
            int res = r.handle(junk, Math.max(p, 48 + 28), peer, T0, out);
            if (res > 0) assertThat(Arrays.copyOfRange(out, 12, 16)).isEqualTo("NTSN".getBytes());
        }
        assertThat(r.counters().internalErrors()).isZero();
    }

    @Test
    void keServerRejectsBadRequests() {
        NtsKeServerExchange server = new NtsKeServerExchange(new NtsCookies(keys, random), 123, null);
        NtsKeRecord eom = new NtsKeRecord(true, NtsKeRecord.END_OF_MESSAGE, new byte[0]);
        NtsKeRecord ntp = NtsKeRecord.ofShorts(true, NtsKeRecord.NEXT_PROTOCOL, 0);
        NtsKeRecord siv = NtsKeRecord.ofShorts(true, NtsKeRecord.AEAD_ALGORITHM, 15);
        List<List<NtsKeRecord>> bad = new ArrayList<>();
        bad.add(List.of(eom));
        bad.add(List.of(ntp, eom));
        bad.add(List.of(ntp, NtsKeRecord.ofShorts(true, NtsKeRecord.AEAD_ALGORITHM, 30), eom));
        bad.add(List.of(ntp, ntp, siv, eom));
        bad.add(List.of(ntp, siv, new NtsKeRecord(true, 0x1234, new byte[3]), eom));
        bad.add(List.of(ntp, siv, NtsKeRecord.ofShorts(true, NtsKeRecord.ERROR, 1), eom));
        bad.add(List.of(new NtsKeRecord(true, NtsKeRecord.NEXT_PROTOCOL, new byte[3]), siv, eom));
        bad.add(List.of(NtsKeRecord.ofShorts(true, NtsKeRecord.NEXT_PROTOCOL, 5), siv, eom));
        for (List<NtsKeRecord> req : bad) {
            NtsKeServerExchange.Outcome o = server.respond(req, exporter);
            assertThat(o.accepted()).as(req.toString()).isFalse();
            var reply = (NtsKeRecord.Scan.Message) NtsKeRecord.scan(o.response(), o.response().length);
            assertThat(new NtsClientSession(random).acceptKeResponse(reply.records(), exporter)).isPresent();
        }
        // an unknown non-critical record is ignored
        assertThat(server.respond(List.of(ntp, siv, new NtsKeRecord(false, 0x1234, new byte[3]), eom), exporter).accepted()).isTrue();
        // a stream without End of Message is incomplete, then too long
        byte[] partial = NtsKeRecord.encode(List.of(ntp, siv));
        assertThat(NtsKeRecord.scan(partial, partial.length)).isInstanceOf(NtsKeRecord.Scan.Incomplete.class);
        byte[] big = new byte[NtsKeRecord.MAX_MESSAGE_LENGTH + 100];
        for (int i = 0; i + 4 <= big.length; i += 104) {
            big[i] = 0x40;
            big[i + 3] = 100;
        }
        assertThat(NtsKeRecord.scan(big, big.length)).isInstanceOf(NtsKeRecord.Scan.TooLong.class);
    }

    @Test
    void cookiesAndKeysSurviveADumpAndReload(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        keys.save(dir);
        NtsServerKeys loaded = NtsServerKeys.load(dir).orElseThrow();
        byte[] cookie = new NtsCookies(keys, random).make(new NtsCookies.SessionKeys(new byte[32], new byte[32]));
        assertThat(new NtsCookies(loaded, random).open(cookie, 0, cookie.length)).isPresent();
        assertThat(cookie).hasSize(NtsCookies.COOKIE_LENGTH);
        assertThat(AesSiv.AEAD_ID).isEqualTo(15);
    }
}
