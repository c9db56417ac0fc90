package org.jchrony.net;

import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.jchrony.server.DatagramHandler;

/**
 * A socket for talking to an upstream NTP server or peer, as chronyd's client sockets: bound to
 * an ephemeral port (chronyd opens a new one per request when {@code acquisitionport} is 0) or
 * a fixed {@code acquisitionport}, optionally to a {@code bindacqaddress}. Responses arrive with
 * kernel RX timestamps at the {@link DatagramHandler}, on the event loop given (the core loop).
 *
 * <p>{@link #send} reads CLOCK_REALTIME immediately before the sendto() system call and returns
 * it as the transmit timestamp (chronyd also starts from such a user-space stamp; kernel TX
 * timestamps are not read).
 */
public final class ClientSocket implements AutoCloseable {
    private final UdpEndpoint endpoint;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = Libc.newCallState(arena);
    private final MemorySegment txData = arena.allocate(UdpEndpoint.MAX_DATAGRAM, 8);
    private final MemorySegment txName = arena.allocate(Libc.SOCKADDR_STORAGE_SIZE, 8);
    private final MemorySegment timespec = arena.allocate(Libc.TIMESPEC);
    private boolean closed;

    private ClientSocket(UdpEndpoint endpoint) {
        this.endpoint = endpoint;
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
        return new ClientSocket(UdpEndpoint.open(loop, s, handler));
    }

    /** An ephemeral-port socket on the wildcard address of {@code server}'s family. */
    public static ClientSocket openFor(IoEventLoop loop, InetAddress server, DatagramHandler handler) throws IOException {
        InetAddress any = InetAddress.getByAddress(new byte[server instanceof Inet6Address ? 16 : 4]);
        return open(loop, any, 0, UdpSocketOptions.DEFAULT, handler);
    }

    /**
     * Sends {@code pkt[0, length)} to {@code destination}:{@code port}.
     *
     * @return CLOCK_REALTIME (ns since the Unix epoch) read right before the send
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
        long txNanos = Libc.clockRealtimeNanos(timespec);
        long rc = Libc.sendto(callState, endpoint.socket().fd(), txData, length, 0, txName, nameLen);
        if (rc < 0) {
            throw new ErrnoException("sendto " + SocketBindException.format(destination, port), Libc.errno(callState));
        }
        return txNanos;
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
