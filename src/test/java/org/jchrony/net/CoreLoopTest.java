package org.jchrony.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.FileDescriptor;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jchrony.core.Scheduler;
import org.jchrony.server.PeerAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core-loop pieces: client sockets, generic fd watches, the scheduler, the clock. */
class CoreLoopTest {
    private static MultiThreadIoEventLoopGroup group;
    private static IoEventLoop core;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        core = group.next();
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    record Response(String text, int port, long rxNanos, boolean onCore) {}

    @Test
    void clientSocketSendsAndReceivesWithKernelTimestamps() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        BlockingQueue<Response> got = new ArrayBlockingQueue<>(4);
        try (DatagramSocket upstream = new DatagramSocket(new InetSocketAddress(lo, 0));
             ClientSocket client = ClientSocket.openFor(core, lo, (in, len, peer, rx, out) -> {
                 got.add(new Response(new String(in, 0, len, StandardCharsets.US_ASCII), peer.port(), rx, core.inEventLoop()));
                 return 0;
             })) {
            upstream.setSoTimeout(2000);
            byte[] req = "request".getBytes(StandardCharsets.US_ASCII);
            long tx = client.send(req, req.length, lo, upstream.getLocalPort());
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            upstream.receive(p);
            assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo("request");
            assertThat(p.getPort()).isEqualTo(client.localPort());
            upstream.send(new DatagramPacket("response".getBytes(StandardCharsets.US_ASCII), 8, p.getSocketAddress()));
            Response r = got.poll(2, TimeUnit.SECONDS);
            assertThat(r).isNotNull();
            assertThat(r.text()).isEqualTo("response");
            assertThat(r.port()).isEqualTo(upstream.getLocalPort());
            assertThat(r.onCore()).isTrue();
            assertThat(r.rxNanos()).isGreaterThan(tx).isLessThan(tx + 1_000_000_000L);
            assertThatThrownBy(() -> client.send(req, req.length, InetAddress.getByName("::1"), 9))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void clientSocketOnFixedAcquisitionPortAndIpv6() throws Exception {
        InetAddress lo6 = InetAddress.getByName("::1");
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(lo6, 0))) {
            port = probe.getLocalPort();
        }
        BlockingQueue<PeerAddress> got = new ArrayBlockingQueue<>(4);
        try (DatagramSocket upstream = new DatagramSocket(new InetSocketAddress(lo6, 0));
             ClientSocket client = ClientSocket.open(core, lo6, port, UdpSocketOptions.DEFAULT, (in, len, peer, rx, out) -> {
                 PeerAddress c = new PeerAddress();
                 c.copyFrom(peer);
                 got.add(c);
                 return 0;
             })) {
            assertThat(client.localPort()).isEqualTo(port);
            upstream.setSoTimeout(2000);
            client.send(new byte[48], 48, lo6, upstream.getLocalPort());
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            upstream.receive(p);
            assertThat(p.getPort()).isEqualTo(port);
            upstream.send(new DatagramPacket(new byte[48], 48, p.getSocketAddress()));
            PeerAddress peer = got.poll(2, TimeUnit.SECONDS);
            assertThat(peer.family()).isEqualTo(PeerAddress.INET6);
            assertThat(peer.port()).isEqualTo(upstream.getLocalPort());
        }
    }

    @Test
    void fdWatchCallsBackOnTheLoopWhenReadable() throws Exception {
        FileDescriptor[] pipe = FileDescriptor.pipe();
        AtomicInteger bytes = new AtomicInteger();
        BlockingQueue<Boolean> calls = new ArrayBlockingQueue<>(16);
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        AtomicInteger closed = new AtomicInteger();
        FdWatch w = FdWatch.register(core, pipe[0].intValue(), () -> {
            try {
                buf.clear();
                int n = pipe[0].read(buf, 0, 64);
                if (n > 0) bytes.addAndGet(n);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            calls.add(core.inEventLoop());
        }, closed::incrementAndGet);
        try {
            ByteBuffer data = ByteBuffer.allocateDirect(5).put("hello".getBytes(StandardCharsets.US_ASCII)).flip();
            pipe[1].write(data, 0, 5);
            assertThat(calls.poll(2, TimeUnit.SECONDS)).isTrue();
            assertThat(bytes.get()).isEqualTo(5);
        } finally {
            w.close();
            w.close();
            pipe[0].close();
            pipe[1].close();
        }
        assertThat(closed.get()).isEqualTo(1);
        assertThat(w.isOpen()).isFalse();
    }

    @Test
    void schedulerRunsTasksOnTheCoreLoopAfterTheDelayAndCancels() throws Exception {
        NettyScheduler scheduler = new NettyScheduler(core);
        BlockingQueue<Long> ran = new ArrayBlockingQueue<>(4);
        long start = System.nanoTime();
        scheduler.schedule(20_000_000L, () -> ran.add(core.inEventLoop() ? System.nanoTime() : -1L));
        Scheduler.Timer cancelled = scheduler.schedule(10_000_000L, () -> ran.add(-2L));
        cancelled.cancel();
        cancelled.cancel();
        Long at = ran.poll(2, TimeUnit.SECONDS);
        assertThat(at).isNotNull().isGreaterThanOrEqualTo(start + 20_000_000L);
        assertThat(ran.poll(50, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void realtimeClocksAgreeAndPrecisionIsMeasured() {
        long a = RealtimeClock.INSTANCE.realtimeNanos();
        long b = RealtimeClock.instant().realtimeNanos();
        long c = RealtimeClock.INSTANCE.realtimeNanos();
        assertThat(b).isBetween(a, c);
        assertThat(c - a).isLessThan(100_000_000L);
        long ns = ClockPrecision.measureNanos(RealtimeClock.INSTANCE);
        assertThat(ns).isBetween(1L, 1_000_000L);
        int log2 = ClockPrecision.measureLog2();
        assertThat(log2).isBetween(-30, -10);
        assertThat(ClockPrecision.log2(15)).isEqualTo(-26);
        assertThat(ClockPrecision.log2(1000)).isEqualTo(-20);
    }
}
