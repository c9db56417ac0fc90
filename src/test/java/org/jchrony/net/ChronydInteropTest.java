package org.jchrony.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jchrony.ntp.NtpPacket;
import org.jchrony.ntp.NtpTimestamp;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * A {@link ClientSocket} querying Debian's chronyd: the kernel RX stamp and the transmit stamp
 * returned by send() give the offset and delay a client computes; on loopback against an
 * unsynchronised {@code local stratum 10} server the offset must be close to zero.
 */
class ChronydInteropTest {
    record Reply(NtpPacket packet, long rxNanos) {}

    @Test
    void clientSocketMeasuresChronydOnLoopback() throws Exception {
        RealChronyd.assumeInstalled();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        IoEventLoop core = group.next();
        BlockingQueue<Reply> replies = new ArrayBlockingQueue<>(16);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (RealChronyd chronyd = RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 10"));
             ClientSocket client = ClientSocket.openFor(core, lo, (in, len, peer, rx, out) -> {
                 try {
                     replies.add(new Reply(NtpPacket.decode(in, 0, len), rx));
                 } catch (org.jchrony.ntp.MalformedPacketException e) {
                     throw new IllegalStateException(e);
                 }
                 return 0;
             })) {
            double bestDelay = Double.MAX_VALUE;
            double offsetAtBest = 0;
            for (int i = 0; i < 8; i++) {
                long cookie = 0x1234_5678_0000_0000L | i;
                byte[] req = new NtpPacket(0, 4, NtpPacket.MODE_CLIENT, 0, 6, -20, 0, 0, 0, 0, 0, 0, cookie, null).encode();
                long t1 = client.send(req, req.length, lo, chronyd.ntpPort());
                assertThat(client.lastTxFromKernel()).isTrue();
                Reply r = replies.poll(2, TimeUnit.SECONDS);
                assertThat(r).as("reply " + i).isNotNull();
                NtpPacket p = r.packet();
                assertThat(p.mode()).isEqualTo(NtpPacket.MODE_SERVER);
                assertThat(p.stratum()).isEqualTo(10);
                assertThat(p.originTime()).isEqualTo(cookie);
                long t2 = NtpTimestamp.toUnixNanos(p.receiveTime(), t1);
                long t3 = NtpTimestamp.toUnixNanos(p.transmitTime(), t1);
                long t4 = r.rxNanos();
                double offset = ((t2 - t1) + (t3 - t4)) / 2e9;
                double delay = ((t4 - t1) - (t3 - t2)) / 1e9;
                assertThat(delay).isGreaterThan(-1e-6).isLessThan(0.05);
                if (delay < bestDelay) {
                    bestDelay = delay;
                    offsetAtBest = offset;
                }
                Thread.sleep(20);
            }
            assertThat(Math.abs(offsetAtBest)).as("offset at min delay, s").isLessThan(100e-6);
            assertThat(bestDelay).as("min delay, s").isLessThan(1e-3);
            assertThat(client.endpoint().stats().withoutKernelTimestamp()).isZero();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
