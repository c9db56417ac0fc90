package org.jchrony.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.discipline.ReferenceState;
import org.jchrony.discipline.SourceData;
import org.jchrony.discipline.SourceState;
import org.jchrony.source.NtpSource;
import org.jchrony.source.SourceOptions;
import org.junit.jupiter.api.Test;

/** The facade's reports and commands, driven through the simulator as the daemon will drive them. */
class SourceManagerReportsTest {

    @Test
    void reportsAfterSynchronisation() {
        Simulation sim = new Simulation(21, Simulation.ClockKind.NULL_DRIVER, 0.02, 10, 0,
                new Simulation.Net(0.001, 50e-6, 0, 0), DisciplineConfig.defaults());
        List<ReferenceState> published = new ArrayList<>();
        sim.manager.addReferenceListener(published::add);
        SimServer a = sim.server(0, 1, Simulation.always());
        SimServer b = sim.server(0.0001, 2, Simulation.always());
        NtpSource sa = sim.addSource(a, SourceOptions.defaults().withIburst(true));
        sim.addSource(b, SourceOptions.defaults().withIburst(true).withFlags(false, true, false, false));
        assertThat(sim.manager.reference().synchronised()).isFalse();
        assertThat(sim.manager.tracking().leap()).isEqualTo(3);
        sim.start(1);
        sim.runFor(1200);

        ReferenceState r = sim.manager.reference();
        assertThat(r.synchronised()).isTrue();
        assertThat(r.stratum()).isEqualTo(2);
        assertThat(r.refId()).isEqualTo(0x0a000001);
        assertThat(r.leap()).isZero();
        assertThat(published).isNotEmpty().last().isEqualTo(r);

        var t = sim.manager.tracking();
        assertThat(t.refAddress()).isEqualTo(a.address);
        assertThat(t.stratum()).isEqualTo(2);
        assertThat(t.rootDelaySeconds()).isCloseTo(0.001, offset(0.0005));
        assertThat(t.rootDispersionSeconds()).isPositive().isLessThan(0.01);
        assertThat(t.skewPpm()).isPositive();
        assertThat(t.lastUpdateIntervalSeconds()).isPositive();

        List<SourceData> src = sim.manager.sources();
        assertThat(src).hasSize(2);
        assertThat(src.get(0).state()).isEqualTo(SourceState.SELECTED);
        assertThat(src.get(0).state().symbol()).isEqualTo('*');
        assertThat(src.get(0).reach()).isEqualTo(0377);
        assertThat(src.get(0).stratum()).isEqualTo(1);
        assertThat(src.get(0).mode()).isEqualTo(SourceData.Mode.SERVER);
        assertThat(src.get(0).sinceSampleSeconds()).isBetween(0L, 1100L);
        assertThat(src.get(1).state()).isEqualTo(SourceState.UNSELECTABLE); // noselect: '?' as chronyd 4.3
        assertThat(src.get(1).noselect()).isTrue();

        var stats = sim.manager.sourceStats();
        assertThat(stats.get(0).samples()).isGreaterThanOrEqualTo(4);
        assertThat(stats.get(0).runs()).isPositive();
        assertThat(stats.get(0).spanSeconds()).isPositive();
        assertThat(Math.abs(stats.get(0).offsetSeconds())).isLessThan(200e-6);

        assertThat(sim.manager.ntpData()).hasSize(2);
        assertThat(sa.pollLog2()).isBetween(6, 10);

        // offline both: no more requests, reach decays not (no polls), online again resumes
        long before = sa.requests();
        assertThat(sim.manager.setOnline(false, x -> true)).isEqualTo(2);
        sim.runFor(3600);
        assertThat(sa.requests()).isEqualTo(before);
        assertThat(sim.manager.activity()).containsExactly(0, 2);
        sim.manager.setOnline(true, x -> true);
        sim.runFor(10);
        assertThat(sa.requests()).isGreaterThan(before);

        // burst on one source
        long n = sa.requests();
        assertThat(sim.manager.burst(4, 4, addr -> addr.equals(a.address))).isEqualTo(1);
        sim.runFor(10);
        assertThat(sa.requests() - n).isEqualTo(4);

        // modify: maxpoll lowered below the current poll clamps it
        assertThat(sim.manager.modify(a.address, o -> o.withPoll(4, 4))).isTrue();
        assertThat(sa.pollLog2()).isEqualTo(4);
        sim.manager.reselect();
        assertThat(sim.manager.discipline().selected()).isSameAs(sa);

        // delete
        assertThat(sim.manager.removeSource(a.address)).isTrue();
        assertThat(sim.manager.sources()).hasSize(1);
        assertThat(sim.manager.removeSource(a.address)).isFalse();
    }

    @Test
    void responsesFromUnknownAddressesAreIgnored() throws Exception {
        Simulation sim = new Simulation(22, Simulation.ClockKind.NULL_DRIVER, 0, 0, 0,
                new Simulation.Net(0.001, 0, 0, 0), DisciplineConfig.defaults());
        byte[] junk = new byte[48];
        assertThat(sim.manager.onResponse(junk, 0, 48, 0,
                new org.jchrony.source.SourceAddress(java.net.InetAddress.getByName("192.0.2.9"), 123))).isFalse();
    }

    @Test
    void makestepCommandCompletesPendingSlewOnASystemClock() {
        Simulation sim = new Simulation(23, Simulation.ClockKind.SYSTEM, 0.3, 0, 0,
                new Simulation.Net(0.001, 10e-6, 0, 0), DisciplineConfig.defaults());
        sim.addSource(sim.server(0, 1, Simulation.always()), SourceOptions.defaults().withIburst(true));
        sim.start(1);
        sim.runFor(6.1); // three samples: the first update has started a slew of ~0.3 s
        double pending = sim.driver().offsetCorrectionSeconds(sim.driver().readRawNanos());
        assertThat(Math.abs(pending)).isGreaterThan(0.01);
        assertThat(sim.manager.makestep()).isTrue();
        assertThat(sim.driver().offsetCorrectionSeconds(sim.driver().readRawNanos())).isZero();
        assertThat(Math.abs(sim.errorSeconds())).isLessThan(1e-3);
    }
}
