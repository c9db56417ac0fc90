package org.jchrony.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A non-blocking UDP socket created through FFM, set up as chronyd sets up its NTP sockets:
 * kernel software RX timestamps (SO_TIMESTAMPING with RX_SOFTWARE|SOFTWARE, falling back to
 * SO_TIMESTAMPNS), destination address reporting (IP_PKTINFO / IPV6_RECVPKTINFO) so replies can
 * leave from the address a request came to, IPV6_V6ONLY on IPv6 sockets (IPv4 gets its own
 * socket, as in chronyd), and the {@link UdpSocketOptions}. Owns its file descriptor.
 */
public final class UdpSocket implements AutoCloseable {
    static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int fd;
    private final int family;
    private final InetAddress localAddress;
    private final int localPort;
    private final boolean timestamping;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UdpSocket(int fd, int family, InetAddress localAddress, int localPort, boolean timestamping) {
        this.fd = fd;
        this.family = family;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.timestamping = timestamping;
    }

    /**
     * Opens and binds a socket. {@code bindAddress} chooses the family; use 0.0.0.0 or :: for a
     * wildcard socket; {@code port} 0 picks an ephemeral port.
     *
     * @throws SocketBindException naming address and port when bind() fails
     * @throws ErrnoException      when the socket cannot be created or an option cannot be set
     */
    public static UdpSocket open(InetAddress bindAddress, int port, UdpSocketOptions options) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        int family = bindAddress instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Libc.newCallState(arena);
            int fd = Libc.socket(cs, family, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) throw new ErrnoException("socket(" + (family == Libc.AF_INET ? "AF_INET" : "AF_INET6") + ")", Libc.errno(cs));
            boolean ok = false;
            try {
                MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
                if (family == Libc.AF_INET6) {
                    setInt(cs, fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1, "IPV6_V6ONLY", arena);
                    setInt(cs, fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO", arena);
                } else {
                    setInt(cs, fd, Libc.IPPROTO_IP, Libc.IP_PKTINFO, 1, "IP_PKTINFO", arena);
                }
                if (options.reusePort()) setInt(cs, fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, "SO_REUSEPORT", arena);
                if (options.receiveBufferBytes() > 0) {
                    setInt(cs, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, options.receiveBufferBytes(), "SO_RCVBUF", arena);
                }
                if (options.dscp() > 0) {
                    int tos = options.dscp() << 2;
                    if (family == Libc.AF_INET6) setInt(cs, fd, Libc.IPPROTO_IPV6, Libc.IPV6_TCLASS, tos, "IPV6_TCLASS", arena);
                    else setInt(cs, fd, Libc.IPPROTO_IP, Libc.IP_TOS, tos, "IP_TOS", arena);
                }
                if (options.bindDevice() != null && !options.bindDevice().isEmpty()) {
                    MemorySegment dev = arena.allocateFrom(options.bindDevice());
                    if (Libc.setsockopt(cs, fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, dev, (int) dev.byteSize()) != 0) {
                        throw new ErrnoException("setsockopt(SO_BINDTODEVICE, " + options.bindDevice() + ")", Libc.errno(cs));
                    }
                }
                boolean timestamping = true;
                int tsFlags = Libc.SOF_TIMESTAMPING_RX_SOFTWARE | Libc.SOF_TIMESTAMPING_SOFTWARE;
                if (Libc.setsockopt(cs, fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPING,
                        arena.allocateFrom(ValueLayout.JAVA_INT, tsFlags), 4) != 0) {
                    timestamping = false;
                    if (Libc.setsockopt(cs, fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPNS, one, 4) != 0) {
                        throw new ErrnoException("setsockopt(SO_TIMESTAMPNS)", Libc.errno(cs));
                    }
                }
                MemorySegment addr = arena.allocate(Libc.SOCKADDR_STORAGE_SIZE);
                int addrLen = writeSockaddr(addr, bindAddress, port);
                if (Libc.bind(cs, fd, addr, addrLen) != 0) {
                    throw new SocketBindException(bindAddress, port, Libc.errno(cs));
                }
                MemorySegment lenPtr = arena.allocateFrom(ValueLayout.JAVA_INT, Libc.SOCKADDR_STORAGE_SIZE);
                if (Libc.getsockname(cs, fd, addr, lenPtr) != 0) throw new ErrnoException("getsockname", Libc.errno(cs));
                int boundPort = addr.get(SHORT_BE, 2) & 0xffff;
                UdpSocket s = new UdpSocket(fd, family, bindAddress, boundPort, timestamping);
                ok = true;
                return s;
            } finally {
                if (!ok) Libc.close(cs, fd);
            }
        }
    }

    private static void setInt(MemorySegment cs, int fd, int level, int name, int value, String what, Arena arena)
            throws ErrnoException {
        if (Libc.setsockopt(cs, fd, level, name, arena.allocateFrom(ValueLayout.JAVA_INT, value), 4) != 0) {
            throw new ErrnoException("setsockopt(" + what + ")", Libc.errno(cs));
        }
    }

    /** Writes a sockaddr_in or sockaddr_in6 for {@code address}:{@code port}; returns its length. */
    static int writeSockaddr(MemorySegment sa, InetAddress address, int port) {
        if (address instanceof Inet4Address) {
            sa.asSlice(0, Libc.SOCKADDR_IN_SIZE).fill((byte) 0);
            sa.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) Libc.AF_INET);
            sa.set(SHORT_BE, 2, (short) port);
            byte[] a = address.getAddress();
            MemorySegment.copy(a, 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
            return Libc.SOCKADDR_IN_SIZE;
        }
        sa.asSlice(0, Libc.SOCKADDR_IN6_SIZE).fill((byte) 0);
        sa.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) Libc.AF_INET6);
        sa.set(SHORT_BE, 2, (short) port);
        MemorySegment.copy(address.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
        sa.set(ValueLayout.JAVA_INT_UNALIGNED, 24, ((Inet6Address) address).getScopeId());
        return Libc.SOCKADDR_IN6_SIZE;
    }

    /** Reads the address part of a sockaddr_in/in6 (for logs and tests; allocates). */
    static InetAddress readSockaddrAddress(MemorySegment sa) throws UnknownHostException {
        int fam = sa.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0);
        if (fam == Libc.AF_INET) return InetAddress.getByAddress(sa.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE));
        return InetAddress.getByAddress(sa.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE));
    }

    /** Connects the socket (kernel then filters datagrams from other peers). */
    public void connect(InetAddress address, int port) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Libc.newCallState(arena);
            MemorySegment sa = arena.allocate(Libc.SOCKADDR_STORAGE_SIZE);
            int len = writeSockaddr(sa, address, port);
            if (Libc.connect(cs, fd, sa, len) != 0) {
                throw new ErrnoException("connect to " + SocketBindException.format(address, port), Libc.errno(cs));
            }
        }
    }

    public int fd() { return fd; }

    /** {@link Libc#AF_INET} or {@link Libc#AF_INET6}. */
    public int family() { return family; }

    /** The address it was bound to (may be the wildcard). */
    public InetAddress localAddress() { return localAddress; }

    public int localPort() { return localPort; }

    /** True if SO_TIMESTAMPING was accepted (else SO_TIMESTAMPNS is used). */
    public boolean timestamping() { return timestamping; }

    public boolean isOpen() { return !closed.get(); }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try (Arena arena = Arena.ofConfined()) {
                Libc.close(Libc.newCallState(arena), fd);
            }
        }
    }

    @Override
    public String toString() {
        return "UdpSocket[fd=" + fd + ", " + SocketBindException.format(localAddress, localPort) + "]";
    }
}
