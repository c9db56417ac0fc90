package org.jchrony.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional metrics endpoint (chrony has none): HTTP on {@code metricsbindaddress}
 * (default 127.0.0.1) port {@code metricsport}, serving {@code GET /metrics} as OpenMetrics
 * 1.0.0 text, or Prometheus text 0.0.4 when the {@code Accept} header prefers
 * {@code text/plain}; 404 for other paths, 405 for other methods on /metrics.
 *
 * <p>Threads: the listening and connection channels run on {@code group} (the daemon passes its
 * core loop group). Each scrape calls {@code snapshot} on {@code snapshotExecutor} (the core
 * loop), directly when the connection already runs there, so the supplier may read core state
 * without locks. Requests are small (8 KiB at most), idle connections close after 30 s, and at
 * most {@value #MAX_CONNECTIONS} connections are served at once.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final int MAX_CONNECTIONS = 32;
    private static final int MAX_REQUEST_BYTES = 8192;
    private static final int IDLE_TIMEOUT_SECONDS = 30;

    private final InetSocketAddress bindTo;
    private final IoEventLoopGroup group;
    private final EventExecutor snapshotExecutor;
    private final Supplier<MetricsSnapshot> snapshot;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Channel serverChannel;

    /**
     * @param bindAddress      {@code metricsbindaddress} (default 127.0.0.1)
     * @param port             {@code metricsport} (0 = any free port, for tests)
     * @param group            event loop group for the sockets (epoll or NIO)
     * @param snapshotExecutor where {@code snapshot} runs (the core loop)
     * @param snapshot         builds the figures from core state
     */
    public MetricsServer(InetAddress bindAddress, int port, IoEventLoopGroup group, EventExecutor snapshotExecutor,
                         Supplier<MetricsSnapshot> snapshot) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad metrics port " + port);
        this.bindTo = new InetSocketAddress(Objects.requireNonNull(bindAddress), port);
        this.group = Objects.requireNonNull(group);
        this.snapshotExecutor = Objects.requireNonNull(snapshotExecutor);
        this.snapshot = Objects.requireNonNull(snapshot);
    }

    /** On {@code metricsbindaddress}'s default, 127.0.0.1. */
    public MetricsServer(int port, IoEventLoopGroup group, EventExecutor snapshotExecutor,
                         Supplier<MetricsSnapshot> snapshot) {
        this(InetAddress.getLoopbackAddress(), port, group, snapshotExecutor, snapshot);
    }

    /**
     * Binds without blocking (safe to call on the core loop). The future completes with the
     * bound address, or fails (the failure is also logged; the daemon keeps running).
     */
    public Future<InetSocketAddress> start() {
        Class<? extends ServerChannel> channelClass = group.isIoType(EpollIoHandler.class)
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Promise<InetSocketAddress> result = group.next().newPromise();
        ServerBootstrap b = new ServerBootstrap().group(group).channel(channelClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                            connections.decrementAndGet();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> connections.decrementAndGet());
                        ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_TIMEOUT_SECONDS),
                                new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES), new Handler());
                    }
                });
        b.bind(bindTo).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                serverChannel = f.channel();
                InetSocketAddress bound = (InetSocketAddress) f.channel().localAddress();
                LOG.info("Metrics endpoint listening on http://{}:{}/metrics", hostForUrl(bound), bound.getPort());
                result.setSuccess(bound);
            } else {
                LOG.error("Could not open metrics socket on {} port {} : {}", bindTo.getAddress().getHostAddress(),
                        bindTo.getPort(), f.cause().getMessage());
                result.setFailure(f.cause());
            }
        });
        return result;
    }

    /** The bound address, null before {@link #start()} completed. */
    public InetSocketAddress localAddress() {
        Channel c = serverChannel;
        return c == null ? null : (InetSocketAddress) c.localAddress();
    }

    /** Closes the listening socket (without waiting); open scrapes finish or time out. */
    @Override
    public void close() {
        Channel c = serverChannel;
        if (c != null) c.close();
    }

    private static String hostForUrl(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /**
     * The format for an {@code Accept} header: OpenMetrics unless text/plain has a higher
     * q-value than application/openmetrics-text (missing header or wildcards: OpenMetrics).
     */
    static MetricsText.Format negotiate(String accept) {
        if (accept == null || accept.isBlank()) return MetricsText.Format.OPENMETRICS;
        double om = -1;
        double text = -1;
        for (String part : accept.split(",")) {
            String[] params = part.split(";");
            String type = params[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].strip();
                if (p.toLowerCase(Locale.ROOT).startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2).strip());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (type.equals("application/openmetrics-text")) om = Math.max(om, q);
            else if (type.equals("text/plain")) text = Math.max(text, q);
        }
        return text > 0 && text > om ? MetricsText.Format.PROMETHEUS : MetricsText.Format.OPENMETRICS;
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!req.decoderResult().isSuccess()) {
                send(ctx, plain(HttpResponseStatus.BAD_REQUEST, "Bad request\n"), false);
                return;
            }
            String path = new QueryStringDecoder(req.uri()).path();
            if (!path.equals("/metrics")) {
                send(ctx, plain(HttpResponseStatus.NOT_FOUND, "Not found: try /metrics\n"), keepAlive);
                return;
            }
            boolean head = req.method().equals(HttpMethod.HEAD);
            if (!req.method().equals(HttpMethod.GET) && !head) {
                FullHttpResponse r = plain(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed\n");
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                send(ctx, r, keepAlive);
                return;
            }
            MetricsText.Format format = negotiate(req.headers().get(HttpHeaderNames.ACCEPT));
            if (snapshotExecutor.inEventLoop()) {
                respond(ctx, format, head, keepAlive, takeSnapshot());
            } else {
                snapshotExecutor.submit(this::takeSnapshot).addListener(f -> {
                    MetricsSnapshot s = f.isSuccess() ? (MetricsSnapshot) f.getNow() : null;
                    ctx.executor().execute(() -> respond(ctx, format, head, keepAlive, s));
                });
            }
        }

        private MetricsSnapshot takeSnapshot() {
            try {
                return snapshot.get();
            } catch (RuntimeException e) {
                LOG.warn("metrics snapshot failed: {}", e.toString());
                return null;
            }
        }

        private void respond(ChannelHandlerContext ctx, MetricsText.Format format, boolean head, boolean keepAlive,
                             MetricsSnapshot s) {
            if (s == null) {
                send(ctx, plain(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Metrics unavailable\n"), false);
                return;
            }
            byte[] body = MetricsText.render(s, format).getBytes(StandardCharsets.UTF_8);
            ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
            FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK, content);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, format.contentType());
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            send(ctx, r, keepAlive);
        }

        private FullHttpResponse plain(HttpResponseStatus status, String text) {
            FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            return r;
        }

        private void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
            if (keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(r);
            } else {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("metrics connection: {}", cause.toString());
            ctx.close();
        }
    }
}
