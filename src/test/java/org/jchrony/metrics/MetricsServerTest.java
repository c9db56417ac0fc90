package org.jchrony.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint over real loopback HTTP with the JDK client; text checked by {@link ExpositionParser}. */
class MetricsServerTest {
    private static final String OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PROM = "text/plain; version=0.0.4; charset=utf-8";
    /** What Prometheus 2.x/3.x sends when scraping. */
    private static final String PROMETHEUS_SCRAPE_ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
            + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    private IoEventLoopGroup core;
    private IoEventLoop coreLoop;
    private MetricsServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void coreLoop() {
        core = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        coreLoop = (IoEventLoop) core.next();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        core.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private URI start(Supplier<MetricsSnapshot> supplier) throws Exception {
        server = new MetricsServer(InetAddress.getLoopbackAddress(), 0, core, coreLoop, supplier);
        // started from the core loop itself, as the daemon does: must not block there
        Future<InetSocketAddress> bound = coreLoop.submit(server::start).get(2, TimeUnit.SECONDS);
        InetSocketAddress a = bound.get(2, TimeUnit.SECONDS);
        assertThat(a.getAddress().isLoopbackAddress()).isTrue();
        return URI.create("http://127.0.0.1:" + a.getPort());
    }

    private HttpResponse<String> get(URI base, String path, String accept) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(3));
        if (accept != null) r.header("Accept", accept);
        return http.send(r.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOpenMetricsBuiltOnTheCoreLoop() throws Exception {
        AtomicBoolean onCore = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        MetricsSnapshot snap = MetricsTextTest.sample();
        URI base = start(() -> {
            onCore.set(coreLoop.inEventLoop());
            calls.incrementAndGet();
            return snap;
        });
        for (String accept : new String[] {null, "*/*", PROMETHEUS_SCRAPE_ACCEPT, "application/openmetrics-text"}) {
            HttpResponse<String> r = get(base, "/metrics", accept);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(OM);
            var families = ExpositionParser.openMetrics(r.body());
            assertThat(families.get("chrony_serverstats_ntp_packets_received").value(Map.of())).isEqualTo(100);
        }
        assertThat(calls.get()).isEqualTo(4);
        assertThat(onCore.get()).isTrue();
    }

    @Test
    void servesPrometheusTextWhenAsked() throws Exception {
        URI base = start(MetricsServerTest::snapshot);
        for (String accept : new String[] {"text/plain;version=0.0.4", "text/plain", "text/plain;q=0.9,application/openmetrics-text;q=0.5"}) {
            HttpResponse<String> r = get(base, "/metrics?x=1", accept);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(PROM);
            var families = ExpositionParser.prometheus(r.body());
            assertThat(families).containsKey("chrony_serverstats_ntp_packets_received_total");
        }
    }

    @Test
    void otherPathsAndMethods() throws Exception {
        URI base = start(MetricsServerTest::snapshot);
        assertThat(get(base, "/", null).statusCode()).isEqualTo(404);
        assertThat(get(base, "/metricsx", null).statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        // the connection survives and still serves
        assertThat(get(base, "/metrics", null).statusCode()).isEqualTo(200);
    }

    @Test
    void snapshotOnAnotherExecutorAndFailingSupplier() throws Exception {
        IoEventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            AtomicBoolean onCore = new AtomicBoolean();
            AtomicBoolean fail = new AtomicBoolean();
            server = new MetricsServer(InetAddress.getLoopbackAddress(), 0, io, coreLoop, () -> {
                onCore.set(coreLoop.inEventLoop());
                if (fail.get()) throw new IllegalStateException("boom");
                return snapshot();
            });
            int port = server.start().get(2, TimeUnit.SECONDS).getPort();
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpResponse<String> r = get(base, "/metrics", null);
            assertThat(r.statusCode()).isEqualTo(200);
            ExpositionParser.openMetrics(r.body());
            assertThat(onCore.get()).isTrue();
            fail.set(true);
            assertThat(get(base, "/metrics", null).statusCode()).isEqualTo(500);
        } finally {
            server.close();
            server = null;
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aPortInUseFailsTheFutureWithoutThrowing() throws Exception {
        URI base = start(MetricsServerTest::snapshot);
        MetricsServer second = new MetricsServer(InetAddress.getLoopbackAddress(), base.getPort(), core, coreLoop,
                MetricsServerTest::snapshot);
        Future<InetSocketAddress> f = second.start();
        assertThat(f.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(f.isSuccess()).isFalse();
        second.close();
        assertThat(MetricsServer.negotiate("text/html")).isEqualTo(MetricsText.Format.OPENMETRICS);
    }

    private static MetricsSnapshot snapshot() {
        try {
            return MetricsTextTest.sample();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
