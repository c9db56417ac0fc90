package org.jchrony.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClockTest {
    static final long T0 = 1_790_000_000_000_000_000L;
    long now = T0;

    @Test
    void slewFinishesAnalyticallyAndIsCappedAtMaxSlewRate() {
        SlewState s = new SlewState(500);
        s.accrue(0.001, 1.0); // 1 ms at 100%/s -> 1000 ppm wanted, capped at 500 ppm
        assertThat(s.biasPpm()).isEqualTo(-500);
        assertThat(s.secondsToFinish()).isCloseTo(2.0, offset(1e-9));
        assertThat(s.advance(1.0)).isCloseTo(-0.0005, offset(1e-12));
        assertThat(s.remainingFastBySeconds()).isCloseTo(0.0005, offset(1e-12));
        assertThat(s.advance(5.0)).isCloseTo(-0.0005, offset(1e-12)); // finishes mid-interval
        assertThat(s.biasPpm()).isZero();
        assertThat(s.advance(5.0)).isZero();
    }

    @Test
    void simulatedClockDriftsSlewsAndSteps() {
        SimulatedClock c = new SimulatedClock(() -> now, 0.1, 50, 0, 83333.333,
                RandomGeneratorFactory.of("L64X128MixRandom").create(1));
        now += 10_000_000_000L;
        assertThat(c.rawErrorSeconds()).isCloseTo(0.1 + 500e-6, offset(1e-9));
        c.setFrequencyPpm(-50);
        c.accrueOffset(0.1 + 500e-6, 10);
        // cooked time is corrected at once; the raw clock follows within ~1.2 s at max slew rate
        assertThat(c.cookedErrorSeconds()).isCloseTo(0, offset(1e-9));
        now += 2_000_000_000L;
        assertThat(c.rawErrorSeconds()).isCloseTo(0, offset(1e-9));
        assertThat(c.offsetCorrectionSeconds(c.readRawNanos())).isZero();
        c.step(-0.25); // clock 0.25 s behind -> stepped forward
        assertThat(c.rawErrorSeconds()).isCloseTo(0.25, offset(1e-9));
        assertThat(c.steps()).isEqualTo(1);
    }

    @Test
    void stepFoldsPendingSlewSoCookedTimeMovesByTheStep() {
        SimulatedClock c = new SimulatedClock(() -> now, 0.0, 0, 0, 500,
                RandomGeneratorFactory.of("L64X128MixRandom").create(1));
        c.accrueOffset(0.2, 0.01);
        double cooked = c.cookedErrorSeconds();
        c.step(0.0); // chronyc makestep
        assertThat(c.cookedErrorSeconds()).isCloseTo(cooked, offset(1e-12));
        assertThat(c.rawErrorSeconds()).isCloseTo(-0.2, offset(1e-12));
    }

    @Test
    void nullDriverAccumulatesCorrections() {
        NullClockDriver d = new NullClockDriver(() -> now);
        d.accrueOffset(0.5, 1);
        assertThat(d.offsetCorrectionSeconds(now)).isCloseTo(-0.5, offset(1e-12));
        d.setFrequencyPpm(100);
        now += 100_000_000_000L;
        assertThat(d.offsetCorrectionSeconds(now)).isCloseTo(-0.5 + 0.01, offset(1e-12));
        assertThat(d.correctedNanos(now) - now).isEqualTo(-490_000_000L);
        d.step(0.0);
        assertThat(d.offsetCorrectionSeconds(now)).isCloseTo(-0.49, offset(1e-12));
        assertThat(d.controlsSystemClock()).isFalse();
    }

    @Test
    void driftfileRoundTripsAtomically(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("chrony.drift");
        Driftfile f = new Driftfile(p);
        assertThat(f.read()).isEmpty();
        f.write(new Driftfile.Drift(-12.345678, 0.123));
        assertThat(f.read()).contains(new Driftfile.Drift(-12.345678, 0.123));
        assertThat(Files.list(dir).toList()).containsExactly(p);
        Files.writeString(p, "          1.234567             0.050000\n"); // chronyd's layout
        assertThat(f.read()).contains(new Driftfile.Drift(1.234567, 0.05));
        Files.writeString(p, "garbage\n");
        assertThat(f.read()).isEmpty();
    }
}
