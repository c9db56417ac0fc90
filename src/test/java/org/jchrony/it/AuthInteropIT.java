package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.random.RandomGeneratorFactory;
import org.jchrony.auth.KeyRing;
import org.jchrony.auth.MacCheck;
import org.jchrony.auth.SourceAuth;
import org.jchrony.clock.NullClockDriver;
import org.jchrony.core.Scheduler;
import org.jchrony.discipline.LocalClock;
import org.jchrony.server.AccessList;
import org.jchrony.server.ClientLog;
import org.jchrony.server.PeerAddress;
import org.jchrony.server.Responder;
import org.jchrony.server.ServerSnapshot;
import org.jchrony.server.ServerSnapshotHolder;
import org.jchrony.source.AuthData;
import org.jchrony.source.NtpSource;
import org.jchrony.source.SourceAddress;
import org.jchrony.source.SourceOptions;
import org.jchrony.source.Transport;
import org.jchrony.testutil.FreePorts;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symmetric-key authentication against Debian's chronyd 4.3 on loopback, both ways:
 * <ul>
 * <li>our {@link NtpSource} with MD5, SHA1, AES128 (and SHA512, SHA3-256) keys polls a real chronyd
 *     that has the same keyfile: chronyd answers its signed requests, and the signed replies pass
 *     our MAC check and become samples;</li>
 * <li>real chronyd follows our {@link Responder} signing with a {@link KeyRing} (the object the
 *     daemon hands to it): ntpdata shows "Authenticated : Yes" and good samples;</li>
 * <li>bad input: real replies with a flipped, truncated or re-keyed MAC, a crypto-NAK or no MAC are
 *     rejected and counted, never an exception; a key unknown to chronyd gets no answer; a key
 *     unknown to us sends nothing.</li>
 * </ul>
 * The daemon-level cases run bin/jchronyd with {@code keyfile} and {@code key}.
 */
class AuthInteropIT {
    static final List<String> KEYS = List.of(
            "1 MD5 HEX:6B65792D6F6E652D6D6435AABB",
            "2 SHA1 ASCII:key-two-sha1",
            "3 AES128 HEX:2B7E151628AED2A6ABF7158809CF4F3C",
            "4 SHA512 ASCII:key-four-sha512",
            "5 SHA3-256 HEX:00112233445566778899AABBCCDDEEFF",
            "6 AES256 HEX:603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4");

