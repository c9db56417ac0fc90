package org.jchrony.net;

import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.jchrony.server.DatagramHandler;
import org.slf4j.LoggerFactory;

/**
 * A socket for talking to an upstream NTP server or peer, as chronyd's client sockets: bound to
 * an ephemeral port (chronyd opens a new one per request when {@code acquisitionport} is 0) or
 * a fixed {@code acquisitionport}, optionally to a {@code bindacqaddress}. Responses arrive with
 * kernel RX timestamps at the {@link DatagramHandler}, on the event loop given (the core loop).
 *
 * <p>{@link #send} reads CLOCK_REALTIME immediately before the sendto() system call; the socket
 * also asks for kernel software TX timestamps (as chronyd does for its requests), and when the
 * kernel has queued one by the time sendto() returns, that one is returned instead.
 */
public final class ClientSocket implements AutoCloseable {
    /** Datagrams per recvmmsg: a client socket sees one response per request. */
    private static final int CLIENT_BATCH = 4;
    private final UdpEndpoint endpoint;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = Libc.newCallState(arena);
    private final MemorySegment txData = arena.allocate(UdpEndpoint.MAX_DATAGRAM, 8);
    private final MemorySegment txName = arena.allocate(Libc.SOCKADDR_STORAGE_SIZE, 8);
    private final MemorySegment timespec = arena.allocate(Libc.TIMESPEC);
    private final TxTimestamps txTimestamps;
    private boolean closed;
    private boolean lastTxFromKernel;

    private ClientSocket(UdpEndpoint endpoint) {
        this.endpoint = endpoint;
        this.txTimestamps = endpoint.socket().txTimestamping() ? new TxTimestamps(arena, endpoint.socket().fd()) : null;
        endpoint.errorQueueLock(this); // send() is synchronized on this

    }

    /**
     * Opens a client socket on {@code loop}.
     *
     * @param bindAddress local address (use the wildcard 0.0.0.0 or :: of the server's family
     *                    when none is configured)
     * @param port        0 for an ephemeral port, or chrony.conf {@code acquisitionport}
     */
    public static ClientSocket open(IoEventLoop loop, InetAddress bindAddress, int port, UdpSocketOptions options,
                                    DatagramHandler handler) throws IOException {
        UdpSocket s = UdpSocket.open(bindAddress, port, options);
        try {
            s.enableTxTimestamps();
        } catch (ErrnoException e) {
            LoggerFactory.getLogger(ClientSocket.class).debug("no kernel TX timestamps on {}: {}", s, e.getMessage());
        }
        return new ClientSocket(UdpEndpoint.open(loop, s, handler, CLIENT_BATCH));
    }

    /** An ephemeral-port socket on the wildcard address of {@code server}'s family. */
    public static ClientSocket openFor(IoEventLoop loop, InetAddress server, DatagramHandler handler) throws IOException {
        InetAddress any = InetAddress.getByAddress(new byte[server instanceof Inet6Address ? 16 : 4]);
        return open(loop, any, 0, UdpSocketOptions.DEFAULT, handler);
    }

    /**
     * Sends {@code pkt[0, length)} to {@code destination}:{@code port}.
     *
     * @return the transmit time, CLOCK_REALTIME ns since the Unix epoch: the kernel's software TX
     *         timestamp when it is available right after the send (see {@link #lastTxFromKernel()}),
     *         else the clock read right before the send
     * @throws ErrnoException if the kernel refused the datagram (e.g. ENETUNREACH)
     */
    public synchronized long send(byte[] pkt, int length, InetAddress destination, int port) throws IOException {
        if (closed) throw new IOException("client socket closed");
        if (length < 0 || length > UdpEndpoint.MAX_DATAGRAM) throw new IllegalArgumentException("length " + length);
        boolean v6 = destination instanceof Inet6Address;
        if (v6 != (endpoint.socket().family() == Libc.AF_INET6)) {
            throw new IllegalArgumentException("address family of " + destination + " differs from the socket's");
        }
        MemorySegment.copy(pkt, 0, txData, ValueLayout.JAVA_BYTE, 0, length);
        int nameLen = UdpSocket.writeSockaddr(txName, destination, port);
        if (txTimestamps != null) txTimestamps.drain(); // stale stamps of earlier sends
        long txNanos = Libc.clockRealtimeNanos(timespec);
        long rc = Libc.sendto(callState, endpoint.socket().fd(), txData, length, 0, txName, nameLen);
        if (rc < 0) {
            throw new ErrnoException("sendto " + SocketBindException.format(destination, port), Libc.errno(callState));
        }
        lastTxFromKernel = false;
        if (txTimestamps != null) {
            // software TX stamps are normally queued before sendto() returns (loopback, most drivers)
            long kernelNanos = txTimestamps.readOne();
            if (kernelNanos >= txNanos && kernelNanos - txNanos < 1_000_000_000L) {
                lastTxFromKernel = true;
                return kernelNanos;
            }
        }
        return txNanos;
    }

    /** Whether the last {@link #send}'s timestamp came from the kernel. */
    public synchronized boolean lastTxFromKernel() {
        return lastTxFromKernel;
    }

    public int localPort() {
        return endpoint.socket().localPort();
    }

    public UdpEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        endpoint.close();
        arena.close();
    }
}
