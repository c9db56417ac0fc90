package org.jchrony.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.discipline.SourceState;
import org.jchrony.source.NtpSource;
import org.jchrony.source.SourceOptions;
import org.junit.jupiter.api.Test;

/**
 * Scenarios run through the deterministic simulator, asserting sync time and the max/RMS time
 * and frequency error after settling, as chrony's clknetsim tests do. Figures are printed for
 * docs/PERFORMANCE.md.
 */
class SimulationScenariosTest {
    private static final double HOUR = 3600;

    private static void report(String line) {
        System.out.println("[sim] " + line);
    }

    @Test
    void oneServerFrequencyAndOffsetErrorConverges() {
        Simulation sim = new Simulation(1, Simulation.ClockKind.SYSTEM, 0.100, 100.0, 0,
                new Simulation.Net(0.001, 100e-6, 0, 0), DisciplineConfig.defaults());
        SimServer server = sim.server(0, 1, Simulation.always());
        sim.addSource(server, SourceOptions.defaults());
        sim.start(1.0);
        sim.runFor(4 * HOUR);
        report(sim.figures("1 server, 100ppm, 100ms, 100us jit", 1e-3, 1800));
        assertThat(sim.settledAfter(1e-3)).isLessThan(600);
        assertThat(sim.rmsError(1800)).isLessThan(100e-6);
        assertThat(sim.maxAbsError(1800)).isLessThan(500e-6);
        assertThat(sim.rmsFreqError(1800)).isLessThan(1.0);
    }

    @Test
    void highJitterIsFilteredWellBelowTheJitter() {
        Simulation sim = new Simulation(2, Simulation.ClockKind.SYSTEM, 0.010, -30.0, 0.0005,
                new Simulation.Net(0.002, 1e-3, 0, 0.01), DisciplineConfig.defaults());
        SimServer server = sim.server(0, 1, Simulation.always());
        sim.addSource(server, SourceOptions.defaults());
        sim.start(1.0);
        sim.runFor(6 * HOUR);
        report(sim.figures("1 server, 1ms exp jitter, wander", 1e-3, 1 * HOUR));
        assertThat(sim.rmsError(HOUR)).isLessThan(300e-6);
        assertThat(sim.maxAbsError(HOUR)).isLessThan(1.5e-3);
    }

    @Test
    void falsetickersAreMarkedAndIgnored() {
        Simulation sim = new Simulation(3, Simulation.ClockKind.SYSTEM, 0.050, 20.0, 0,
                new Simulation.Net(0.001, 100e-6, 0, 0), DisciplineConfig.defaults());
        NtpSource[] src = new NtpSource[5];
        for (int i = 0; i < 3; i++) src[i] = sim.addSource(sim.server(0, 2, Simulation.always()), SourceOptions.defaults());
        for (int i = 3; i < 5; i++) src[i] = sim.addSource(sim.server(0.5, 2, Simulation.always()), SourceOptions.defaults());
        sim.start(1.0);
        sim.runFor(2 * HOUR);
        report(sim.figures("5 servers, 2 falsetickers +0.5s", 1e-3, 1800));
        var states = sim.manager.states();
        assertThat(states.get(src[3])).isEqualTo(SourceState.FALSETICKER);
        assertThat(states.get(src[4])).isEqualTo(SourceState.FALSETICKER);
        for (int i = 0; i < 3; i++) {
            assertThat(states.get(src[i])).isIn(SourceState.SELECTED, SourceState.COMBINED, SourceState.NOT_COMBINED);
        }
        assertThat(sim.maxAbsError(600)).isLessThan(1e-3);
        assertThat(sim.rmsError(1800)).isLessThan(100e-6);
    }

    @Test
    void serverThatVanishesAndReturns() {
        Simulation sim = new Simulation(4, Simulation.ClockKind.SYSTEM, 0.020, 50.0, 0.0002,
                new Simulation.Net(0.001, 100e-6, 0, 0), DisciplineConfig.defaults());
        SimServer server = sim.server(0, 1, Simulation.downBetween(2 * HOUR, 3 * HOUR));
        NtpSource src = sim.addSource(server, SourceOptions.defaults().withPoll(4, 6));
        sim.start(1.0);
        sim.runFor(2.5 * HOUR);
        assertThat(src.reach()).isZero();
        assertThat(sim.manager.states().get(src)).isEqualTo(SourceState.UNSELECTABLE);
        double errDuringOutage = sim.maxAbsError(2 * HOUR);
        sim.runFor(2.5 * HOUR);
        report(sim.figures("1 server, down 2h..3h", 1e-3, 4 * HOUR));
        assertThat(src.reach()).isNotZero();
        assertThat(sim.manager.states().get(src)).isEqualTo(SourceState.SELECTED);
        assertThat(errDuringOutage).isLessThan(5e-3);
        assertThat(sim.maxAbsError(4 * HOUR)).isLessThan(500e-6);
    }

    @Test
    void makestepStepsOnceForLargeInitialOffset() {
        Simulation sim = new Simulation(5, Simulation.ClockKind.SYSTEM, 1.0, 10.0, 0,
                new Simulation.Net(0.001, 50e-6, 0, 0), DisciplineConfig.defaults().withMakestep(0.1, 3));
        sim.addSource(sim.server(0, 1, Simulation.always()), SourceOptions.defaults().withIburst(true));
        sim.start(1.0);
        sim.runFor(HOUR);
        report(sim.figures("makestep 0.1 3, 1s initial offset", 1e-3, 600));
        assertThat(sim.manager.discipline().steps()).isEqualTo(1);
        assertThat(sim.settledAfter(1e-3)).isLessThan(30);
        assertThat(sim.maxAbsError(600)).isLessThan(200e-6);
    }

