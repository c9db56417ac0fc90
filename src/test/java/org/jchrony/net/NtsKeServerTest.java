package org.jchrony.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jchrony.nts.NtsClientSession;
import org.jchrony.nts.NtsCookies;
import org.jchrony.nts.NtsKeRecord;
import org.jchrony.nts.NtsKeServerExchange;
import org.jchrony.nts.NtsServerKeys;
import org.jchrony.nts.NtsTls;
import org.jchrony.server.ClientLog;
import org.jchrony.testutil.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our NTS-KE server over real TLS on loopback: a good exchange (through our {@link NtsKeClient}
 * and through a plain JDK socket), clients without ALPN or with another ALPN or TLS 1.2 only,
 * garbage records, and a connection flood against {@code maxntsconnections}: refused and
 * counted, the server keeps serving.
 */
class NtsKeServerTest {
    @TempDir
    Path dir;
    IoEventLoopGroup group;
    NtsKeServer server;
    NtsServerKeys keys;
    TestCa ca;
    int port;

    @BeforeEach
    void start() throws Exception {
        ca = TestCa.create(dir);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        keys = NtsServerKeys.generate(new SplittableRandom(1));
        SSLContext tls = NtsTls.serverContext(List.of(ca.serverChain()), List.of(ca.serverKey()));
        server = NtsKeServer.open(group, List.of(InetAddress.getLoopbackAddress()), 0, tls,
                () -> new NtsKeServerExchange(new NtsCookies(keys, new SplittableRandom(2)), 12345, null),
                ClientLog.unlimited(new SplittableRandom(3)), () -> System.currentTimeMillis() * 1_000_000L, 3);
        port = server.ports().getFirst();
    }

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    SSLSocket client(String... alpn) throws Exception {
        SSLContext ctx = NtsTls.clientContext(List.of(ca.caCert()), true);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(5000);
        SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(alpn);
        p.setProtocols(new String[] {"TLSv1.3"});
        s.setSSLParameters(p);
        return s;
    }

    static byte[] readAll(InputStream in) throws Exception {
        return in.readAllBytes();
    }

    @Test
    void ourClientGetsCookiesAndTheSameKeys() throws Exception {
        NtsKeClient ke = new NtsKeClient(group, NtsTls.clientContext(List.of(ca.caCert()), true));
        CompletableFuture<Object> done = new CompletableFuture<>();
        NtsClientSession session = new NtsClientSession(new SplittableRandom(4));
        ke.exchange(InetAddress.getLoopbackAddress(), "localhost", port, NtsClientSession.keRequest(), r -> {
            switch (r) {
                case NtsKeClient.Result.Failure f -> done.complete(f.reason());
                case NtsKeClient.Result.Response resp -> {
                    done.complete(session.acceptKeResponse(resp.records(), resp.exporter()).orElse("ok"));
                }
            }
        });
        assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(session.cookies()).isEqualTo(8);
        assertThat(session.ntpPort()).isEqualTo(12345);
        // the cookie carries the keys the client exported: a request signed by the client verifies
        var nts = new org.jchrony.nts.NtsNtpServer(keys, new SplittableRandom(5));
        byte[] req = new byte[1200];
        req[0] = 0x23;
        int len = session.appendRequest(req, 48);
        assertThat(nts.check(req, len)).isEqualTo(org.jchrony.server.NtsRequests.OK);
        // a wrong name fails the certificate check
        CompletableFuture<Object> wrong = new CompletableFuture<>();
        ke.exchange(InetAddress.getLoopbackAddress(), "ntp.example.org", port, NtsClientSession.keRequest(), r -> wrong.complete(r));
        assertThat(wrong.get(10, TimeUnit.SECONDS)).isInstanceOf(NtsKeClient.Result.Failure.class);
        assertThat(server.counters().served()).isEqualTo(1);
    }

