package org.jchrony.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text checked by the reference implementations, when installed (Debian packages
 * python3-prometheus-client and prometheus; skipped otherwise): the OpenMetrics parser of the
 * official Python client, {@code promtool check metrics} (parser and lint of the Prometheus
 * text format), and a real Prometheus server scraping the endpoint.
 */
class ReferenceToolsTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    private static String run(List<String> cmd, String stdin, Path dir) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
        return out;
    }

    @Test
    void pythonClientsOpenMetricsParserAcceptsTheText(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON) && Files.isDirectory(
                Path.of("/usr/lib/python3/dist-packages/prometheus_client")), "python3-prometheus-client not installed");
        String text = MetricsText.render(MetricsTextTest.sample(), MetricsText.Format.OPENMETRICS);
        String script = """
                import sys
                from prometheus_client.openmetrics.parser import text_string_to_metric_families
                fams = list(text_string_to_metric_families(sys.stdin.read()))
                print(len(fams), sum(len(f.samples) for f in fams))
                """;
        Path py = Files.writeString(dir.resolve("parse.py"), script);
        String out = run(List.of(PYTHON.toString(), py.toString()), text, dir).strip();
        var ours = ExpositionParser.openMetrics(text);
        int samples = ours.values().stream().mapToInt(f -> f.samples.size()).sum();
        assertThat(out).isEqualTo(ours.size() + " " + samples);
    }

    @Test
    void promtoolLintsThePrometheusTextClean(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool not installed");
        String text = MetricsText.render(MetricsTextTest.sample(), MetricsText.Format.PROMETHEUS);
        String out = run(List.of(PROMTOOL.toString(), "check", "metrics"), text, dir);
        assertThat(out.strip()).isEmpty();
    }

    @Test
    void aRealPrometheusScrapesTheEndpoint(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus not installed");
        IoEventLoopGroup core = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        IoEventLoop loop = (IoEventLoop) core.next();
        MetricsServer server = new MetricsServer(InetAddress.getLoopbackAddress(), 0, core, loop, () -> {
            try {
                return MetricsTextTest.sample();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Process prom = null;
        try {
            int port = server.start().get(2, TimeUnit.SECONDS).getPort();
            int webPort = freeTcpPort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: jchrony
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(port));
            prom = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + webPort)
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("prom.log").toFile())
                    .start();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String api = "http://127.0.0.1:" + webPort + "/api/v1/query?query=";
            String body = "";
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                Thread.sleep(250);
                try {
                    body = http.send(HttpRequest.newBuilder(URI.create(api + "chrony_serverstats_ntp_packets_received_total"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException e) {
                    continue; // not listening yet
                }
                if (body.contains("\"100\"")) break;
            }
            assertThat(body).as(Files.readString(dir.resolve("prom.log"))).contains("\"100\"");
            String up = http.send(HttpRequest.newBuilder(URI.create(api + "up")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(up).contains("\"1\"");
            String info = http.send(HttpRequest.newBuilder(URI.create(api
                    + "chrony_source_state_info%7Bstate%3D%22selected%22%7D")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(info).contains("\"address\":\"192.0.2.1\"");
        } finally {
            if (prom != null) {
                prom.destroy(); // our own child, by handle
                if (!prom.waitFor(10, TimeUnit.SECONDS)) prom.destroyForcibly().waitFor();
            }
            server.close();
            core.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
