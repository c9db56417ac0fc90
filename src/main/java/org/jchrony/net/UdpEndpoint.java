package org.jchrony.net;

import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.jchrony.server.DatagramHandler;
import org.jchrony.server.PeerAddress;
import org.jchrony.server.TransmitStamping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link UdpSocket} served on one epoll event loop: on readiness it reads up to
 * {@value #BATCH} datagrams with one recvmmsg (a smaller batch for client sockets), gives each to the {@link DatagramHandler} with the
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

    /** Datagrams per recvmmsg/sendmmsg on server sockets. */
    public static final int BATCH = 32;
    /** Largest datagram accepted; longer ones are truncated by the kernel and dropped. */
    public static final int MAX_DATAGRAM = 2048;
    /** recvmmsg calls per readiness event before yielding to other fds/tasks. */
    private static final int MAX_BATCHES_PER_WAKEUP = 8;

    private static final int NAME_SIZE = 32; // >= sizeof(sockaddr_in6), 8-aligned
    private static final int RX_CTRL_SIZE = 256;
    private static final int TX_CTRL_SIZE = 64;
    /** Per receive slot, in one native region and its heap mirror: source address, then control data. */
    private static final int RX_SIDE = NAME_SIZE + RX_CTRL_SIZE;
    /** Per transmit slot: iovec, destination address, control data (PKTINFO). */
    private static final int TX_SIDE = Libc.IOVEC_SIZE + NAME_SIZE + TX_CTRL_SIZE;
    private static final int TX_SIDE_NAME = Libc.IOVEC_SIZE;
    private static final int TX_SIDE_CTRL = Libc.IOVEC_SIZE + NAME_SIZE;
    /**
     * Extra recvmmsg calls after a short batch that was answered, before going back to epoll
     * ({@code -Djchrony.server.rxRetries}, default 0). Meant to save the loop a sleep and a
     * wake-up when the next requests arrive while it answers; on 2 CPUs with the load generator
     * beside it, one retry made no measurable difference to CPU per reply (median 0.90 vs 0.93x
     * chronyd's over three rounds, within the noise) while costing an empty system call per wake-up
     * at low rates, so it is off by default.
     */
    static final int RX_RETRIES = Integer.getInteger("jchrony.server.rxRetries", 0);
    /**
     * Whether replies of a {@link TransmitStamping} handler get their transmit timestamp from a
     * clock read just before sendmmsg ({@code -Djchrony.server.restamp=true}; default off). Five
     * same-run rounds against chronyd (docs/PERFORMANCE.md) showed no gain in the 1000/s median
     * delay (+2.87 µs with, +2.62 µs without, within the noise) for ~4 % more CPU per reply.
     */
    static final boolean RESTAMP = Boolean.getBoolean("jchrony.server.restamp");

    static {
        if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("UdpEndpoint's heap mirrors of struct mmsghdr assume a little-endian CPU");
        }
    }

    private final UdpSocket socket;
    private final DatagramHandler handler;
    private final TransmitStamping stamping; // the handler, if its replies may be re-stamped before sending
    private final int batch;
    private final int fd;
    private final int retries;
    private final Arena arena = Arena.ofShared();
    private MemorySegment errnoLocation; // of the loop thread, set on first use there
    // Native structures the kernel reads and writes, and heap mirrors that the Java code reads
    // and writes with plain array accesses: a batch costs a few bulk copies between the two
    // instead of a dozen memory-segment accesses per datagram (which the C1-only JIT does not
    // reduce to plain loads and stores).
    private final MemorySegment rxVec;
    private final MemorySegment rxSide;
    private final MemorySegment rxData;
    private final MemorySegment txVec;
    private final MemorySegment txSide;
    private final MemorySegment txData;
    private final MemorySegment timespec;
    private final byte[] rxVecHeap;
    private final byte[] rxVecTemplate; // rxVec as set up: pointers, name and control lengths
    private final byte[] rxSideHeap;
    private final byte[] txVecHeap;
    private final byte[] txSideHeap;
    private final byte[] txDataHeap;
    private final MemorySegment rxVecHeapSeg;
    private final MemorySegment rxVecTemplateSeg;
    private final MemorySegment rxSideHeapSeg;
    private final MemorySegment txVecHeapSeg;
    private final MemorySegment txSideHeapSeg;
    private final MemorySegment txDataHeapSeg;
    private final long txDataAddress;
    private final byte[] in = new byte[MAX_DATAGRAM];
    private final byte[] out = new byte[MAX_DATAGRAM];
    private final MemorySegment inSeg = MemorySegment.ofArray(in);
    private final byte[] zeros = new byte[16];
    private final PeerAddress peer = new PeerAddress();
    private final FdWatch watch;
    private final TxTimestamps errorQueue; // null unless the socket asked for TX timestamps
    private volatile Object errorQueueLock = new Object();

    private boolean reading; // inside readReady (loop thread)
    private boolean released; // socket closed; arena closed or about to be
    private int txDataUsed; // bytes of txDataHeap queued in this batch
    private final int[] restampOffset; // per queued reply: its data offset, or -1 when not re-stamped
    private final int[] restampLength;
    private boolean anyRestamp;

    // counters: written on the loop thread only, read racily elsewhere
    private long received;
    private long replied;
    private long truncated;
    private long handlerErrors;
    private long sendErrors;
    private long receiveErrors;
    private long noTimestamp;

    private UdpEndpoint(IoEventLoop loop, UdpSocket socket, DatagramHandler handler, int batch, boolean restamp)
            throws IOException {
        if (batch < 1 || batch > 1024) throw new IllegalArgumentException("batch " + batch);
        this.batch = batch;
        this.socket = socket;
        this.handler = handler;
        this.stamping = restamp && handler instanceof TransmitStamping t ? t : null;
        this.restampOffset = new int[batch];
        this.restampLength = new int[batch];
        this.fd = socket.fd();
        this.retries = batch >= BATCH ? Math.max(0, RX_RETRIES) : 0;
        rxVec = arena.allocate((long) Libc.MMSGHDR_SIZE * batch, 8);
        MemorySegment rxIov = arena.allocate((long) Libc.IOVEC_SIZE * batch, 8);
        rxSide = arena.allocate((long) RX_SIDE * batch, 8);
        rxData = arena.allocate((long) MAX_DATAGRAM * batch, 8);
        txVec = arena.allocate((long) Libc.MMSGHDR_SIZE * batch, 8);
        txSide = arena.allocate((long) TX_SIDE * batch, 8);
        txData = arena.allocate((long) MAX_DATAGRAM * batch, 8);
        timespec = arena.allocate(Libc.TIMESPEC);
        errorQueue = socket.txTimestamping() ? new TxTimestamps(arena, fd) : null;
        rxVecHeap = new byte[Libc.MMSGHDR_SIZE * batch];
        rxVecTemplate = new byte[Libc.MMSGHDR_SIZE * batch];
        rxSideHeap = new byte[RX_SIDE * batch];
        txVecHeap = new byte[Libc.MMSGHDR_SIZE * batch];
        txSideHeap = new byte[TX_SIDE * batch];
        txDataHeap = new byte[MAX_DATAGRAM * batch];
        rxVecHeapSeg = MemorySegment.ofArray(rxVecHeap);
        rxVecTemplateSeg = MemorySegment.ofArray(rxVecTemplate);
        rxSideHeapSeg = MemorySegment.ofArray(rxSideHeap);
        txVecHeapSeg = MemorySegment.ofArray(txVecHeap);
        txSideHeapSeg = MemorySegment.ofArray(txSideHeap);
        txDataHeapSeg = MemorySegment.ofArray(txDataHeap);
        txDataAddress = txData.address();
        for (int i = 0; i < batch; i++) {
            int m = i * Libc.MMSGHDR_SIZE;
            long v = (long) i * Libc.IOVEC_SIZE;
            rxIov.set(ValueLayout.JAVA_LONG, v, rxData.address() + (long) i * MAX_DATAGRAM);
            rxIov.set(ValueLayout.JAVA_LONG, v + 8, MAX_DATAGRAM);
            long side = rxSide.address() + (long) i * RX_SIDE;
            putLong(rxVecTemplate, m + Libc.MSGHDR_NAME, side);
            putInt(rxVecTemplate, m + Libc.MSGHDR_NAMELEN, NAME_SIZE);
            putLong(rxVecTemplate, m + Libc.MSGHDR_IOV, rxIov.address() + v);
            putLong(rxVecTemplate, m + Libc.MSGHDR_IOVLEN, 1);
            putLong(rxVecTemplate, m + Libc.MSGHDR_CONTROL, side + NAME_SIZE);
            putLong(rxVecTemplate, m + Libc.MSGHDR_CONTROLLEN, RX_CTRL_SIZE);
            long tside = txSide.address() + (long) i * TX_SIDE;
            putLong(txVecHeap, m + Libc.MSGHDR_NAME, tside + TX_SIDE_NAME);
            putLong(txVecHeap, m + Libc.MSGHDR_IOV, tside);
            putLong(txVecHeap, m + Libc.MSGHDR_IOVLEN, 1);
            putLong(txVecHeap, m + Libc.MSGHDR_CONTROL, tside + TX_SIDE_CTRL);
        }
        MemorySegment.copy(rxVecTemplateSeg, 0, rxVec, 0, rxVecTemplate.length);
        MemorySegment.copy(txVecHeapSeg, 0, txVec, 0, txVecHeap.length);
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
        return open(loop, socket, handler, BATCH);
    }

    /** As {@link #open(IoEventLoop, UdpSocket, DatagramHandler)} with {@code batch} datagrams per system call. */
    public static UdpEndpoint open(IoEventLoop loop, UdpSocket socket, DatagramHandler handler, int batch) throws IOException {
        return open(loop, socket, handler, batch, RESTAMP);
    }

    /** As {@link #open(IoEventLoop, UdpSocket, DatagramHandler, int)}, choosing whether replies are re-stamped. */
    static UdpEndpoint open(IoEventLoop loop, UdpSocket socket, DatagramHandler handler, int batch, boolean restamp)
            throws IOException {
        try {
            return new UdpEndpoint(loop, socket, handler, batch, restamp);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public UdpSocket socket() { return socket; }

    /** The lock a sender holds while it reads the TX timestamp of its own send from the error queue. */
    void errorQueueLock(Object lock) {
        errorQueueLock = lock;
    }

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
        reading = true;
        try {
            readBatches();
        } finally {
            reading = false;
            if (released) arena.close(); // the handler closed us: buffers are free now
        }
    }

    private void readBatches() {
        if (errorQueue != null) {
            synchronized (errorQueueLock) { // a sender reading its own TX stamp holds this lock
                errorQueue.drain(); // TX timestamps the sender did not pick up (they raise EPOLLERR)
            }
        }
        int retriesLeft = retries;
        for (int round = 0; round < MAX_BATCHES_PER_WAKEUP; round++) {
            int n = Libc.recvmmsgFast(fd, rxVec, batch, Libc.MSG_DONTWAIT);
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
            // the kernel wrote msg_len, msg_namelen, msg_controllen and msg_flags of the n slots:
            // read them, the addresses and control data in two copies, then restore the n slots
            MemorySegment.copy(rxVec, 0, rxVecHeapSeg, 0, (long) n * Libc.MMSGHDR_SIZE);
            MemorySegment.copy(rxSide, 0, rxSideHeapSeg, 0, (long) n * RX_SIDE);
            MemorySegment.copy(rxVecTemplateSeg, 0, rxVec, 0, (long) n * Libc.MMSGHDR_SIZE);
            int replies = 0;
            txDataUsed = 0;
            anyRestamp = false;
            for (int i = 0; i < n; i++) {
                if (process(i, replies)) replies++;
                if (released) return; // closed by the handler (e.g. a one-shot client socket)
            }
            if (replies > 0) send(replies);
            if (n < batch) {
                // drained; level-triggered epoll tells us about more. Under load, look once more
                // before sleeping (see RX_RETRIES).
                if (replies == 0 || retriesLeft-- <= 0) return;
            }
        }
    }

    /** Handles received message {@code i}; returns true if a reply was queued at {@code slot}. */
    private boolean process(int i, int slot) {
        int m = i * Libc.MMSGHDR_SIZE;
        byte[] vec = rxVecHeap;
        byte[] side = rxSideHeap;
        received++;
        int length = getInt(vec, m + Libc.MMSGHDR_LEN);
        int flags = getInt(vec, m + Libc.MSGHDR_FLAGS);
        if ((flags & Libc.MSG_TRUNC) != 0 || length > MAX_DATAGRAM || length < 0) {
            truncated++;
            return false;
        }
        int nameOff = i * RX_SIDE;
        int nameLen = getInt(vec, m + Libc.MSGHDR_NAMELEN);
        int family = (side[nameOff] & 0xff) | (side[nameOff + 1] & 0xff) << 8;
        int port = (side[nameOff + 2] & 0xff) << 8 | (side[nameOff + 3] & 0xff);
        if (family == Libc.AF_INET && nameLen >= Libc.SOCKADDR_IN_SIZE) {
            peer.setInet4((side[nameOff + 4] & 0xff) << 24 | (side[nameOff + 5] & 0xff) << 16
                    | (side[nameOff + 6] & 0xff) << 8 | (side[nameOff + 7] & 0xff), port);
        } else if (family == Libc.AF_INET6 && nameLen >= Libc.SOCKADDR_IN6_SIZE) {
            peer.setInet6(side, nameOff + 8, port);
        } else {
            receiveErrors++;
            return false;
        }
        // control messages: RX timestamp and destination address
        long rxNanos = Long.MIN_VALUE;
        boolean haveLocal = false;
        int ctrlBase = nameOff + NAME_SIZE;
        long ctrlLen = Math.min(getLong(vec, m + Libc.MSGHDR_CONTROLLEN), RX_CTRL_SIZE);
        int off = 0;
        while (off + Libc.CMSG_HDR_SIZE <= ctrlLen) {
            int c = ctrlBase + off;
            long cmsgLen = getLong(side, c);
            if (cmsgLen < Libc.CMSG_HDR_SIZE || off + cmsgLen > ctrlLen) break;
            int level = getInt(side, c + 8);
            int type = getInt(side, c + 12);
            int data = c + Libc.CMSG_HDR_SIZE;
            if (level == Libc.SOL_SOCKET && (type == Libc.SCM_TIMESTAMPING || type == Libc.SCM_TIMESTAMPNS)
                    && cmsgLen >= Libc.CMSG_HDR_SIZE + 16) {
                long sec = getLong(side, data);
                long nsec = getLong(side, data + 8);
                if (sec != 0 || nsec != 0) rxNanos = sec * 1_000_000_000L + nsec;
            } else if (level == Libc.IPPROTO_IP && type == Libc.IP_PKTINFO
                    && cmsgLen >= Libc.CMSG_HDR_SIZE + Libc.IN_PKTINFO_SIZE) {
                peer.setLocal(side, data + 8, 4, getInt(side, data));
                haveLocal = true;
            } else if (level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_PKTINFO
                    && cmsgLen >= Libc.CMSG_HDR_SIZE + Libc.IN6_PKTINFO_SIZE) {
                peer.setLocal(side, data, 16, getInt(side, data + 16));
                haveLocal = true;
            }
            off += Libc.cmsgAlign((int) cmsgLen);
        }
        if (!haveLocal) peer.setLocal(zeros, 0, 16, 0);
        if (rxNanos == Long.MIN_VALUE) {
            noTimestamp++;
            rxNanos = Libc.clockRealtimeNanos(timespec);
        }
        MemorySegment.copy(rxData, (long) i * MAX_DATAGRAM, inSeg, 0, length);
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
        // queue the reply in tx slot: data packed after the previous replies of this batch
        int t = slot * Libc.MMSGHDR_SIZE;
        int ts = slot * TX_SIDE;
        int dataOff = txDataUsed;
        System.arraycopy(out, 0, txDataHeap, dataOff, replyLength);
        txDataUsed = dataOff + ((replyLength + 7) & ~7);
        if (stamping != null && stamping.lastReplyRestampable()) {
            restampOffset[slot] = dataOff;
            restampLength[slot] = replyLength;
            anyRestamp = true;
        } else {
            restampOffset[slot] = -1;
        }
        byte[] tv = txVecHeap;
        byte[] tside = txSideHeap;
        putLong(tside, ts, txDataAddress + dataOff); // iov_base
        putLong(tside, ts + 8, replyLength); // iov_len
        System.arraycopy(side, nameOff, tside, ts + TX_SIDE_NAME, NAME_SIZE);
        putInt(tv, t + Libc.MSGHDR_NAMELEN, nameLen);
        int tc = ts + TX_SIDE_CTRL;
        int controlLen = 0;
        if (haveLocal) {
            if (family == Libc.AF_INET) {
                putLong(tside, tc, Libc.cmsgLen(Libc.IN_PKTINFO_SIZE));
                putInt(tside, tc + 8, Libc.IPPROTO_IP);
                putInt(tside, tc + 12, Libc.IP_PKTINFO);
                putInt(tside, tc + 16, 0); // ifindex: let routing choose
                System.arraycopy(peer.localAddress(), 0, tside, tc + 20, 4); // ipi_spec_dst
                putInt(tside, tc + 24, 0); // ipi_addr (ignored on send)
                controlLen = Libc.cmsgSpace(Libc.IN_PKTINFO_SIZE);
            } else {
                putLong(tside, tc, Libc.cmsgLen(Libc.IN6_PKTINFO_SIZE));
                putInt(tside, tc + 8, Libc.IPPROTO_IPV6);
                putInt(tside, tc + 12, Libc.IPV6_PKTINFO);
                System.arraycopy(peer.localAddress(), 0, tside, tc + 16, 16);
                putInt(tside, tc + 32, peer.localIfIndex());
                controlLen = Libc.cmsgSpace(Libc.IN6_PKTINFO_SIZE);
            }
        }
        putLong(tv, t + Libc.MSGHDR_CONTROLLEN, controlLen);
        return true;
    }

    private void send(int count) {
        MemorySegment.copy(txVecHeapSeg, 0, txVec, 0, (long) count * Libc.MMSGHDR_SIZE);
        MemorySegment.copy(txSideHeapSeg, 0, txSide, 0, (long) count * TX_SIDE);
        if (anyRestamp) {
            // transmit timestamps from one clock read just before the batch leaves (TransmitStamping)
            long now = Libc.clockRealtimeNanos(timespec);
            for (int k = 0; k < count; k++) {
                int off = restampOffset[k];
                if (off >= 0) stamping.restampTransmit(txDataHeap, off, restampLength[k], now);
            }
        }
        MemorySegment.copy(txDataHeapSeg, 0, txData, 0, txDataUsed);
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

    // Native-order (little-endian) accessors of the heap mirrors: plain array code, which C1 compiles well.

    private static int getInt(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | b[i + 3] << 24;
    }

    private static long getLong(byte[] b, int i) {
        return (getInt(b, i) & 0xffff_ffffL) | (long) getInt(b, i + 4) << 32;
    }

    private static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    private static void putLong(byte[] b, int i, long v) {
        putInt(b, i, (int) v);
        putInt(b, i + 4, (int) (v >>> 32));
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
        released = true;
        if (!reading) arena.close(); // else readReady closes it when the handler returns
    }

    @Override
    public String toString() {
        return "UdpEndpoint[" + socket + "]";
    }
}
