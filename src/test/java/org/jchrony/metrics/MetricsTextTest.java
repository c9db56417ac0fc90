package org.jchrony.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.jchrony.discipline.SourceData;
import org.jchrony.discipline.SourceState;
import org.jchrony.discipline.SourceStatsData;
import org.jchrony.discipline.TrackingData;
import org.jchrony.server.ServerStats;
import org.junit.jupiter.api.Test;

class MetricsTextTest {
    static MetricsSnapshot sample() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("2001:db8::5");
        TrackingData t = new TrackingData(0xC0000201, a, "ntp.example", 3, 1_764_162_243_500_000_000L, 2.5e-6, -1.25e-6,
                3e-6, -12.5, 0.01, 0.2, 0.012, 0.0034, 64.2, 0);
        List<SourceData> sources = List.of(
                new SourceData(a, "ntp.example", 6, 2, SourceState.SELECTED, SourceData.Mode.SERVER, 0377, 12,
                        -1e-6, -1.5e-6, 2e-5, false, false, false, false),
                new SourceData(b, "we\"ird\\name\nx", -2, 16, SourceState.UNSELECTABLE, SourceData.Mode.PEER, 0, -1,
                        0, 0, 0, false, false, false, false));
        List<SourceStatsData> stats = List.of(new SourceStatsData(0xC0000201, a, "ntp.example", 12, 7, 700, 0.005, 0.05,
                -2e-6, 1e-6, 4e-6));
        ServerStats s = new ServerStats(100, 2, 30, 5, 0, 1, 0, 7, 3, 40, 600, 4);
        return MetricsSnapshot.of(t, sources, stats, s, 17);
    }

    @Test
    void openMetricsTextParsesStrictlyWithTheFiguresOfTheSnapshot() throws Exception {
        String text = MetricsText.render(sample(), MetricsText.Format.OPENMETRICS);
        var f = ExpositionParser.openMetrics(text);
        assertThat(text).endsWith("\n# EOF\n");
        assertThat(f.keySet()).allMatch(n -> n.startsWith("chrony_"));
        assertThat(f.get("chrony_tracking_system_time_offset_seconds").value(Map.of())).isEqualTo(-2.5e-6);
        assertThat(f.get("chrony_tracking_system_time_offset_seconds").unit).isEqualTo("seconds");
        assertThat(f.get("chrony_tracking_last_offset_seconds").value(Map.of())).isEqualTo(-1.25e-6);
        assertThat(f.get("chrony_tracking_frequency_ppm").value(Map.of())).isEqualTo(-12.5);
        assertThat(f.get("chrony_tracking_update_interval_seconds").value(Map.of())).isEqualTo(64.2);
        assertThat(f.get("chrony_tracking_synchronised").value(Map.of())).isEqualTo(1);
        assertThat(f.get("chrony_tracking_reference_time_seconds").value(Map.of())).isEqualTo(1_764_162_243.5);
        assertThat(f.get("chrony_tracking_reference").type).isEqualTo("info");
        assertThat(f.get("chrony_tracking_reference").samples.getFirst().labels())
                .containsEntry("ref_id", "C0000201").containsEntry("address", "192.0.2.1");

        Map<String, String> a = Map.of("address", "192.0.2.1", "name", "ntp.example");
        Map<String, String> b = Map.of("address", "2001:db8::5", "name", "we\"ird\\name\nx");
        assertThat(f.get("chrony_source_reach").value(a)).isEqualTo(255);
        assertThat(f.get("chrony_source_reach").value(b)).isEqualTo(0);
        assertThat(f.get("chrony_source_poll_interval_seconds").value(b)).isEqualTo(0.25);
        assertThat(f.get("chrony_source_last_offset_seconds").value(a)).isEqualTo(-1.5e-6);
        assertThat(f.get("chrony_source_last_offset_seconds").samples).hasSize(1); // b never sampled
        assertThat(f.get("chrony_sourcestats_std_dev_seconds").value(a)).isEqualTo(4e-6);
        assertThat(f.get("chrony_sourcestats_samples").samples).hasSize(1);
        assertThat(f.get("chrony_source_state").samples).extracting(s -> s.labels().get("state"))
                .containsExactly("selected", "unselectable");
        assertThat(f.get("chrony_source_state").samples).extracting(s -> s.labels().get("mode"))
                .containsExactly("server", "peer");

        assertThat(f.get("chrony_serverstats_ntp_packets_received").type).isEqualTo("counter");
        assertThat(f.get("chrony_serverstats_ntp_packets_received").samples.getFirst().name())
                .isEqualTo("chrony_serverstats_ntp_packets_received_total");
        assertThat(f.get("chrony_serverstats_ntp_packets_received").value(Map.of())).isEqualTo(100);
        assertThat(f.get("chrony_serverstats_ntp_packets_dropped").value(Map.of())).isEqualTo(5);
        assertThat(f.get("chrony_serverstats_ntp_kod_rate_sent").value(Map.of())).isEqualTo(4);
        assertThat(f.get("chrony_serverstats_command_packets_received").value(Map.of())).isEqualTo(30);
        assertThat(f.get("chrony_serverstats_client_log_records").value(Map.of())).isEqualTo(17);
        f.values().forEach(fam -> assertThat(fam.help).as(fam.name).isNotBlank());
    }

    @Test
    void prometheusTextHasTheSameSeries() throws Exception {
        MetricsSnapshot snap = sample();
        var om = ExpositionParser.openMetrics(MetricsText.render(snap, MetricsText.Format.OPENMETRICS));
        String text = MetricsText.render(snap, MetricsText.Format.PROMETHEUS);
        var prom = ExpositionParser.prometheus(text);
        int omSamples = om.values().stream().mapToInt(x -> x.samples.size()).sum();
        int promSamples = prom.values().stream().mapToInt(x -> x.samples.size()).sum();
        assertThat(promSamples).isEqualTo(omSamples);
        assertThat(prom.get("chrony_serverstats_ntp_packets_received_total").type).isEqualTo("counter");
        assertThat(prom.get("chrony_source_state_info").type).isEqualTo("gauge");
        assertThat(text).doesNotContain("# UNIT");
    }

    @Test
    void unknownClientLogSizeAndUnsynchronisedState() throws Exception {
        TrackingData t = new TrackingData(0, null, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3);
        MetricsSnapshot s = MetricsSnapshot.of(t, List.of(), List.of(), new ServerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), -1);
        var f = ExpositionParser.openMetrics(MetricsText.render(s, MetricsText.Format.OPENMETRICS));
        assertThat(f.get("chrony_tracking_synchronised").value(Map.of())).isEqualTo(0);
        assertThat(f.get("chrony_tracking_leap_status").value(Map.of())).isEqualTo(3);
        assertThat(f).doesNotContainKey("chrony_serverstats_client_log_records").doesNotContainKey("chrony_source_state");
    }

    @Test
    void numbersAndEscapes() {
        assertThat(MetricsText.number(3)).isEqualTo("3");
        assertThat(MetricsText.number(-0.0)).isEqualTo("0");
        assertThat(MetricsText.number(1.5e-6)).isEqualTo("1.5E-6");
        assertThat(MetricsText.number(Double.NaN)).isEqualTo("NaN");
        assertThat(MetricsText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(MetricsText.escapeLabel("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }

    @Test
    void theParserRejectsWhatTheFormatForbids() {
        assertThatThrownBy(() -> ExpositionParser.openMetrics("# TYPE x gauge\n# HELP x h\nx 1\n"))
                .hasMessageContaining("EOF");
        assertThatThrownBy(() -> ExpositionParser.openMetrics("# TYPE x counter\n# HELP x h\nx 1\n# EOF\n"))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> ExpositionParser.openMetrics("y 1\n# EOF\n")).hasMessageContaining("without a declared");
        assertThatThrownBy(() -> ExpositionParser.openMetrics("# TYPE x gauge\n# HELP x h\nx{a=\"\\t\"} 1\n# EOF\n"))
                .hasMessageContaining("escape");
        assertThatThrownBy(() -> ExpositionParser.openMetrics("# TYPE x gauge\n# HELP x h\n# UNIT x seconds\nx 1\n# EOF\n"))
                .hasMessageContaining("unit");
        assertThatThrownBy(() -> ExpositionParser.openMetrics("# TYPE x gauge\n# HELP x h\nx 1\n# EOF\n# EOF\n"))
                .hasMessageContaining("EOF");
        assertThatThrownBy(() -> ExpositionParser.openMetrics("# TYPE x gauge\n# HELP x h\nx 1\nx 2\n# EOF\n"))
                .hasMessageContaining("duplicate");
        assertThat(ExpositionParser.openMetrics("# TYPE x counter\n# HELP x h\nx_total 1\n# EOF\n")).containsKey("x");
    }
}