    @Test
    void iburstWithMinpollZeroConvergesInSeconds() {
        Simulation sim = new Simulation(6, Simulation.ClockKind.SYSTEM, 0.5, 25.0, 0,
                new Simulation.Net(0.0005, 20e-6, 0, 0), DisciplineConfig.defaults().withMakestep(0.1, 3));
        sim.addSource(sim.server(0, 1, Simulation.always()), SourceOptions.defaults().withIburst(true).withPoll(0, 6));
        sim.start(0.5);
        sim.runFor(10);
        report(sim.figures("iburst minpoll 0, 0.5s offset", 1e-3, 10));
        assertThat(sim.manager.reference().synchronised()).isTrue();
        assertThat(sim.settledAfter(1e-3)).isLessThan(6);
        assertThat(Math.abs(sim.errorSeconds())).isLessThan(1e-3);
        sim.runFor(HOUR);
        report(sim.figures("iburst minpoll 0, after 1h", 1e-3, 600));
        assertThat(sim.rmsError(600)).isLessThan(50e-6);
    }

    @Test
    void nullDriverServesCorrectedTime() {
        // chronyd -x: the system clock is left alone, the served (corrected) time converges
        Simulation sim = new Simulation(7, Simulation.ClockKind.NULL_DRIVER, 0.5, 40.0, 0,
                new Simulation.Net(0.0005, 50e-6, 0, 0), DisciplineConfig.defaults().withMakestep(0.1, 3));
        sim.addSource(sim.server(0, 1, Simulation.always()), SourceOptions.defaults().withIburst(true).withPoll(0, 6));
        sim.start(1.0);
        sim.runFor(2 * HOUR);
        report(sim.figures("-x null driver, 0.5s, 40ppm", 1e-3, 1800));
        assertThat(sim.settledAfter(1e-3)).isLessThan(10);
        assertThat(sim.rmsError(1800)).isLessThan(50e-6);
        // tracking keeps showing the whole correction of the untouched system clock, as chronyd -x does
        double rawAhead = 0.5 + 40e-6 * sim.nowSeconds();
        assertThat(sim.manager.tracking().currentCorrectionSeconds())
                .isCloseTo(-rawAhead, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(sim.manager.tracking().freqPpm()).isCloseTo(40.0, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void poolReplacesUnreachableAndFalsetickerMembers() {
        Simulation sim = new Simulation(8, Simulation.ClockKind.SYSTEM, 0.010, 5.0, 0,
                new Simulation.Net(0.001, 100e-6, 0, 0), DisciplineConfig.defaults());
        SimServer s1 = sim.server(0, 2, Simulation.always());
        SimServer dead = sim.server(0, 2, t -> false);
        SimServer liar = sim.server(0.5, 2, Simulation.always());
        SimServer s4 = sim.server(0, 2, Simulation.always());
        SimServer s5 = sim.server(0, 2, Simulation.always());
        SimServer s6 = sim.server(0, 2, Simulation.always());
        var pool = sim.manager.addPool("pool.example", SourceOptions.defaults().withIburst(true).withMaxSources(4));
        sim.start(1.0);
        sim.runFor(60);
        assertThat(pool.members()).extracting(NtpSource::address)
                .containsExactly(s1.address, dead.address, liar.address, s4.address);
        sim.runFor(2 * HOUR);
        report(sim.figures("pool of 4: 1 dead, 1 falseticker", 1e-3, 1800));
        assertThat(pool.members()).extracting(NtpSource::address)
                .containsExactlyInAnyOrder(s1.address, s4.address, s5.address, s6.address);
        assertThat(sim.manager.sources()).hasSize(4);
        assertThat(sim.rmsError(1800)).isLessThan(100e-6);
    }

    @Test
    void failoverToTheRemainingSourceAndDispersionGrowsWhenAllAreLost() {
        Simulation sim = new Simulation(9, Simulation.ClockKind.SYSTEM, 0.005, 15.0, 0,
                new Simulation.Net(0.001, 50e-6, 0, 0), DisciplineConfig.defaults());
        SimServer s1 = sim.server(0, 1, Simulation.downBetween(3600, 1e9));
        SimServer s2 = sim.server(0, 2, Simulation.downBetween(3 * HOUR, 1e9));
        NtpSource a = sim.addSource(s1, SourceOptions.defaults().withPoll(4, 6));
        NtpSource b = sim.addSource(s2, SourceOptions.defaults().withPoll(4, 6));
        sim.start(1.0);
        sim.runFor(3000);
        assertThat(sim.manager.discipline().selected()).isSameAs(a); // lower stratum
        sim.runFor(HOUR);
        assertThat(sim.manager.states().get(a)).isEqualTo(SourceState.UNSELECTABLE);
        assertThat(sim.manager.discipline().selected()).isSameAs(b);
        assertThat(sim.manager.tracking().stratum()).isEqualTo(3);
        sim.runFor(1.5 * HOUR);
        assertThat(sim.manager.discipline().selected()).isNull();
        double disp1 = sim.manager.tracking().rootDispersionSeconds();
        sim.runFor(HOUR);
        double disp2 = sim.manager.tracking().rootDispersionSeconds();
        assertThat(disp2 - disp1).isGreaterThan(3600 * 15e-6 * 0.9); // grows at least by PHI
        report(sim.figures("failover, then all sources lost", 1e-3, 600));
        assertThat(sim.maxAbsError(600)).isLessThan(2e-3); // free-running on the learnt frequency
    }
}