    static long realtimeNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** Timers the test runs by hand: each {@link #runDue} fires what is pending (one poll). */
    static final class HandScheduler implements Scheduler {
        final List<Runnable> pending = new ArrayList<>();

        @Override
        public Timer schedule(long delayNanos, Runnable task) {
            pending.add(task);
            return () -> pending.remove(task);
        }

        void runDue() {
            List<Runnable> now = List.copyOf(pending);
            pending.clear();
            now.forEach(Runnable::run);
        }
    }

    /** An NtpSource talking to a real server over a DatagramSocket, driven poll by poll. */
    static final class Harness implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final HandScheduler sched = new HandScheduler();
        final NtpSource source;
        final List<byte[]> requests = new ArrayList<>();

        Harness(int port, SourceAuth auth) throws Exception {
            socket.setSoTimeout(1000);
            Transport t = (pkt, len, dst) -> {
                requests.add(Arrays.copyOf(pkt, len));
                long at = realtimeNanos();
                try {
                    socket.send(new DatagramPacket(pkt, len, dst.address(), dst.port()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return at;
            };
            NtpSource.Listener l = new NtpSource.Listener() {
                @Override public void sampleAdded(NtpSource s) { }
                @Override public void reachabilityChanged(NtpSource s) { }
                @Override public void demobilised(NtpSource s, String reason) { }
            };
            source = new NtpSource("chronyd", new SourceAddress(InetAddress.getLoopbackAddress(), port),
                    NtpSource.Kind.SERVER, SourceOptions.defaults().withAuth(auth),
                    new LocalClock(new NullClockDriver(AuthInteropIT::realtimeNanos)), sched,
                    RandomGeneratorFactory.of("L64X128MixRandom").create(3), t, l);
            source.start();
        }

        /** One poll: the request goes out; returns the raw reply (or null on timeout) and its RX time. */
        byte[] poll(long[] rxNanos) throws Exception {
            int n = requests.size();
            sched.runDue();
            if (requests.size() == n) return null;
            byte[] buf = new byte[1024];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            rxNanos[0] = realtimeNanos();
            return Arrays.copyOf(buf, p.getLength());
        }

        @Override
        public void close() {
            source.stop();
            socket.close();
        }
    }

    static Path writeKeys(Path dir, List<String> lines) throws Exception {
        Path f = dir.resolve("chrony.keys");
        Files.write(f, lines);
        return f;
    }

    @Test
    void ntpSourceFollowsRealChronydWithEachKeyType(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        Path keyFile = writeKeys(dir, KEYS);
        KeyRing ring = KeyRing.load(keyFile);
        try (RealChronyd c = RealChronyd.start(List.of("local stratum 10", "allow 127.0.0.0/8", "keyfile " + keyFile))) {
            // key id, expected request version, expected reply length (chronyd answers with the request's version)
            long[][] cases = {{1, 4, 68}, {2, 4, 72}, {3, 4, 68}, {4, 3, 116}, {5, 3, 84}, {6, 4, 68}};
            for (long[] k : cases) {
                try (Harness h = new Harness(c.ntpPort(), SourceAuth.of(k[0], ring, false))) {
                    int samples = 0;
                    for (int i = 0; i < 4; i++) {
                        long[] rx = new long[1];
                        byte[] reply = h.poll(rx);
                        assertThat(reply).as("key %d: reply from chronyd\n%s", k[0], c.log()).isNotNull();
                        assertThat((h.requests.getLast()[0] >>> 3) & 7).as("key %d version", k[0]).isEqualTo((int) k[1]);
                        assertThat(reply.length).as("key %d reply length", k[0]).isEqualTo((int) k[2]);
                        assertThat(h.source.handleResponse(reply, 0, reply.length, rx[0])).isTrue();
                        samples = h.source.stats().size();
                    }
                    assertThat(samples).as("key %d samples", k[0]).isGreaterThanOrEqualTo(3);
                    AuthData a = h.source.authData();
                    assertThat(a.authenticatedRx()).isEqualTo(4);
                    assertThat(a.rejectedRx()).isZero();
                    assertThat(h.source.lastResponseAuthenticated()).isTrue();
                    assertThat(h.source.lastTests().render()).isEqualTo("111 111 1111");
                    assertThat(Math.abs(h.source.ntpData().offsetSeconds())).isLessThan(0.01);
                }
            }
            // chronyd's own count of authenticated requests
            assertThat(c.chronyc("serverstats")).containsPattern("Authenticated NTP packets *: *24");
        }
    }

    @Test
    void badRepliesAreRejectedAndCountedNeverThrown(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        Path keyFile = writeKeys(dir, KEYS);
        // chronyd knows key 7; we have key 7 with another value, and key 8 chronyd lacks
        Path theirs = dir.resolve("theirs.keys");
        List<String> theirLines = new ArrayList<>(KEYS);
        theirLines.add("7 SHA1 ASCII:their-value-7");
        Files.write(theirs, theirLines);
        List<String> ourLines = new ArrayList<>(KEYS);
        ourLines.add("7 SHA1 ASCII:our-value-77");
        ourLines.add("8 MD5 ASCII:only-ours-8");
        KeyRing ring = KeyRing.load(writeKeys(dir, ourLines));
        try (RealChronyd c = RealChronyd.start(List.of("local stratum 10", "allow 127.0.0.0/8", "keyfile " + theirs))) {
            try (Harness h = new Harness(c.ntpPort(), SourceAuth.of(2, ring, false))) {
                long[] rx = new long[1];
                byte[] reply = h.poll(rx);
                assertThat(reply).isNotNull();
                List<byte[]> bad = new ArrayList<>();
                bad.add(Arrays.copyOf(reply, 48)); // MAC stripped
                byte[] flipped = reply.clone();
                flipped[60] ^= 0x10;
                bad.add(flipped);
                bad.add(Arrays.copyOf(reply, reply.length - 4)); // truncated digest
                byte[] rekeyed = reply.clone();
                rekeyed[51] = 1; // another key id
                bad.add(rekeyed);
                byte[] nak = Arrays.copyOf(reply, 52);
                Arrays.fill(nak, 48, 52, (byte) 0);
                bad.add(nak);
                bad.add(Arrays.copyOf(reply, 50)); // not a multiple of 4
                for (byte[] b : bad) assertThat(h.source.handleResponse(b, 0, b.length, rx[0])).isFalse();
                AuthData a = h.source.authData();
                assertThat(a.rejectedRx()).isEqualTo(6); // the 50-byte one as MALFORMED
                assertThat(a.cryptoNakRx()).isEqualTo(1);
                assertThat(h.source.stats().size()).isZero();
                // the genuine reply still completes the exchange
                assertThat(h.source.handleResponse(reply, 0, reply.length, rx[0])).isTrue();
                assertThat(h.source.authData().authenticatedRx()).isEqualTo(1);
                assertThat(h.source.stats().size()).isEqualTo(1);
            }
            // same key id, different value: chronyd drops the request (no reply at all)
            try (Harness h = new Harness(c.ntpPort(), SourceAuth.of(7, ring, false))) {
                assertThat(h.poll(new long[1])).isNull();
                assertThat(h.requests).hasSize(1);
            }
            // a key only we have: chronyd does not know it, no reply
            try (Harness h = new Harness(c.ntpPort(), SourceAuth.of(8, ring, false))) {
                assertThat(h.poll(new long[1])).isNull();
            }
            // a key nobody has: we send nothing (chronyd 4.3: "Key 9 is missing", Total TX 0)
            try (Harness h = new Harness(c.ntpPort(), SourceAuth.of(9, ring, false))) {
                assertThat(h.poll(new long[1])).isNull();
                assertThat(h.requests).isEmpty();
                assertThat(h.source.authData().keyType()).isZero();
            }
        }
    }

    /** One UDP server thread per address running our Responder with a KeyRing. */
    static final class ResponderServer implements AutoCloseable {
        final List<DatagramSocket> sockets = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final AtomicLong answered = new AtomicLong();
        final int port;

        ResponderServer(KeyRing keys, int precision, List<String> addresses) throws Exception {
            port = FreePorts.udp();
            AccessList acl = new AccessList();
            acl.add(true, false, new byte[] {127, 0, 0, 0}, 8);
            for (String a : addresses) {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(a), port));
                sockets.add(s);
                Responder r = new Responder(new ServerSnapshotHolder(ServerSnapshot.localStratum(10, precision)),
                        AuthInteropIT::realtimeNanos, acl, ClientLog.unlimited(new SplittableRandom(1)), keys,
                        new SplittableRandom(2));
                Thread t = new Thread(() -> serve(s, r), "responder-" + a);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        private void serve(DatagramSocket s, Responder r) {
            byte[] in = new byte[1024];
            byte[] out = new byte[1024];
            PeerAddress peer = new PeerAddress();
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(in, in.length);
                    s.receive(p);
                    long now = realtimeNanos();
                    byte[] b = p.getAddress().getAddress();
                    peer.setInet4((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff), p.getPort());
                    int n = r.handle(in, p.getLength(), peer, now, out);
                    if (n > 0) {
                        s.send(new DatagramPacket(out, n, p.getSocketAddress()));
                        answered.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            sockets.forEach(DatagramSocket::close);
            for (Thread t : threads) t.join(2000);
        }
    }

    static String await(java.util.concurrent.Callable<String> probe, Predicate<String> done, long seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            last = probe.call();
            if (done.test(last)) return last;
            Thread.sleep(250);
        }
        return last;
    }

    @Test
    void realChronydFollowsOurResponderSigningWithTheKeyRing(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        Path keyFile = writeKeys(dir, KEYS);
        KeyRing ring = KeyRing.load(keyFile);
        try (ResponderServer srv = new ResponderServer(ring, -24, List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"));
             RealChronyd c = RealChronyd.start(List.of("keyfile " + keyFile,
                     "server 127.0.0.1 port " + srv.port + " key 1 minpoll -2 maxpoll -2 iburst",
                     "server 127.0.0.2 port " + srv.port + " key 2 minpoll -2 maxpoll -2 iburst",
                     "server 127.0.0.3 port " + srv.port + " key 3 minpoll -2 maxpoll -2 iburst"))) {
            String ntpdata = await(() -> c.chronyc("-n", "ntpdata"),
                    t -> t.split("Total good RX   : [3-9]", -1).length == 4, 20);
            assertThat(ntpdata.split("Authenticated   : Yes", -1)).as(ntpdata).hasSize(4);
            assertThat(ntpdata.split("Total good RX   : [3-9]", -1)).as(ntpdata).hasSize(4);
            assertThat(ntpdata).contains("NTP tests       : 111 111 1111");
            String authdata = c.chronyc("-n", "authdata");
            assertThat(authdata).containsPattern("127\\.0\\.0\\.1 +SK +1 +1 +104")
                    .containsPattern("127\\.0\\.0\\.2 +SK +2 +2 +96")
                    .containsPattern("127\\.0\\.0\\.3 +SK +3 +13 +128");
            assertThat(srv.answered.get()).isGreaterThanOrEqualTo(9);
        }
    }

    @Test
    void jchronydFollowsRealChronydWithKeys(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        Path keyFile = writeKeys(dir, KEYS);
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 3", "keyfile " + keyFile));
             RunningJchronyd j = RunningJchronyd.start(List.of("keyfile " + keyFile,
                     "server 127.0.0.1 port " + ref.ntpPort() + " key 3 minpoll -2 maxpoll -2 iburst"))) {
            String ntpdata = await(() -> j.chronyc("-n", "ntpdata"), t -> t.contains("Authenticated   : Yes"), 20);
            assertThat(ntpdata).as(j.log()).contains("Authenticated   : Yes").contains("NTP tests       : 111 111 1111");
            assertThat(j.chronyc("-n", "authdata")).containsPattern("127\\.0\\.0\\.1 +SK +3 +13 +128");
            assertThat(ref.chronyc("serverstats")).containsPattern("Authenticated NTP packets *: *[1-9]");
        }
    }

    @Test
    void realChronydFollowsJchronydWithKeys(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        Path keyFile = writeKeys(dir, KEYS);
        try (RunningJchronyd j = RunningJchronyd.start(List.of("allow 127.0.0.1", "local stratum 8", "keyfile " + keyFile));
             RealChronyd c = RealChronyd.start(List.of("keyfile " + keyFile,
                     "server 127.0.0.1 port " + j.ntpPort() + " key 2 minpoll -2 maxpoll -2 iburst"))) {
            java.util.regex.Pattern good = java.util.regex.Pattern.compile("Total good RX   : ([3-9]|[1-9][0-9]+)\n");
            String ntpdata = await(() -> c.chronyc("-n", "ntpdata"), t -> good.matcher(t).find(), 20);
            assertThat(ntpdata).as(j.log()).contains("Authenticated   : Yes").containsPattern(good);
            assertThat(c.chronyc("-n", "authdata")).containsPattern("127\\.0\\.0\\.1 +SK +2 +2 +96");
            assertThat(j.chronyc("serverstats")).containsPattern("Authenticated NTP packets *: *[1-9]");
        }
    }
    @FunctionalInterface
    interface RealChronydOrJ {
        String chronyc(String... args) throws Exception;
    }

    @Test
    void authdataAndRekeyMatchChronyd(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        Path serverKeys = writeKeys(dir, KEYS);
        Path clientKeys = dir.resolve("client.keys");
        Files.write(clientKeys, List.of("1 MD5 HEX:6B65792D6F6E652D6D6435AABB", "4 SHA512 ASCII:key-four-sha512"));
        try (RealChronyd srv = RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 3", "keyfile " + serverKeys))) {
            List<String> sourceLines = List.of("keyfile " + clientKeys,
                    "server 127.0.0.1 port " + srv.ntpPort() + " key 1 minpoll -2 maxpoll -2 iburst",
                    "server 127.0.0.2 port " + srv.ntpPort() + " key 3 minpoll -2 maxpoll -2 iburst",
                    "server 127.0.0.3 port " + srv.ntpPort() + " key 4 minpoll -2 maxpoll -2 iburst",
                    "server 127.0.0.4 port " + srv.ntpPort() + " minpoll -2 maxpoll -2 iburst");
            try (RealChronyd c = RealChronyd.start(sourceLines); RunningJchronyd j = RunningJchronyd.start(sourceLines)) {
                Thread.sleep(2000);
                assertThat(j.chronyc("-n", "authdata")).as(j.log()).isEqualTo(c.chronyc("-n", "authdata"));
                assertThat(c.chronyc("-n", "ntpdata", "127.0.0.2")).contains("Total TX        : 0");
                // jchronyd answers "503 No such source" for ntpdata of a source that never got a reply (chronyd
                // shows zeros); both show the source never reached
                for (RealChronydOrJ d : List.<RealChronydOrJ>of(c::chronyc, j::chronyc)) {
                    assertThat(d.chronyc("-n", "sources")).containsPattern("\\^\\? 127\\.0\\.0\\.2 +0 +-?[0-9]+ +0 +- ");
                }
                Files.write(clientKeys, List.of("3 AES128 HEX:2B7E151628AED2A6ABF7158809CF4F3C",
                        "4 SHA512 ASCII:key-four-sha512"));
                assertThat(c.chronyc("rekey")).contains("200 OK");
                assertThat(j.chronyc("rekey")).contains("200 OK");
                Thread.sleep(2000);
                String theirs = c.chronyc("-n", "authdata");
                assertThat(theirs).containsPattern("127\\.0\\.0\\.2 +SK +3 +13 +128");
                assertThat(j.chronyc("-n", "authdata")).isEqualTo(theirs);
                for (String a : List.of("127.0.0.2", "127.0.0.3")) {
                    assertThat(j.chronyc("-n", "ntpdata", a)).as(a).contains("Authenticated   : Yes");
                    assertThat(c.chronyc("-n", "ntpdata", a)).as(a).contains("Authenticated   : Yes");
                }
                assertThat(j.chronyc("-n", "ntpdata", "127.0.0.3")).contains("Version         : 3");
            }
        }
    }
}
