package org.jchrony.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.jchrony.clock.Driftfile;
import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.source.SourceOptions;
import org.junit.jupiter.api.Test;

/**
 * Frequency updates combine the frequency in use with each new estimate, weighted by their skews
 * (as chronyd's reference update does): a good driftfile frequency is not thrown away for an
 * estimate from a few noisy samples, while a wrong one (or none) is still corrected quickly.
 */
class FrequencyWeightingTest {
    private static final double MINUTE = 60;

    /** -x (null driver) host whose clock is 50 ppm fast, 1 ms exponential jitter, default polling. */
    private static Simulation noisyHost(long seed) {
        return new Simulation(seed, Simulation.ClockKind.NULL_DRIVER, 0.005, 50.0, 0,
                new Simulation.Net(0.001, 1e-3, 0, 0), DisciplineConfig.defaults());
    }

    private static void report(String line) {
        System.out.println("[sim] " + line);
    }

    @Test
    void goodDriftfileFrequencyIsNotReplacedByAFewNoisySamples() {
        for (long seed = 11; seed < 16; seed++) {
            Simulation sim = noisyHost(seed);
            // the driftfile knows the clock is 50 ppm fast, to 0.05 ppm
            sim.manager.discipline().loadDrift(new Driftfile.Drift(50.0, 0.05));
            sim.addSource(sim.server(0, 1, Simulation.always()), SourceOptions.defaults());
            sim.start(1.0);
            sim.runFor(20 * MINUTE);
            report(sim.figures("driftfile right, seed " + seed, 1e-3, 0));
            assertThat(sim.manager.discipline().updates()).as("updates").isGreaterThanOrEqualTo(4);
            assertThat(sim.maxAbsFreqError(0)).as("max |freq error| ppm, seed %d", seed).isLessThan(3.0);
        }
    }

    @Test
    void withoutDriftfileAFrequencyErrorIsStillCorrectedQuickly() {
        Simulation sim = noisyHost(21);
        sim.addSource(sim.server(0, 1, Simulation.always()), SourceOptions.defaults().withPoll(-2, 0));
        sim.start(1.0);
        sim.runFor(10 * MINUTE);
        report(sim.figures("no driftfile, 50 ppm", 1e-3, 5 * MINUTE));
        assertThat(sim.rmsFreqError(5 * MINUTE)).as("rms freq error after 5 min, ppm").isLessThan(2.0);
        assertThat(sim.settledAfter(1e-3)).isLessThan(2 * MINUTE);
    }

    @Test
    void aConfidentButWrongDriftfileIsOvercome() {
        Simulation sim = noisyHost(31);
        // the driftfile claims 30 ppm +/- 0.05: 20 ppm wrong
        sim.manager.discipline().loadDrift(new Driftfile.Drift(30.0, 0.05));
        sim.addSource(sim.server(0, 1, Simulation.always()), SourceOptions.defaults().withPoll(-2, 0));
        sim.start(1.0);
        sim.runFor(15 * MINUTE);
        report(sim.figures("driftfile 20 ppm wrong", 1e-3, 3 * MINUTE));
        assertThat(sim.rmsFreqError(3 * MINUTE)).as("rms freq error after 3 min, ppm").isLessThan(2.0);
        assertThat(sim.maxAbsError(3 * MINUTE)).isLessThan(1e-3);
    }
}
