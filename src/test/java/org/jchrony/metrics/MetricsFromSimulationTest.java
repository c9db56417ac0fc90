package org.jchrony.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.server.ClientLog;
import org.jchrony.server.PeerAddress;
import org.jchrony.sim.SimServer;
import org.jchrony.sim.Simulation;
import org.jchrony.source.SourceOptions;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's figures from a running discipline: the simulator drives the SourceManager as
 * the daemon does for 20 simulated minutes; the snapshot built by
 * {@link MetricsSnapshot#of(org.jchrony.source.SourceManager, ClientLog, long)} renders to text
 * that parses strictly and carries the manager's own report values.
 */
class MetricsFromSimulationTest {
    @Test
    void figuresOfASynchronisedDaemon() {
        Simulation sim = new Simulation(7, Simulation.ClockKind.NULL_DRIVER, 0.02, 10, 0,
                new Simulation.Net(0.001, 50e-6, 0, 0), DisciplineConfig.defaults());
        SimServer a = sim.server(0, 1, Simulation.always());
        SimServer b = sim.server(0.0001, 2, Simulation.always());
        sim.addSource(a, SourceOptions.defaults().withIburst(true));
        sim.addSource(b, SourceOptions.defaults().withIburst(true));
        sim.start(1);
        sim.runFor(1200);

        ClientLog clients = ClientLog.unlimited(new SplittableRandom(1));
        long now = sim.scheduler.now();
        clients.access(ClientLog.NTP, new byte[] {127, 0, 0, 1}, PeerAddress.INET4, now);
        clients.access(ClientLog.NTP, new byte[] {127, 0, 0, 2}, PeerAddress.INET4, now);
        clients.access(ClientLog.NTP, new byte[] {127, 0, 0, 2}, PeerAddress.INET4, now);
        clients.access(ClientLog.CMDMON, new byte[] {127, 0, 0, 1}, PeerAddress.INET4, now);

        MetricsSnapshot snap = MetricsSnapshot.of(sim.manager, clients, now);
        var f = ExpositionParser.openMetrics(MetricsText.render(snap, MetricsText.Format.OPENMETRICS));
        var t = sim.manager.tracking();
        assertThat(f.get("chrony_tracking_synchronised").value(Map.of())).isEqualTo(1);
        assertThat(f.get("chrony_tracking_stratum").value(Map.of())).isEqualTo(2);
        assertThat(f.get("chrony_tracking_last_offset_seconds").value(Map.of())).isEqualTo(t.lastOffsetSeconds());
        assertThat(f.get("chrony_tracking_system_time_offset_seconds").value(Map.of()))
                .isEqualTo(-t.currentCorrectionSeconds());
        assertThat(f.get("chrony_tracking_frequency_ppm").value(Map.of())).isEqualTo(t.freqPpm());
        assertThat(f.get("chrony_tracking_skew_ppm").value(Map.of())).isEqualTo(t.skewPpm()).isPositive();
        assertThat(f.get("chrony_tracking_reference").samples.getFirst().labels())
                .containsEntry("ref_id", "0A000001").containsEntry("address", "10.0.0.1");

        Map<String, String> srcA = Map.of("address", "10.0.0.1", "name", "10.0.0.1");
        assertThat(f.get("chrony_source_reach").value(srcA)).isEqualTo(255);
        assertThat(f.get("chrony_source_stratum").value(srcA)).isEqualTo(1);
        assertThat(f.get("chrony_source_state").samples).anySatisfy(s ->
                assertThat(s.labels()).containsEntry("address", "10.0.0.1").containsEntry("state", "selected"));
        assertThat(f.get("chrony_sourcestats_samples").value(srcA)).isGreaterThanOrEqualTo(4);
        assertThat(f.get("chrony_sourcestats_std_dev_seconds").value(srcA)).isPositive().isLessThan(1e-3);
        assertThat(f.get("chrony_source_poll_interval_seconds").value(srcA)).isGreaterThanOrEqualTo(64);

        assertThat(f.get("chrony_serverstats_ntp_packets_received").value(Map.of())).isEqualTo(3);
        assertThat(f.get("chrony_serverstats_command_packets_received").value(Map.of())).isEqualTo(1);
        assertThat(f.get("chrony_serverstats_client_log_records").value(Map.of())).isEqualTo(2);
    }
}
