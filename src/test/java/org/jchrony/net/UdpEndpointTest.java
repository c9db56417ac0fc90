package org.jchrony.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jchrony.server.DatagramHandler;
import org.jchrony.server.PeerAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Round trips through the real FFM sockets on loopback, driven by a Netty epoll loop. */
class UdpEndpointTest {
    private static IoEventLoopGroup group;

    record Seen(PeerAddress peer, long rxNanos, String text, String thread) {}

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Echoes "re:" + request; throws on "throw"; answers "big" with a too-long reply. */
    private static DatagramHandler recording(BlockingQueue<Seen> seen) {
        return (in, len, peer, rx, out) -> {
            String text = new String(in, 0, len, StandardCharsets.ISO_8859_1);
            PeerAddress copy = new PeerAddress();
            copy.copyFrom(peer);
            seen.add(new Seen(copy, rx, text, Thread.currentThread().getName()));
            if (text.equals("throw")) throw new IllegalStateException("handler failure (expected by test)");
            if (text.equals("big")) return out.length + 1;
            if (text.equals("silent")) return 0;
            byte[] reply = ("re:" + text).getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(reply, 0, out, 0, reply.length);
            return reply.length;
        };
    }

    private static long nowNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static String roundTrip(DatagramSocket client, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        client.send(new DatagramPacket(b, b.length));
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        client.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void ipv4WildcardSocketAnswersFromTheAddressTheRequestWentTo() throws Exception {
        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        InetAddress any4 = InetAddress.getByName("0.0.0.0");
        try (NtpServerSockets server = NtpServerSockets.open(group, List.of(any4), 0, 2, UdpSocketOptions.DEFAULT, recording(seen));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            int port = server.port(any4);
            assertThat(port).isPositive();
            assertThat(server.endpoints()).hasSize(2);
            client.setSoTimeout(2000);
            // connected to 127.0.0.3: the kernel delivers the reply only if it comes from 127.0.0.3
            client.connect(InetAddress.getByName("127.0.0.3"), port);
            long before = nowNanos();
            assertThat(roundTrip(client, "hello")).isEqualTo("re:hello");
            long after = nowNanos();
            Seen s = seen.poll(1, TimeUnit.SECONDS);
            assertThat(s).isNotNull();
            assertThat(s.text()).isEqualTo("hello");
            assertThat(s.peer().family()).isEqualTo(PeerAddress.INET4);
            assertThat(s.peer().inet4()).isEqualTo(0x7f000001);
            assertThat(s.peer().port()).isEqualTo(client.getLocalPort());
            assertThat(java.util.Arrays.copyOf(s.peer().localAddress(), 4)).containsExactly(127, 0, 0, 3);
            assertThat(s.peer().localIfIndex()).isPositive();
            assertThat(s.rxNanos()).isBetween(before, after);
            assertThat(s.thread()).doesNotContain("main");
            long deadline = System.nanoTime() + 2_000_000_000L; // counters are updated after the send
            while (server.stats().replied() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(server.stats().received()).isEqualTo(1);
            assertThat(server.stats().replied()).isEqualTo(1);
            assertThat(server.stats().withoutKernelTimestamp()).isZero();
        }
    }

    @Test
    void ipv6LoopbackRoundTrip() throws Exception {
        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        InetAddress any6 = InetAddress.getByName("::");
        InetAddress lo6 = InetAddress.getByName("::1");
        try (NtpServerSockets server = NtpServerSockets.open(group, List.of(any6), 0, 1, UdpSocketOptions.DEFAULT, recording(seen));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo6, 0))) {
            client.setSoTimeout(2000);
            client.connect(lo6, server.port(any6));
            long before = nowNanos();
            assertThat(roundTrip(client, "six")).isEqualTo("re:six");
            long after = nowNanos();
            Seen s = seen.poll(1, TimeUnit.SECONDS);
            assertThat(s.peer().family()).isEqualTo(PeerAddress.INET6);
            assertThat(s.peer().isLoopback()).isTrue();
            assertThat(s.peer().port()).isEqualTo(client.getLocalPort());
            assertThat(s.peer().localAddress()).isEqualTo(lo6.getAddress());
            assertThat(s.rxNanos()).isBetween(before, after);
        }
    }

