package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * The whole daemon's log files and metrics endpoint: jchronyd follows Debian's chronyd with
 * chronyd's `log` directives and jchrony's `metricsport`, and writes the files chronyd writes,
 * reopens them on `chronyc cyclelogs`, and serves OpenMetrics text.
 */
class LogsAndMetricsIT {

    @Test
    void logFilesCyclelogsAndMetrics() throws Exception {
        RealChronyd.assumeInstalled();
        int metricsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            metricsPort = s.getLocalPort();
        }
        Path logDir = Files.createTempDirectory("jchrony-logs");
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 3"));
             RunningJchronyd j = RunningJchronyd.start(List.of(
                     "server 127.0.0.1 port " + ref.ntpPort() + " minpoll -2 maxpoll -2 iburst",
                     "logdir " + logDir, "log measurements statistics tracking selection", "logbanner 20",
                     "metricsport " + metricsPort))) {
            Path measurements = logDir.resolve("measurements.log");
            Path tracking = logDir.resolve("tracking.log");
            long deadline = System.nanoTime() + 30_000_000_000L;
            // selection.log is written just after tracking.log in the same update: wait for both
            while (System.nanoTime() < deadline && !(Files.exists(tracking) && Files.readAllLines(tracking).size() > 3
                    && Files.exists(logDir.resolve("selection.log")))) {
                Thread.sleep(200);
            }
            List<String> m = Files.readAllLines(measurements);
            assertThat(m.get(0)).isEqualTo("=".repeat(m.get(1).length()));
            assertThat(m.get(1)).startsWith("   Date (UTC) Time     IP Address   L St 123 567 ABCD");
            assertThat(m.get(3)).as(j.log()).matches(
                    "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d 127\\.0\\.0\\.1 +N  3 111 111 1111 .*");
            assertThat(Files.readAllLines(tracking).get(3)).matches(
                    "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d 127\\.0\\.0\\.1 +4 .*");
            assertThat(logDir.resolve("statistics.log")).exists();
            assertThat(logDir.resolve("selection.log")).exists();

            // logrotate moves the file; cyclelogs makes the daemon start a new one with a banner
            Files.move(measurements, logDir.resolve("measurements.log.1"));
            assertThat(j.chronyc("cyclelogs")).contains("200 OK");
            deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && !Files.exists(measurements)) Thread.sleep(100);
            assertThat(measurements).exists();
            Thread.sleep(1000);
            assertThat(Files.readAllLines(measurements).get(1)).startsWith("   Date (UTC) Time     IP Address");

            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
            assertThat(r.body()).contains("chrony_tracking_stratum 4").contains("chrony_tracking_synchronised 1")
                    .contains("chrony_source_reach{").endsWith("# EOF\n");
        } finally {
            try (var files = Files.walk(logDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
