package org.jchrony.net.bench;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jchrony.core.TimeSource;
import org.jchrony.net.ClockPrecision;
import org.jchrony.net.NtpServerSockets;
import org.jchrony.net.RealtimeClock;
import org.jchrony.net.UdpSocketOptions;
import org.jchrony.ntp.NtpTimestamp;
import org.jchrony.server.DatagramHandler;
import org.jchrony.server.PeerAddress;

/**
 * A stand-in NTP server for the benchmarks until the daemon exists: jchrony's sockets plus a
 * minimal correct responder answering like chronyd with {@code local stratum 10} (leap 0,
 * stratum 10, refid 127.127.1.1, precision measured, poll echoed or 6, origin = request's
 * transmit, receive = kernel RX stamp, transmit = clock read just before returning).
 *
 * <p>Usage: {@code BenchNtpServer PORT [LOOPS] [SOCKETS_PER_ADDRESS] [ADDRESS...]}; runs until killed.
 */
public final class BenchNtpServer {
    private BenchNtpServer() {}

    /** The minimal responder: allocation-free, thread-safe (no state). */
    static DatagramHandler responder(TimeSource clock, int precisionLog2) {
        return (in, len, peer, rxNanos, out) -> respond(in, len, peer, rxNanos, out, clock, precisionLog2);
    }

    static int respond(byte[] in, int len, PeerAddress peer, long rxNanos, byte[] out, TimeSource clock, int precisionLog2) {
        if (len < 48) return 0;
        int version = (in[0] >>> 3) & 7;
        int mode = in[0] & 7;
        if (mode != 3 || version < 1 || version > 4) return 0;
        int poll = in[2] == 0 ? 6 : in[2];
        out[0] = (byte) (version << 3 | 4);
        out[1] = 10;
        out[2] = (byte) poll;
        out[3] = (byte) precisionLog2;
        for (int i = 4; i < 12; i++) out[i] = 0; // root delay, root dispersion
        out[12] = 127; out[13] = 127; out[14] = 1; out[15] = 1;
        System.arraycopy(in, 40, out, 24, 8); // origin = client's transmit
        long rx = NtpTimestamp.fromUnixNanos(rxNanos);
        putLong(out, 16, rx & 0xffff_ffff_0000_0000L); // reference time: start of this second
        putLong(out, 32, rx);
        putLong(out, 40, NtpTimestamp.fromUnixNanos(clock.realtimeNanos()));
        return 48;
    }

    private static void putLong(byte[] b, int i, long v) {
        for (int k = 7; k >= 0; k--) {
            b[i + k] = (byte) v;
            v >>>= 8;
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int perAddress = args.length > 2 ? Integer.parseInt(args[2]) : loops;
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 3; i < args.length; i++) addresses.add(InetAddress.getByName(args[i]));
        if (addresses.isEmpty()) addresses = List.of(InetAddress.getByName("0.0.0.0"), InetAddress.getByName("::"));
        int precision = ClockPrecision.measureLog2();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
        NtpServerSockets sockets = NtpServerSockets.open(group, addresses, port, perAddress,
                new UdpSocketOptions(true, null, 0, 4 << 20), responder(RealtimeClock.INSTANCE, precision));
        System.err.println("BenchNtpServer: port " + port + ", " + loops + " loops, " + perAddress
                + " sockets per address " + addresses + ", precision " + precision);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("BenchNtpServer: " + sockets.stats());
            sockets.close();
            group.shutdownGracefully();
            done.countDown();
        }));
        done.await();
    }
}