    @Test
    void ipv4SocketBoundToOneAddress() throws Exception {
        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (NtpServerSockets server = NtpServerSockets.open(group, List.of(lo), 0, 1,
                new UdpSocketOptions(false, null, 46, 1 << 20), recording(seen));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            client.setSoTimeout(2000);
            client.connect(lo, server.port(lo));
            assertThat(roundTrip(client, "x")).isEqualTo("re:x");
            assertThat(java.util.Arrays.copyOf(seen.take().peer().localAddress(), 4)).containsExactly(127, 0, 0, 1);
        }
    }

    @Test
    void malformedOversizedAndThrowingDatagramsNeverStopTheLoop() throws Exception {
        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (NtpServerSockets server = NtpServerSockets.open(group, List.of(lo), 0, 1, UdpSocketOptions.DEFAULT, recording(seen));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            client.setSoTimeout(300);
            client.connect(lo, server.port(lo));
            byte[] huge = new byte[UdpEndpoint.MAX_DATAGRAM + 1000];
            client.send(new DatagramPacket(huge, huge.length));
            client.send(new DatagramPacket(new byte[] {(byte) 0xe3, 0}, 2)); // a truncated NTP header
            for (String s : List.of("throw", "big", "silent")) {
                byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                client.send(new DatagramPacket(b, b.length));
            }
            DatagramPacket first = new DatagramPacket(new byte[4096], 4096);
            client.receive(first); // only the short datagram is echoed
            assertThat(first.getLength()).isEqualTo(5);
            assertThatThrownBy(() -> client.receive(new DatagramPacket(new byte[4096], 4096)))
                    .isInstanceOf(SocketTimeoutException.class);
            client.setSoTimeout(2000);
            assertThat(roundTrip(client, "still alive")).isEqualTo("re:still alive");
            long deadline = System.nanoTime() + 2_000_000_000L; // counters are updated after the send
            while (server.stats().replied() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
            UdpEndpoint.Stats st = server.stats();
            assertThat(st.received()).isEqualTo(6);
            assertThat(st.truncated()).isEqualTo(1);
            assertThat(st.handlerErrors()).isEqualTo(2); // the throw and the too-long reply
            assertThat(st.replied()).isEqualTo(2);
            assertThat(seen.stream().map(Seen::text)).contains("\u00e3\u0000", "throw", "big", "silent", "still alive");
        }
    }

    @Test
    void burstIsAnsweredCompletely() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (NtpServerSockets server = NtpServerSockets.open(group, List.of(lo), 0, 1,
                new UdpSocketOptions(false, null, 0, 1 << 20), recording(new LinkedBlockingQueue<>()));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            client.setReceiveBufferSize(1 << 20);
            client.setSoTimeout(2000);
            client.connect(lo, server.port(lo));
            int n = 200; // more than several recvmmsg batches
            for (int i = 0; i < n; i++) {
                byte[] b = ("m" + i).getBytes(StandardCharsets.ISO_8859_1);
                client.send(new DatagramPacket(b, b.length));
            }
            java.util.Set<String> got = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                client.receive(p);
                got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1));
            }
            assertThat(got).hasSize(n).contains("re:m0", "re:m199");
        }
    }

    /**
     * Whole recvmmsg batches (the loop is held busy while the datagrams queue up), with requests
     * of many lengths, some left unanswered so reply slots and request slots differ, from an IPv4
     * and an IPv6 client at once: every answered request gets exactly its own reply, from the
     * address it was sent to, and nothing else arrives.
     */
    @Test
    void fullBatchesWithMixedLengthsAndSilentRequestsKeepEveryReplyWithItsRequest() throws Exception {
        InetAddress lo4 = InetAddress.getByName("127.0.0.1");
        InetAddress lo6 = InetAddress.getByName("::1");
        IoEventLoopGroup one = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (NtpServerSockets server = NtpServerSockets.open(one, List.of(lo4, lo6), 0, 1,
                new UdpSocketOptions(false, null, 0, 1 << 20), recording(new LinkedBlockingQueue<>()));
             DatagramSocket c4 = new DatagramSocket(new InetSocketAddress(lo4, 0));
             DatagramSocket c6 = new DatagramSocket(new InetSocketAddress(lo6, 0))) {
            for (DatagramSocket c : List.of(c4, c6)) {
                c.setReceiveBufferSize(1 << 20);
                c.setSoTimeout(2000);
            }
            c4.connect(lo4, server.port(lo4));
            c6.connect(lo6, server.port(lo6));
            // The kernel turns RX timestamping on for the whole machine lazily (from a work queue)
            // when the first socket asks for it: wait until a request arrives stamped.
            for (int tries = 0; tries < 200; tries++) {
                long before = server.stats().withoutKernelTimestamp();
                assertThat(roundTrip(c4, "warm")).isEqualTo("re:warm");
                if (server.stats().withoutKernelTimestamp() == before) break;
                Thread.sleep(10);
            }
            long settle = System.nanoTime() + 2_000_000_000L; // "replied" is counted after sendmmsg returns
            while (server.stats().replied() < server.stats().received() && System.nanoTime() < settle) Thread.sleep(5);
            UdpEndpoint.Stats base = server.stats();
            int n = 3 * UdpEndpoint.BATCH + 7;
            java.util.Set<String> expected4 = new java.util.HashSet<>();
            java.util.Set<String> expected6 = new java.util.HashSet<>();
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            one.next().execute(() -> { // keep the loop busy so that full batches queue up
                held.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < n; i++) {
                String text = i % 5 == 3 ? "silent" : "m" + i + "-" + "x".repeat((i * 37) % 900);
                byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
                DatagramSocket c = i % 2 == 0 ? c4 : c6;
                c.send(new DatagramPacket(b, b.length));
                if (!text.equals("silent")) (c == c4 ? expected4 : expected6).add("re:" + text);
            }
            release.countDown();
            assertThat(receiveAll(c4, expected4.size())).containsExactlyInAnyOrderElementsOf(expected4);
            assertThat(receiveAll(c6, expected6.size())).containsExactlyInAnyOrderElementsOf(expected6);
            assertThat(server.stats().received() - base.received()).isEqualTo(n);
            assertThat(server.stats().replied() - base.replied()).isEqualTo(expected4.size() + expected6.size());
            assertThat(server.stats().withoutKernelTimestamp() - base.withoutKernelTimestamp()).isZero();
        } finally {
            one.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** The expected number of datagrams (2 s each at most), then whatever else arrives within 100 ms. */
    private static List<String> receiveAll(DatagramSocket c, int expected) throws Exception {
        List<String> got = new java.util.ArrayList<>();
        c.setSoTimeout(2000);
        while (true) {
            if (got.size() >= expected) c.setSoTimeout(100);
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            try {
                c.receive(p);
            } catch (SocketTimeoutException e) {
                return got;
            }
            got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1));
        }
    }

    /** A handler per loop: made once per loop, called only on that loop's thread, for all its sockets. */
    @Test
    void handlerPerLoopIsMadeOncePerLoopAndCalledOnlyOnItsThread() throws Exception {
        InetAddress lo4 = InetAddress.getByName("127.0.0.1");
        InetAddress lo6 = InetAddress.getByName("::1");
        java.util.Map<io.netty.channel.IoEventLoop, java.util.Set<String>> threadsPerLoop = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger offLoop = new java.util.concurrent.atomic.AtomicInteger();
        try (NtpServerSockets server = NtpServerSockets.open(group, List.of(lo4, lo6), 0, 2,
                UdpSocketOptions.DEFAULT, loop -> {
                    made.incrementAndGet();
                    java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
                    threadsPerLoop.put(loop, threads);
                    DatagramHandler echo = recording(new LinkedBlockingQueue<>());
                    return (in, len, peer, rx, out) -> {
                        if (!loop.inEventLoop()) offLoop.incrementAndGet();
                        threads.add(Thread.currentThread().getName());
                        return echo.handle(in, len, peer, rx, out);
                    };
                })) {
            assertThat(server.endpoints()).hasSize(4);
            assertThat(made.get()).isEqualTo(2); // two loops in the group, two sockets on each
            for (InetAddress a : List.of(lo4, lo6)) {
                for (int i = 0; i < 40; i++) { // new source ports: SO_REUSEPORT spreads them over both sockets
                    try (DatagramSocket c = new DatagramSocket(new InetSocketAddress(a, 0))) {
                        c.setSoTimeout(2000);
                        c.connect(a, server.port(a));
                        assertThat(roundTrip(c, "q" + i)).isEqualTo("re:q" + i);
                    }
                }
            }
            assertThat(offLoop.get()).isZero();
            assertThat(threadsPerLoop.values()).allSatisfy(t -> assertThat(t.size()).isLessThanOrEqualTo(1));
            assertThat(threadsPerLoop.values().stream().mapToInt(java.util.Set::size).sum()).isEqualTo(2);
        }
    }

    /** With re-stamping on, a TransmitStamping handler's replies get a clock read taken after the handler ran. */
    @Test
    void restampableRepliesGetAClockReadTakenJustBeforeSending() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        final class Stamper implements DatagramHandler, org.jchrony.server.TransmitStamping {
            boolean restampable;
            @Override
            public int handle(byte[] in, int len, PeerAddress peer, long rx, byte[] out) {
                restampable = in[0] == 'r';
                java.util.Arrays.fill(out, 0, 16, (byte) 0);
                long own = nowNanos();
                for (int i = 0; i < 8; i++) out[i] = (byte) (own >>> (56 - 8 * i)); // handler's own time
                out[16] = in[0];
                return 17;
            }
            @Override
            public boolean lastReplyRestampable() {
                return restampable;
            }
            @Override
            public void restampTransmit(byte[] buffer, int offset, int length, long realtimeNanos) {
                for (int i = 0; i < 8; i++) buffer[offset + 8 + i] = (byte) (realtimeNanos >>> (56 - 8 * i));
            }
        }
        try (UdpSocket s = UdpSocket.open(lo, 0, UdpSocketOptions.DEFAULT);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            UdpEndpoint ep = UdpEndpoint.open(group.next(), s, new Stamper(), UdpEndpoint.BATCH, true);
            try {
                client.setSoTimeout(2000);
                client.connect(lo, s.localPort());
                for (String kind : List.of("r", "n")) {
                    client.send(new DatagramPacket(kind.getBytes(StandardCharsets.ISO_8859_1), 1));
                    DatagramPacket p = new DatagramPacket(new byte[64], 64);
                    client.receive(p);
                    byte[] b = p.getData();
                    assertThat(p.getLength()).isEqualTo(17);
                    assertThat((char) b[16]).isEqualTo(kind.charAt(0));
                    long own = java.nio.ByteBuffer.wrap(b, 0, 8).getLong();
                    long stamp = java.nio.ByteBuffer.wrap(b, 8, 8).getLong();
                    if (kind.equals("r")) {
                        assertThat(stamp).isGreaterThanOrEqualTo(own).isLessThan(own + 1_000_000_000L);
                    } else {
                        assertThat(stamp).isZero();
                    }
                }
            } finally {
                ep.close();
            }
        }
    }

    @Test
    void defaultLoopsLeaveOneProcessorForTheKernel() {
        assertThat(NtpServerSockets.defaultSocketsPerAddress(1)).isEqualTo(1);
        assertThat(NtpServerSockets.defaultSocketsPerAddress(2)).isEqualTo(1);
        assertThat(NtpServerSockets.defaultSocketsPerAddress(8)).isEqualTo(7);
        assertThat(NtpServerSockets.defaultSocketsPerAddress()).isPositive();
    }

    @Test
    void bindFailuresNameAddressAndPort() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> UdpSocket.open(lo, port, UdpSocketOptions.DEFAULT))
                    .isInstanceOf(SocketBindException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("EADDRINUSE")
                    .satisfies(e -> assertThat(((SocketBindException) e).errno()).isEqualTo(Libc.EADDRINUSE));
        }
        InetAddress notMine = InetAddress.getByName("192.0.2.1");
        assertThatThrownBy(() -> NtpServerSockets.open(group, List.of(notMine), 12345, 1, UdpSocketOptions.DEFAULT,
                (in, len, peer, rx, out) -> 0))
                .isInstanceOf(SocketBindException.class)
                .hasMessageContaining("192.0.2.1:12345")
                .hasMessageContaining("EADDRNOTAVAIL");
        InetAddress lo6 = InetAddress.getByName("::1");
        try (UdpSocket a = UdpSocket.open(lo6, 0, UdpSocketOptions.DEFAULT)) {
            assertThatThrownBy(() -> UdpSocket.open(lo6, a.localPort(), UdpSocketOptions.DEFAULT))
                    .isInstanceOf(SocketBindException.class)
                    .hasMessageContaining("[0:0:0:0:0:0:0:1]:" + a.localPort());
        }
    }

    @Test
    void shuttingDownTheLoopsClosesTheSockets() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        IoEventLoopGroup own = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        NtpServerSockets server = NtpServerSockets.open(own, List.of(lo), 0, 1, UdpSocketOptions.DEFAULT, (in, len, p, rx, out) -> 0);
        int port = server.port(lo);
        assertThat(server.endpoints().get(0).socket().isOpen()).isTrue();
        own.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        server.close(); // closes on the caller's thread once the loop has gone (usually the loop did already)
        assertThat(server.endpoints().get(0).socket().isOpen()).isFalse();
        try (UdpSocket again = UdpSocket.open(lo, port, UdpSocketOptions.DEFAULT)) { // port free again
            assertThat(again.localPort()).isEqualTo(port);
        }
    }

    @Test
    void reusePortLetsSeveralSocketsShareAPort() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        UdpSocketOptions reuse = UdpSocketOptions.DEFAULT.withReusePort(true);
        try (UdpSocket a = UdpSocket.open(lo, 0, reuse); UdpSocket b = UdpSocket.open(lo, a.localPort(), reuse)) {
            assertThat(b.localPort()).isEqualTo(a.localPort());
            try (UdpSocket c = UdpSocket.open(lo, 0, new UdpSocketOptions(false, null, 0, 200_000))) {
                assertThat(c.receiveBufferBytes()).isGreaterThanOrEqualTo(200_000); // the kernel doubles it
            }
            assertThat(a.timestamping()).isTrue();
        }
    }

    @Test
    void bindDeviceLo() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (UdpSocket s = UdpSocket.open(lo, 0, new UdpSocketOptions(false, "lo", 0, 0))) {
            assertThat(s.localPort()).isPositive();
        } catch (ErrnoException e) {
            // SO_BINDTODEVICE needs CAP_NET_RAW on older kernels
            assertThat(e.errno()).isEqualTo(Libc.EPERM);
        }
        assertThatThrownBy(() -> UdpSocket.open(lo, 0, new UdpSocketOptions(false, "nosuchdev0", 0, 0)))
                .isInstanceOf(ErrnoException.class).hasMessageContaining("SO_BINDTODEVICE");
    }
}
