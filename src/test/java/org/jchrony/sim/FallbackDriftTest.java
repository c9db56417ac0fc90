package org.jchrony.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.discipline.FallbackDrift;
import org.jchrony.source.SourceOptions;
import org.junit.jupiter.api.Test;

/**
 * fallbackdrift in the simulator: the host's clock is 30 ppm fast; just before its only server
 * vanishes, the frequency correction is knocked 3 ppm off (a short-term deviation, as a
 * temperature swing would cause). With {@code fallbackdrift 6 8} the long-term average replaces it
 * 64 s after the last update and the clock becomes unsynchronised, as chronyd does; without it the
 * 3 ppm error stays for the whole outage. When the server returns the fallbacks are reset.
 */
class FallbackDriftTest {
    private static final double OUTAGE_START = 1200;
    private static final double OUTAGE_END = 2300;

    private record Run(Simulation sim, FallbackDrift fallback) {}

    private static Run run(boolean withFallback) {
        Simulation sim = new Simulation(5, Simulation.ClockKind.SYSTEM, 0.01, 30.0, 0,
                new Simulation.Net(0.0005, 100e-6, 0, 0), DisciplineConfig.defaults());
        FallbackDrift fb = null;
        if (withFallback) {
            fb = new FallbackDrift(sim.scheduler, sim.manager.discipline(), 6, 8);
            sim.manager.addReferenceListener(fb);
        }
        sim.addSource(sim.server(0, 1, Simulation.downBetween(OUTAGE_START, OUTAGE_END)),
                SourceOptions.defaults().withPoll(4, 4));
        sim.start(1.0);
        sim.runFor(OUTAGE_START - 0.5);
        // the last update has been made (polls every 16 s): a 3 ppm deviation just before the outage
        sim.manager.adjustClock(0, 3.0);
        return new Run(sim, fb);
    }

    @Test
    void fallbackReplacesAShortTermDeviationAndUnsynchronises() {
        Run with = run(true);
        Run without = run(false);
        assertThat(with.fallback().complete(6)).isTrue();
        assertThat(with.fallback().complete(8)).as("2 x 256 s of updates before the outage").isTrue();
        assertThat(with.fallback().averagePpm(8)).as("average correction ~ -30 ppm").isCloseTo(-30.0,
                org.assertj.core.data.Offset.offset(1.0));
        assertThat(Math.abs(with.sim().freqErrorPpm())).as("knocked off").isGreaterThan(2.5);

        with.sim().runFor(20);
        assertThat(with.sim().manager.discipline().reference().synchronised()).as("before 2^6 s").isTrue();
        with.sim().runFor(70); // now > 64 s after the last update, < 128 s
        without.sim().runFor(90);
        System.out.printf("[sim] fallbackdrift: freq error %.3f ppm with, %.3f ppm without%n",
                with.sim().freqErrorPpm(), without.sim().freqErrorPpm());
        assertThat(Math.abs(with.sim().freqErrorPpm())).as("fallback 6 in use").isLessThan(0.5);
        assertThat(Math.abs(without.sim().freqErrorPpm())).as("no fallback").isGreaterThan(2.5);
        assertThat(with.sim().manager.discipline().reference().synchronised()).isFalse();
        assertThat(with.sim().manager.tracking().stratum()).isZero();
        assertThat(with.fallback().next()).as("fallback 7 scheduled").isEqualTo(7);

        with.sim().runFor(300); // past 2^8 s: the last fallback is in use, nothing more scheduled
        assertThat(with.fallback().next()).isEqualTo(8);
        assertThat(Math.abs(with.sim().freqErrorPpm())).isLessThan(0.5);

        // the server comes back: synchronised again, fallbacks reset
        with.sim().runFor(OUTAGE_END - with.sim().nowSeconds() + 120);
        assertThat(with.sim().manager.discipline().reference().synchronised()).isTrue();
        assertThat(with.fallback().next()).as("back to scheduling the first fallback").isEqualTo(6);
        double errorAfterOutage = Math.abs(with.sim().errorSeconds());
        assertThat(errorAfterOutage).isLessThan(0.01);
    }

    @Test
    void disabledUnlessMaxAtLeastMinAndMinPositive() {
        assertThat(FallbackDrift.enabled(16, 19)).isTrue();
        assertThat(FallbackDrift.enabled(0, 0)).isFalse();
        assertThat(FallbackDrift.enabled(0, 19)).isFalse();
        assertThat(FallbackDrift.enabled(19, 16)).isFalse();
        // not range-checked by the parser: huge values are capped rather than refused at start-up
        var sim = new Simulation(1, Simulation.ClockKind.NULL_DRIVER, 0, 0, 0, new Simulation.Net(0.001, 0, 0, 0),
                DisciplineConfig.defaults());
        var huge = new FallbackDrift(sim.scheduler, sim.manager.discipline(), 40, 50);
        assertThat(huge.next()).isZero();
        assertThat(huge.complete(30)).isFalse();
    }
}