    @Test
    void clientsWithoutTheAlpnOrWithGarbageAreRefusedAndCounted() throws Exception {
        // no ALPN: the handshake completes (JDK server), then we close without answering
        try (SSLSocket s = client()) {
            byte[] got;
            try {
                s.startHandshake();
                s.getOutputStream().write(NtsClientSession.keRequest());
                got = readAll(s.getInputStream());
            } catch (java.io.IOException e) {
                got = new byte[0];
            }
            // closed right after the handshake, not by the exchange timeout
            assertThat(server.counters().noAlpn()).isEqualTo(1);
            assertThat(got).isEmpty();
        }
        // another protocol only: the handshake fails
        try (SSLSocket s = client("http/1.1")) {
            assertThatThrownBy(s::startHandshake).isInstanceOf(java.io.IOException.class);
        }
        // TLS 1.2 only: refused
        try (SSLSocket s = client(NtsTls.ALPN)) {
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.2"});
            s.setSSLParameters(p);
            assertThatThrownBy(s::startHandshake).isInstanceOf(java.io.IOException.class);
        }
        // an unknown critical record: Error 0 (unrecognized critical record)
        try (SSLSocket s = client(NtsTls.ALPN)) {
            OutputStream out = s.getOutputStream();
            out.write(NtsKeRecord.encode(List.of(NtsKeRecord.ofShorts(true, NtsKeRecord.NEXT_PROTOCOL, 0),
                    NtsKeRecord.ofShorts(true, NtsKeRecord.AEAD_ALGORITHM, 15), new NtsKeRecord(true, 0x2222, new byte[5]),
                    new NtsKeRecord(true, NtsKeRecord.END_OF_MESSAGE, new byte[0]))));
            byte[] got = readAll(s.getInputStream());
            var m = (NtsKeRecord.Scan.Message) NtsKeRecord.scan(got, got.length);
            assertThat(m.records().getFirst().type()).isEqualTo(NtsKeRecord.ERROR);
            assertThat(m.records().getFirst().shorts()).containsExactly(NtsKeRecord.ERROR_UNRECOGNIZED_CRITICAL);
        }
        // random bytes (no end of message, then more than the limit): Error 1 (bad request)
        try (SSLSocket s = client(NtsTls.ALPN)) {
            byte[] junk = new byte[NtsKeRecord.MAX_MESSAGE_LENGTH + 2000];
            new SplittableRandom(9).nextBytes(junk);
            for (int i = 0; i + 4 <= junk.length; i += 64) {
                junk[i] = 0x40;
                junk[i + 2] = 0;
                junk[i + 3] = 60;
            }
            s.getOutputStream().write(junk);
            byte[] got = readAll(s.getInputStream());
            var m = (NtsKeRecord.Scan.Message) NtsKeRecord.scan(got, got.length);
            assertThat(m.records().getFirst().shorts()).containsExactly(NtsKeRecord.ERROR_BAD_REQUEST);
        }
        var c = server.counters();
        assertThat(c.noAlpn()).isEqualTo(1);
        assertThat(c.handshakeFailed()).isEqualTo(2);
        assertThat(c.rejected()).isEqualTo(2);
        assertThat(c.served()).isZero();
    }

    @Test
    void aConnectionFloodIsCappedAndTheServerStillServes() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) idle.add(new Socket(InetAddress.getLoopbackAddress(), port));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.counters().refused() < 17 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(server.counters().accepted()).isEqualTo(3);
            assertThat(server.counters().refused()).isEqualTo(17);
        } finally {
            for (Socket s : idle) s.close();
        }
        // once they are gone, a real client is served again
        long deadline = System.nanoTime() + 5_000_000_000L;
        byte[] got = new byte[0];
        while (System.nanoTime() < deadline) {
            try (SSLSocket s = client(NtsTls.ALPN)) {
                s.getOutputStream().write(NtsClientSession.keRequest());
                got = readAll(s.getInputStream());
                if (got.length > 0) break;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        var m = (NtsKeRecord.Scan.Message) NtsKeRecord.scan(got, got.length);
        assertThat(m.records().stream().filter(r -> r.type() == NtsKeRecord.NEW_COOKIE)).hasSize(8);
    }

    @Test
    void ntsratelimitRefusesAClientThatConnectsTooOften() throws Exception {
        ClientLog log = new ClientLog(null, new org.jchrony.server.RateLimit(6, 2, 4, 0), null, false, 524288,
                new SplittableRandom(8));
        SSLContext tls = NtsTls.serverContext(List.of(ca.serverChain()), List.of(ca.serverKey()));
        NtsKeServer limited = NtsKeServer.open(group, List.of(InetAddress.getLoopbackAddress()), 0, tls,
                () -> new NtsKeServerExchange(new NtsCookies(keys, new SplittableRandom(2)), 123, null),
                log, () -> System.currentTimeMillis() * 1_000_000L, 100);
        try {
            int p = limited.ports().getFirst();
            for (int i = 0; i < 40; i++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p)) {
                    s.setSoLinger(true, 0);
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (limited.counters().accepted() + limited.counters().refused() < 40 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            var c = limited.counters();
            assertThat(c.accepted() + c.refused()).isEqualTo(40);
            assertThat(c.accepted()).isBetween(2L, 15L); // the burst, plus the 1-in-16 leak
            assertThat(log.serverStats().ntsKeHits()).isEqualTo(40);
            assertThat(log.serverStats().ntsKeDrops()).isEqualTo(c.refused());
        } finally {
            limited.close();
        }
    }
}
