package org.jchrony.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.jchrony.core.TimeSource;
import org.jchrony.nts.NtsKeRecord;
import org.jchrony.nts.NtsKeServerExchange;
import org.jchrony.nts.NtsTls;
import org.jchrony.server.ClientLog;
import org.jchrony.server.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chronyd's NTS-KE server ({@code ntsport}, default 4460) on Netty: TLS 1.3 through
 * {@link SslHandler} over the JDK {@link SSLEngine}, ALPN {@code ntske/1} required (a client
 * offering other protocols fails the handshake; one offering none is disconnected after it), one
 * request per connection answered by {@link NtsKeServerExchange} with keys exported from the TLS
 * session, then closed. Protection against floods, as chronyd: at most {@code maxntsconnections}
 * connections at once (more are closed at accept), {@code ntsratelimit} per client address
 * through the {@link ClientLog} (a limited client is closed at accept and counted as an NTS-KE
 * drop in serverstats), a {@value #TIMEOUT_MILLIS} ms limit for the whole exchange, requests of
 * at most {@link NtsKeRecord#MAX_MESSAGE_LENGTH} bytes.
 *
 * <p>Threads: all connections run on the given group (the daemon gives it one dedicated loop);
 * the exchange is created per loop thread by {@code exchanges}.
 */
public final class NtsKeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NtsKeServer.class);
    public static final long TIMEOUT_MILLIS = 5000;

    private final List<Channel> listening = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong handshakeFailed = new AtomicLong();
    private final AtomicLong noAlpn = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong served = new AtomicLong();

    private final SSLContext tls;
    private final ThreadLocal<NtsKeServerExchange> exchange;
    private final ClientLog clientLog;
    private final TimeSource time;
    private final int maxConnections;

    /** Counters: accepted connections, refused (limits), failed handshakes, without ALPN, error answers, cookies served. */
    public record Counters(long accepted, long refused, long handshakeFailed, long noAlpn, long rejected, long served) {}

    private NtsKeServer(SSLContext tls, Supplier<NtsKeServerExchange> exchanges, ClientLog clientLog, TimeSource time,
            int maxConnections) {
        this.tls = tls;
        this.exchange = ThreadLocal.withInitial(exchanges);
        this.clientLog = clientLog;
        this.time = time;
        this.maxConnections = maxConnections;
    }

    /** Listens on each address at {@code port} (0 = any free port, for tests; see {@link #ports()}). */
    public static NtsKeServer open(IoEventLoopGroup group, List<InetAddress> addresses, int port, SSLContext tls,
            Supplier<NtsKeServerExchange> exchanges, ClientLog clientLog, TimeSource time, int maxConnections)
            throws IOException {
        NtsKeServer s = new NtsKeServer(tls, exchanges, clientLog, time, maxConnections);
        Class<? extends ServerChannel> channelClass = group.isIoType(EpollIoHandler.class)
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap proto = new ServerBootstrap().group(group)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        s.init(ch);
                    }
                });
        try {
            for (InetAddress a : addresses) {
                ServerBootstrap b = proto.clone();
                if (a instanceof java.net.Inet6Address && channelClass == EpollServerSocketChannel.class) {
                    // IPv6 sockets are IPv6-only (as chronyd's), so that :: and an IPv4 address can share the port
                    b.channelFactory(() -> v6Only(new EpollServerSocketChannel(io.netty.channel.socket.SocketProtocolFamily.INET6)));
                } else {
                    b.channel(channelClass);
                }
                var f = b.bind(new InetSocketAddress(a, port)).awaitUninterruptibly();
                if (!f.isSuccess()) throw new IOException("Could not open NTS-KE socket on " + a.getHostAddress() + " port " + port
                        + " : " + f.cause().getMessage());
                s.listening.add(f.channel());
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static EpollServerSocketChannel v6Only(EpollServerSocketChannel ch) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            var cs = Libc.newCallState(arena);
            Libc.setsockopt(cs, ch.fd().intValue(), Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY,
                    arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_INT, 1), 4);
        }
        return ch;
    }

    /** The bound ports, in address order. */
    public List<Integer> ports() {
        return listening.stream().map(c -> ((InetSocketAddress) c.localAddress()).getPort()).toList();
    }

    public Counters counters() {
        return new Counters(accepted.get(), refused.get(), handshakeFailed.get(), noAlpn.get(), rejected.get(), served.get());
    }

    private void init(SocketChannel ch) {
        InetSocketAddress remote = ch.remoteAddress();
        PeerAddress peer = new PeerAddress();
        InetAddress ra = remote.getAddress();
        byte[] b = ra.getAddress();
        if (ra instanceof Inet4Address) peer.setInet4((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff), remote.getPort());
        else peer.setInet6(b, 0, remote.getPort());
        int limit = clientLog == null ? ClientLog.PASS : clientLog.access(ClientLog.NTSKE, peer, time.realtimeNanos());
        if (limit == ClientLog.DROP || connections.incrementAndGet() > maxConnections) {
            if (limit != ClientLog.DROP) connections.decrementAndGet();
            refused.incrementAndGet();
            ch.close();
            return;
        }
        accepted.incrementAndGet();
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        SSLEngine engine = NtsTls.serverEngine(tls);
        SslHandler ssl = new SslHandler(engine);
        ssl.setHandshakeTimeoutMillis(TIMEOUT_MILLIS);
        ch.pipeline().addLast(ssl, new Exchange(engine));
    }

    private final class Exchange extends ChannelInboundHandlerAdapter {
        private final SSLEngine engine;
        private byte[] received = new byte[512];
        private int length;
        private boolean done;

        Exchange(SSLEngine engine) {
            this.engine = engine;
        }

        private boolean alpnOk() {
            return NtsTls.ALPN.equals(engine.getApplicationProtocol());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (!e.isSuccess()) {
                    handshakeFailed.incrementAndGet();
                    LOG.debug("NTS-KE handshake with {} failed: {}", ctx.channel().remoteAddress(), e.cause().toString());
                    ctx.close();
                } else if (!alpnOk()) {
                    noAlpn.incrementAndGet();
                    LOG.debug("NTS-KE client {} did not negotiate ALPN {}", ctx.channel().remoteAddress(), NtsTls.ALPN);
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (done) return;
                if (!alpnOk()) {
                    ctx.close();
                    return;
                }
                int n = buf.readableBytes();
                int room = NtsKeRecord.MAX_MESSAGE_LENGTH + 4 + 0xffff;
                if (length + n > room) n = room - length;
                if (length + n > received.length) received = java.util.Arrays.copyOf(received, Math.max(length + n, 2 * received.length));
                buf.readBytes(received, length, n);
                length += n;
                switch (NtsKeRecord.scan(received, length)) {
                    case NtsKeRecord.Scan.Incomplete i -> { }
                    case NtsKeRecord.Scan.TooLong t -> {
                        done = true;
                        rejected.incrementAndGet();
                        reply(ctx, NtsKeRecord.encode(List.of(NtsKeRecord.ofShorts(true, NtsKeRecord.ERROR, NtsKeRecord.ERROR_BAD_REQUEST),
                                new NtsKeRecord(true, NtsKeRecord.END_OF_MESSAGE, new byte[0]))));
                    }
                    case NtsKeRecord.Scan.Message m -> {
                        done = true;
                        NtsKeServerExchange.Outcome o;
                        if (m.length() != length) {
                            o = new NtsKeServerExchange.Outcome(false, NtsKeRecord.encode(List.of(
                                    NtsKeRecord.ofShorts(true, NtsKeRecord.ERROR, NtsKeRecord.ERROR_BAD_REQUEST),
                                    new NtsKeRecord(true, NtsKeRecord.END_OF_MESSAGE, new byte[0]))), "data after end of message");
                        } else {
                            o = exchange.get().respond(m.records(), (label, context, len) ->
                                    ((ExtendedSSLSession) engine.getSession()).exportKeyingMaterialData(label, context, len));
                        }
                        if (o.accepted()) served.incrementAndGet();
                        else {
                            rejected.incrementAndGet();
                            LOG.debug("NTS-KE request from {} rejected: {}", ctx.channel().remoteAddress(), o.reason());
                        }
                        reply(ctx, o.response());
                    }
                }
            } catch (RuntimeException e) {
                LOG.debug("NTS-KE exchange with {} failed: {}", ctx.channel().remoteAddress(), e.toString());
                ctx.close();
            } finally {
                buf.release();
            }
        }

        private void reply(ChannelHandlerContext ctx, byte[] response) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("NTS-KE connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close() {
        for (Channel c : listening) c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        listening.clear();
    }
}
