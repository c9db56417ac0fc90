package org.jchrony.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.jchrony.nts.NtsKeRecord;
import org.jchrony.nts.NtsKeServerExchange;
import org.jchrony.nts.NtsTls;

/**
 * The NTS-KE client (RFC 8915 section 4) on Netty, as chronyd's: a TCP connection to the NTS-KE
 * server, TLS 1.3 with ALPN {@code ntske/1} and the server's name checked against its certificate
 * ({@link NtsTls#clientEngine}), one request, the response read up to End of Message, then
 * closed. The result is delivered once, on the group's event loop (the daemon uses the core
 * loop), while the TLS session can still export keys. Whole exchange limited to
 * {@value #TIMEOUT_MILLIS} ms.
 */
public final class NtsKeClient {
    public static final long TIMEOUT_MILLIS = 5000;

    /** What one exchange gave. */
    public sealed interface Result {
        /** The response records and the exporter of the TLS session (valid during the callback). */
        record Response(java.util.List<NtsKeRecord> records, NtsKeServerExchange.KeyExporter exporter) implements Result {}

        record Failure(String reason) implements Result {}
    }

    @FunctionalInterface
    public interface Callback {
        void done(Result result);
    }

    private final IoEventLoopGroup group;
    private final SSLContext tls;

    public NtsKeClient(IoEventLoopGroup group, SSLContext tls) {
        this.group = group;
        this.tls = tls;
    }

    /** Connects to {@code address}:{@code port}, checking the certificate for {@code serverName}, and sends {@code request}. */
    public void exchange(InetAddress address, String serverName, int port, byte[] request, Callback callback) {
        boolean[] delivered = new boolean[1];
        Callback once = r -> {
            if (!delivered[0]) {
                delivered[0] = true;
                callback.done(r);
            }
        };
        SSLEngine engine = NtsTls.clientEngine(tls, serverName, port);
        Bootstrap b = new Bootstrap().group(group)
                .channel(group.isIoType(EpollIoHandler.class) ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler ssl = new SslHandler(engine);
                        ssl.setHandshakeTimeoutMillis(TIMEOUT_MILLIS);
                        ch.pipeline().addLast(ssl, new Reader(engine, request, once));
                        ch.eventLoop().schedule(() -> {
                            once.done(new Result.Failure("timeout"));
                            ch.close();
                        }, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    }
                });
        b.connect(new InetSocketAddress(address, port)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) once.done(new Result.Failure("Could not connect : " + f.cause().getMessage()));
            else f.channel().closeFuture().addListener(c -> once.done(new Result.Failure("connection closed")));
        });
    }

    private static final class Reader extends ChannelInboundHandlerAdapter {
        private final SSLEngine engine;
        private final byte[] request;
        private final Callback callback;
        private byte[] received = new byte[1024];
        private int length;

        Reader(SSLEngine engine, byte[] request, Callback callback) {
            this.engine = engine;
            this.request = request;
            this.callback = callback;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (!e.isSuccess()) {
                    callback.done(new Result.Failure("TLS handshake failed : " + e.cause().getMessage()));
                    ctx.close();
                } else if (!NtsTls.ALPN.equals(engine.getApplicationProtocol())) {
                    callback.done(new Result.Failure("server did not negotiate ALPN " + NtsTls.ALPN));
                    ctx.close();
                } else {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(request));
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                int n = buf.readableBytes();
                if (length + n > NtsKeRecord.MAX_MESSAGE_LENGTH + 0x10004) {
                    callback.done(new Result.Failure("response too long"));
                    ctx.close();
                    return;
                }
                if (length + n > received.length) received = Arrays.copyOf(received, Math.max(length + n, 2 * received.length));
                buf.readBytes(received, length, n);
                length += n;
                switch (NtsKeRecord.scan(received, length)) {
                    case NtsKeRecord.Scan.Incomplete i -> { }
                    case NtsKeRecord.Scan.TooLong t -> {
                        callback.done(new Result.Failure("response too long"));
                        ctx.close();
                    }
                    case NtsKeRecord.Scan.Message m -> {
                        callback.done(new Result.Response(m.records(), (label, context, len) ->
                                ((ExtendedSSLSession) engine.getSession()).exportKeyingMaterialData(label, context, len)));
                        ctx.close();
                    }
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            callback.done(new Result.Failure(String.valueOf(cause.getMessage())));
            ctx.close();
        }
    }
}
