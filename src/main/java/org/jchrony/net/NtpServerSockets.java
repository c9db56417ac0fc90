package org.jchrony.net;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jchrony.server.DatagramHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NTP server's sockets: for each bind address (chrony.conf {@code bindaddress}, default
 * 0.0.0.0 and ::) {@code socketsPerAddress} FFM UDP sockets sharing the {@code port} through
 * SO_REUSEPORT, spread round-robin over the loops of an epoll {@link IoEventLoopGroup}, all
 * calling one {@link DatagramHandler}. chronyd serves from one thread; with several sockets (by
 * default one per core but one, {@link #defaultSocketsPerAddress()}) the kernel spreads clients
 * over the cores.
 *
 * <p>With one {@link DatagramHandler} for all sockets, it is called concurrently from several
 * loop threads and must be thread-safe. With a handler per loop
 * ({@link #open(IoEventLoopGroup, List, int, int, UdpSocketOptions, Function)}) each handler is
 * only ever called from its loop's thread (the daemon gives each loop its own {@code Responder}
 * that way, without a per-packet thread-local look-up).
 */
public final class NtpServerSockets implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NtpServerSockets.class);

    private final List<UdpEndpoint> endpoints;

    private NtpServerSockets(List<UdpEndpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * Opens the sockets. Port 0 picks one ephemeral port per address (shared by its sockets).
     * Any failure closes what was opened and throws; a bind failure is a
     * {@link SocketBindException} naming the address and port.
     */
    public static NtpServerSockets open(IoEventLoopGroup group, List<InetAddress> bindAddresses, int port,
                                        int socketsPerAddress, UdpSocketOptions options, DatagramHandler handler)
            throws IOException {
        return open(group, bindAddresses, port, socketsPerAddress, options, loop -> handler);
    }

    /**
     * As {@link #open(IoEventLoopGroup, List, int, int, UdpSocketOptions, DatagramHandler)}, with
     * the handler of each loop made by {@code handlerForLoop}, called once per distinct loop that
     * gets a socket; all sockets on one loop share that loop's handler.
     */
    public static NtpServerSockets open(IoEventLoopGroup group, List<InetAddress> bindAddresses, int port,
                                        int socketsPerAddress, UdpSocketOptions options,
                                        Function<IoEventLoop, DatagramHandler> handlerForLoop) throws IOException {
        if (socketsPerAddress < 1) throw new IllegalArgumentException("socketsPerAddress < 1");
        UdpSocketOptions opts = socketsPerAddress > 1 ? options.withReusePort(true) : options;
        List<UdpEndpoint> opened = new ArrayList<>();
        Map<IoEventLoop, DatagramHandler> handlers = new IdentityHashMap<>();
        try {
            for (InetAddress address : bindAddresses) {
                int p = port;
                for (int i = 0; i < socketsPerAddress; i++) {
                    UdpSocket s = UdpSocket.open(address, p, opts);
                    p = s.localPort();
                    IoEventLoop loop = group.next();
                    opened.add(UdpEndpoint.open(loop, s, handlers.computeIfAbsent(loop, handlerForLoop)));
                }
                log.debug("NTP server on {} x{}", SocketBindException.format(address, p), socketsPerAddress);
            }
        } catch (IOException | RuntimeException e) {
            for (UdpEndpoint ep : opened) ep.close();
            throw e;
        }
        return new NtpServerSockets(opened);
    }

    /**
     * Default sockets (and server loops) per address: one per available processor but one, at
     * least one. The kernel's packet processing and the core loop need CPU too: on 2 CPUs with
     * the clients on the same machine (bench/compare.sh, docs/PERFORMANCE.md) one loop served a
     * reply for 0.81-0.95x chronyd's CPU time, two loops for 1.05-1.11x (three busy threads on two
     * CPUs put the loops to sleep and wake them again ten times as often). More loops:
     * {@code -Djchrony.serverLoops=N}.
     */
    public static int defaultSocketsPerAddress() {
        return defaultSocketsPerAddress(Runtime.getRuntime().availableProcessors());
    }

    /** {@link #defaultSocketsPerAddress()} for {@code processors} CPUs. */
    static int defaultSocketsPerAddress(int processors) {
        return Math.max(1, processors - 1);
    }

    public List<UdpEndpoint> endpoints() {
        return Collections.unmodifiableList(endpoints);
    }

    /** The port bound for {@code address} (useful with port 0), or -1. */
    public int port(InetAddress address) {
        for (UdpEndpoint ep : endpoints) if (ep.socket().localAddress().equals(address)) return ep.socket().localPort();
        return -1;
    }

    /** Counters summed over all sockets. */
    public UdpEndpoint.Stats stats() {
        UdpEndpoint.Stats sum = new UdpEndpoint.Stats(0, 0, 0, 0, 0, 0, 0);
        for (UdpEndpoint ep : endpoints) sum = sum.plus(ep.stats());
        return sum;
    }

    @Override
    public void close() {
        for (UdpEndpoint ep : endpoints) ep.close();
    }
}
