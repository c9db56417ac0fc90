package org.jchrony.net;

import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.jchrony.server.DatagramHandler;
import org.jchrony.server.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link UdpSocket} served on one epoll event loop: on readiness it reads up to
 * {@value #BATCH} datagrams with one recvmmsg, gives each to the {@link DatagramHandler} with the
 * source address, the destination address (IP_PKTINFO) and the kernel RX timestamp
 * (CLOCK_REALTIME ns), and sends all replies with one sendmmsg, each from the address its request
 * was sent to (IP_PKTINFO / IPV6_PKTINFO control message), as chronyd answers from the request's
 * destination even on a wildcard socket.
 *
 * <p>All buffers (mmsghdr/iovec/sockaddr/control arrays, packet data, and the byte arrays the
 * handler sees) are allocated once per endpoint: the packet path allocates nothing. Truncated
 * (oversized) datagrams and datagrams without an address are dropped and counted; a handler that
 * throws is logged (rate-limited) and the loop keeps serving.
 *
 * <p>Threading: everything but {@link #close()} and the counters runs on the loop thread.
 */
public final class UdpEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);

    /** Datagrams per recvmmsg/sendmmsg. */
    public static final int BATCH = 32;
    /** Largest datagram accepted; longer ones are truncated by the kernel and dropped. */
    public static final int MAX_DATAGRAM = 2048;
    /** recvmmsg calls per readiness event before yielding to other fds/tasks. */
    private static final int MAX_BATCHES_PER_WAKEUP = 8;

    private static final int NAME_SIZE = 32; // >= sizeof(sockaddr_in6), 8-aligned
    private static final int RX_CTRL_SIZE = 256;
    private static final int TX_CTRL_SIZE = 64;

    private final UdpSocket socket;
    private final DatagramHandler handler;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private MemorySegment errnoLocation; // of the loop thread, set on first use there
    private final MemorySegment rxVec;
    private final MemorySegment rxNames;
    private final MemorySegment rxCtrl;
    private final MemorySegment rxData;
    private final MemorySegment txVec;
    private final MemorySegment txIov;
    private final MemorySegment txNames;
    private final MemorySegment txCtrl;
    private final MemorySegment txData;
    private final MemorySegment timespec;
    private final byte[] in = new byte[MAX_DATAGRAM];
    private final byte[] out = new byte[MAX_DATAGRAM];
    private final byte[] scratch = new byte[16];
    private final PeerAddress peer = new PeerAddress();
    private final FdWatch watch;

    // counters: written on the loop thread only, read racily elsewhere
    private long received;
    private long replied;
    private long truncated;
    private long handlerErrors;
    private long sendErrors;
    private long receiveErrors;
    private long noTimestamp;

    private UdpEndpoint(IoEventLoop loop, UdpSocket socket, DatagramHandler handler) throws IOException {
        this.socket = socket;
        this.handler = handler;
        this.fd = socket.fd();
        rxVec = arena.allocate((long) Libc.MMSGHDR_SIZE * BATCH, 8);
        MemorySegment rxIov = arena.allocate((long) Libc.IOVEC_SIZE * BATCH, 8);
        rxNames = arena.allocate((long) NAME_SIZE * BATCH, 8);
        rxCtrl = arena.allocate((long) RX_CTRL_SIZE * BATCH, 8);
        rxData = arena.allocate((long) MAX_DATAGRAM * BATCH, 8);
        txVec = arena.allocate((long) Libc.MMSGHDR_SIZE * BATCH, 8);
        txIov = arena.allocate((long) Libc.IOVEC_SIZE * BATCH, 8);
        txNames = arena.allocate((long) NAME_SIZE * BATCH, 8);
        txCtrl = arena.allocate((long) TX_CTRL_SIZE * BATCH, 8);
        txData = arena.allocate((long) MAX_DATAGRAM * BATCH, 8);
        timespec = arena.allocate(Libc.TIMESPEC);
        for (int i = 0; i < BATCH; i++) {
            long m = (long) i * Libc.MMSGHDR_SIZE;
            long v = (long) i * Libc.IOVEC_SIZE;
            rxIov.set(ValueLayout.ADDRESS, v, rxData.asSlice((long) i * MAX_DATAGRAM, MAX_DATAGRAM));
            rxIov.set(ValueLayout.JAVA_LONG, v + 8, MAX_DATAGRAM);
            rxVec.set(ValueLayout.ADDRESS, m + Libc.MSGHDR_NAME, rxNames.asSlice((long) i * NAME_SIZE, NAME_SIZE));
            rxVec.set(ValueLayout.ADDRESS, m + Libc.MSGHDR_IOV, rxIov.asSlice(v, Libc.IOVEC_SIZE));
            rxVec.set(ValueLayout.JAVA_LONG, m + Libc.MSGHDR_IOVLEN, 1);
            rxVec.set(ValueLayout.ADDRESS, m + Libc.MSGHDR_CONTROL, rxCtrl.asSlice((long) i * RX_CTRL_SIZE, RX_CTRL_SIZE));
            txIov.set(ValueLayout.ADDRESS, v, txData.asSlice((long) i * MAX_DATAGRAM, MAX_DATAGRAM));
            txVec.set(ValueLayout.ADDRESS, m + Libc.MSGHDR_NAME, txNames.asSlice((long) i * NAME_SIZE, NAME_SIZE));
            txVec.set(ValueLayout.ADDRESS, m + Libc.MSGHDR_IOV, txIov.asSlice(v, Libc.IOVEC_SIZE));
            txVec.set(ValueLayout.JAVA_LONG, m + Libc.MSGHDR_IOVLEN, 1);
            txVec.set(ValueLayout.ADDRESS, m + Libc.MSGHDR_CONTROL, txCtrl.asSlice((long) i * TX_CTRL_SIZE, TX_CTRL_SIZE));
        }
        try {
            watch = FdWatch.register(loop, fd, this::readReady, this::release);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Serves {@code socket} on {@code loop}, calling {@code handler} for each datagram. The
     * endpoint owns the socket from now on: closing the endpoint (or the loop) closes it.
     */
    public static UdpEndpoint open(IoEventLoop loop, UdpSocket socket, DatagramHandler handler) throws IOException {
        try {
            return new UdpEndpoint(loop, socket, handler);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public UdpSocket socket() { return socket; }

    public IoEventLoop loop() { return watch.loop(); }

    /** Counters so far (read without synchronisation: approximate while traffic flows). */
    public Stats stats() {
        return new Stats(received, replied, truncated, handlerErrors, receiveErrors, sendErrors, noTimestamp);
    }

    /** Datagram counters of one endpoint. */
    public record Stats(long received, long replied, long truncated, long handlerErrors,
                        long receiveErrors, long sendErrors, long withoutKernelTimestamp) {
        public Stats plus(Stats o) {
            return new Stats(received + o.received, replied + o.replied, truncated + o.truncated,
                    handlerErrors + o.handlerErrors, receiveErrors + o.receiveErrors, sendErrors + o.sendErrors,
                    withoutKernelTimestamp + o.withoutKernelTimestamp);
        }
    }

    private void readReady() {
        for (int round = 0; round < MAX_BATCHES_PER_WAKEUP; round++) {
            for (int i = 0; i < BATCH; i++) {
                long m = (long) i * Libc.MMSGHDR_SIZE;
                rxVec.set(ValueLayout.JAVA_INT, m + Libc.MSGHDR_NAMELEN, NAME_SIZE);
                rxVec.set(ValueLayout.JAVA_LONG, m + Libc.MSGHDR_CONTROLLEN, RX_CTRL_SIZE);
                rxVec.set(ValueLayout.JAVA_INT, m + Libc.MSGHDR_FLAGS, 0);
            }
            int n = Libc.recvmmsgFast(fd, rxVec, BATCH, Libc.MSG_DONTWAIT);
            if (n <= 0) {
                if (n < 0) {
                    int errno = errno();
                    if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                        receiveErrors++;
                        if (receiveErrors <= 10 || receiveErrors % 10000 == 0) {
                            log.debug("recvmmsg on {}: {}", socket, Libc.describe(errno));
                        }
                    }
                }
                return;
            }
            int replies = 0;
            for (int i = 0; i < n; i++) {
                if (process(i, replies)) replies++;
            }
            if (replies > 0) send(replies);
            if (n < BATCH) return; // drained; level-triggered epoll tells us about more
        }
    }

    /** Handles received message {@code i}; returns true if a reply was queued at {@code slot}. */
    private boolean process(int i, int slot) {
        long m = (long) i * Libc.MMSGHDR_SIZE;
        received++;
        int length = rxVec.get(ValueLayout.JAVA_INT, m + Libc.MMSGHDR_LEN);
        int flags = rxVec.get(ValueLayout.JAVA_INT, m + Libc.MSGHDR_FLAGS);
        if ((flags & Libc.MSG_TRUNC) != 0 || length > MAX_DATAGRAM) {
            truncated++;
            return false;
        }
        long nameOff = (long) i * NAME_SIZE;
        int nameLen = rxVec.get(ValueLayout.JAVA_INT, m + Libc.MSGHDR_NAMELEN);
        int family = rxNames.get(ValueLayout.JAVA_SHORT, nameOff);
        int port = rxNames.get(UdpSocket.SHORT_BE, nameOff + 2) & 0xffff;
        if (family == Libc.AF_INET && nameLen >= Libc.SOCKADDR_IN_SIZE) {
            peer.setInet4(rxNames.get(UdpSocket.INT_BE, nameOff + 4), port);
        } else if (family == Libc.AF_INET6 && nameLen >= Libc.SOCKADDR_IN6_SIZE) {
            MemorySegment.copy(rxNames, ValueLayout.JAVA_BYTE, nameOff + 8, scratch, 0, 16);
            peer.setInet6(scratch, 0, port);
        } else {
            receiveErrors++;
            return false;
        }
        // control messages: RX timestamp and destination address
        long rxNanos = Long.MIN_VALUE;
        boolean haveLocal = false;
        long ctrlBase = (long) i * RX_CTRL_SIZE;
        long ctrlLen = Math.min(rxVec.get(ValueLayout.JAVA_LONG, m + Libc.MSGHDR_CONTROLLEN), RX_CTRL_SIZE);
        long off = 0;
        while (off + Libc.CMSG_HDR_SIZE <= ctrlLen) {
            long c = ctrlBase + off;
            long cmsgLen = rxCtrl.get(ValueLayout.JAVA_LONG, c);
            if (cmsgLen < Libc.CMSG_HDR_SIZE || off + cmsgLen > ctrlLen) break;
            int level = rxCtrl.get(ValueLayout.JAVA_INT, c + 8);
            int type = rxCtrl.get(ValueLayout.JAVA_INT, c + 12);
            long data = c + Libc.CMSG_HDR_SIZE;
            if (level == Libc.SOL_SOCKET && (type == Libc.SCM_TIMESTAMPING || type == Libc.SCM_TIMESTAMPNS)
                    && cmsgLen >= Libc.CMSG_HDR_SIZE + 16) {
                long sec = rxCtrl.get(ValueLayout.JAVA_LONG, data);
                long nsec = rxCtrl.get(ValueLayout.JAVA_LONG, data + 8);
                if (sec != 0 || nsec != 0) rxNanos = sec * 1_000_000_000L + nsec;
            } else if (level == Libc.IPPROTO_IP && type == Libc.IP_PKTINFO
                    && cmsgLen >= Libc.CMSG_HDR_SIZE + Libc.IN_PKTINFO_SIZE) {
                int ifIndex = rxCtrl.get(ValueLayout.JAVA_INT, data);
                MemorySegment.copy(rxCtrl, ValueLayout.JAVA_BYTE, data + 8, scratch, 0, 4);
                peer.setLocal(scratch, 0, 4, ifIndex);
                haveLocal = true;
            } else if (level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_PKTINFO
                    && cmsgLen >= Libc.CMSG_HDR_SIZE + Libc.IN6_PKTINFO_SIZE) {
                MemorySegment.copy(rxCtrl, ValueLayout.JAVA_BYTE, data, scratch, 0, 16);
                peer.setLocal(scratch, 0, 16, rxCtrl.get(ValueLayout.JAVA_INT, data + 16));
                haveLocal = true;
            }
            off += Libc.cmsgAlign((int) cmsgLen);
        }
        if (!haveLocal) {
            java.util.Arrays.fill(scratch, (byte) 0);
            peer.setLocal(scratch, 0, 16, 0);
        }
        if (rxNanos == Long.MIN_VALUE) {
            noTimestamp++;
            rxNanos = Libc.clockRealtimeNanos(timespec);
        }
        MemorySegment.copy(rxData, ValueLayout.JAVA_BYTE, (long) i * MAX_DATAGRAM, in, 0, length);
        int replyLength;
        try {
            replyLength = handler.handle(in, length, peer, rxNanos, out);
        } catch (RuntimeException e) {
            handlerErrors++;
            if (handlerErrors <= 10 || handlerErrors % 10000 == 0) {
                log.warn("datagram handler threw on a {}-byte datagram from {} ({} so far); dropped",
                        length, peer, handlerErrors, e);
            }
            return false;
        }
        if (replyLength <= 0) return false;
        if (replyLength > MAX_DATAGRAM) {
            handlerErrors++;
            return false;
        }
        // queue the reply in tx slot
        long t = (long) slot * Libc.MMSGHDR_SIZE;
        MemorySegment.copy(out, 0, txData, ValueLayout.JAVA_BYTE, (long) slot * MAX_DATAGRAM, replyLength);
        txIov.set(ValueLayout.JAVA_LONG, (long) slot * Libc.IOVEC_SIZE + 8, replyLength);
        MemorySegment.copy(rxNames, nameOff, txNames, (long) slot * NAME_SIZE, NAME_SIZE);
        txVec.set(ValueLayout.JAVA_INT, t + Libc.MSGHDR_NAMELEN, nameLen);
        long tc = (long) slot * TX_CTRL_SIZE;
        long controlLen = 0;
        if (haveLocal) {
            if (family == Libc.AF_INET) {
                txCtrl.set(ValueLayout.JAVA_LONG, tc, Libc.cmsgLen(Libc.IN_PKTINFO_SIZE));
                txCtrl.set(ValueLayout.JAVA_INT, tc + 8, Libc.IPPROTO_IP);
                txCtrl.set(ValueLayout.JAVA_INT, tc + 12, Libc.IP_PKTINFO);
                txCtrl.set(ValueLayout.JAVA_INT, tc + 16, 0); // ifindex: let routing choose
                MemorySegment.copy(peer.localAddress(), 0, txCtrl, ValueLayout.JAVA_BYTE, tc + 20, 4); // ipi_spec_dst
                txCtrl.set(ValueLayout.JAVA_INT, tc + 24, 0); // ipi_addr (ignored on send)
                controlLen = Libc.cmsgSpace(Libc.IN_PKTINFO_SIZE);
            } else {
                txCtrl.set(ValueLayout.JAVA_LONG, tc, Libc.cmsgLen(Libc.IN6_PKTINFO_SIZE));
                txCtrl.set(ValueLayout.JAVA_INT, tc + 8, Libc.IPPROTO_IPV6);
                txCtrl.set(ValueLayout.JAVA_INT, tc + 12, Libc.IPV6_PKTINFO);
                MemorySegment.copy(peer.localAddress(), 0, txCtrl, ValueLayout.JAVA_BYTE, tc + 16, 16);
                txCtrl.set(ValueLayout.JAVA_INT, tc + 32, peer.localIfIndex());
                controlLen = Libc.cmsgSpace(Libc.IN6_PKTINFO_SIZE);
            }
        }
        txVec.set(ValueLayout.JAVA_LONG, t + Libc.MSGHDR_CONTROLLEN, controlLen);
        txVec.set(ValueLayout.JAVA_INT, t + Libc.MSGHDR_FLAGS, 0);
        return true;
    }


    private void send(int count) {
        int sent = 0;
        while (sent < count) {
            MemorySegment vec = sent == 0 ? txVec : txVec.asSlice((long) sent * Libc.MMSGHDR_SIZE);
            int rc = Libc.sendmmsgFast(fd, vec, count - sent, 0);
            if (rc > 0) {
                sent += rc;
                replied += rc;
                continue;
            }
            int errno = errno();
            if (rc < 0 && errno == Libc.EINTR) continue;
            if (rc < 0 && errno == Libc.EAGAIN) {
                sendErrors += count - sent; // socket buffer full: drop the rest, as chronyd would
                return;
            }
            sendErrors++;
            if (sendErrors <= 10 || sendErrors % 10000 == 0) {
                log.debug("sendmmsg on {}: {}", socket, Libc.describe(errno));
            }
            sent++; // skip the datagram that failed
        }
    }

    /** errno of the loop thread after a failed hot-path call (see {@link Libc#recvmmsgFast}). */
    private int errno() {
        MemorySegment e = errnoLocation;
        if (e == null) errnoLocation = e = Libc.errnoLocation();
        return Libc.lastErrno(e);
    }

    /** Stops serving and closes the socket; waits for the loop unless called on it. */
    @Override
    public void close() {
        watch.close();
    }

    /** Runs on the loop after the fd left epoll. */
    private void release() {
        socket.close();
        arena.close();
    }

    @Override
    public String toString() {
        return "UdpEndpoint[" + socket + "]";
    }
}
