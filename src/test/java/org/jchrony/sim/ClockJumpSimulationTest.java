package org.jchrony.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.jchrony.daemon.ClockJumpWatch;
import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.source.NtpSource;
import org.jchrony.source.SourceOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The system clock stepped under the daemon's feet (someone runs {@code date -s}; the daemon is not
 * told), in the simulator, with the daemon's own {@link ClockJumpWatch} wired as DaemonCore wires it
 * (checked once a second and before each upstream response). Asserted, as chronyd behaves: the jump
 * is detected once, the sources forget their samples, the discipline's frequency estimate is not
 * corrupted by a regression across the jump, and the time the host shows (system clock, or the
 * served time under -x) is correct again within a few polls. The same run without the watch is
 * printed beside it, for comparison (figures for docs/ROBUSTNESS.md).
 */
class ClockJumpSimulationTest {
    private static final double HOUR = 3600;
    private static final double STEP_AT = 2 * HOUR + 7.3;

    private record Outcome(long jumps, double maxFreqErrAfterPpm, double maxErrorLateSeconds, double settledSecondsAfterStep,
                           double freqErrBeforePpm, long samplesJustAfter) {}

    private static Outcome run(Simulation.ClockKind kind, double stepSeconds, boolean watch) {
        Simulation sim = new Simulation(11, kind, 0.010, 20.0, 0,
                new Simulation.Net(0.001, 50e-6, 0, 0), DisciplineConfig.defaults().withMakestep(0.1, 3));
        NtpSource src = sim.addSource(sim.server(0, 1, Simulation.always()),
                SourceOptions.defaults().withIburst(true).withPoll(4, 6));
        ClockJumpWatch w = new ClockJumpWatch(sim.jumpDetector, sim::monotonicNanos, sim.manager::resetSources);
        if (watch) {
            sim.beforeResponse = w::admitResponse;
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                w.check();
                sim.scheduler.schedule(1_000_000_000L, tick[0]);
            };
            sim.scheduler.schedule(1_000_000_000L, tick[0]);
        }
        sim.start(1.0);
        sim.runFor(STEP_AT);
        double freqBefore = Math.abs(sim.freqErrorPpm());
        sim.stepSystemClockExternally(stepSeconds);
        sim.runFor(2.0);
        long samplesJustAfter = src.stats().size();
        sim.runFor(HOUR);
        double maxFreqAfter = sim.trace().stream().filter(p -> p.tSeconds() > STEP_AT)
                .mapToDouble(p -> Math.abs(p.freqErrorPpm())).max().orElseThrow();
        double settled = sim.settledAfter(1e-3) - STEP_AT;
        String line = String.format(Locale.ROOT,
                "[sim] clock stepped %+.1f s under the daemon (%s, watch %s): jumps %d, |freq err| before %.3f ppm, "
                        + "max after %.3f ppm, back within 1 ms after %.0f s, max |err| in the last 30 min %.1f us",
                stepSeconds, kind, watch ? "on" : "off", w.jumps(), freqBefore, maxFreqAfter, settled,
                sim.maxAbsError(STEP_AT + 1800) * 1e6);
        System.out.println(line);
        return new Outcome(w.jumps(), maxFreqAfter, sim.maxAbsError(STEP_AT + 1800), settled, freqBefore, samplesJustAfter);
    }

    @ParameterizedTest
    @CsvSource({"SYSTEM, 1.0", "SYSTEM, -1.0", "NULL_DRIVER, 1.0", "NULL_DRIVER, -0.5"})
    void externalStepIsDetectedSamplesAreResetAndTimeRecovers(Simulation.ClockKind kind, double stepSeconds) {
        Outcome without = run(kind, stepSeconds, false);
        Outcome with = run(kind, stepSeconds, true);

        assertThat(with.jumps()).isEqualTo(1);
        assertThat(without.jumps()).isZero();
        // the sources forgot the samples from before the jump
        assertThat(with.samplesJustAfter()).isLessThanOrEqualTo(1);
        assertThat(with.freqErrBeforePpm()).isLessThan(0.2);
        // the frequency estimate is not dragged by the jump
        assertThat(with.maxFreqErrAfterPpm()).isLessThan(0.1);
        // correct time again within a few polls (64 s) and stays there
        assertThat(with.settledSecondsAfterStep()).isLessThan(300);
        assertThat(with.maxErrorLateSeconds()).isLessThan(200e-6);
    }
}
