package org.jchrony.discipline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SourceStatsTest {
    static final long T0 = 1_790_000_000_000_000_000L;

    static Sample sample(double tSeconds, double offsetSeconds, double delaySeconds) {
        return new Sample(T0 + Math.round(tSeconds * 1e9), offsetSeconds, delaySeconds, 1e-6, 0, 0, 1, 0);
    }

    @Test
    void exactLineGivesOffsetAndFrequency() {
        SourceStats st = new SourceStats();
        for (int i = 0; i < 10; i++) st.add(sample(i * 64, 0.001 + 5e-6 * i * 64, 0.001));
        var e = st.estimate();
        assertThat(e.freqPpm()).isCloseTo(5.0, offset(1e-6));
        assertThat(e.offsetSeconds()).isCloseTo(0.001 + 5e-6 * 9 * 64, offset(1e-9));
        assertThat(st.offsetAt(T0 + 1000_000_000_000L)).isCloseTo(0.001 + 5e-6 * 1000, offset(1e-8));
        assertThat(e.samplesUsed()).isEqualTo(10);
        assertThat(st.spanSeconds()).isEqualTo(9 * 64.0);
    }

    @Test
    void noisyLineEstimatesWithinSkew() {
        Random r = new Random(1);
        SourceStats st = new SourceStats();
        for (int i = 0; i < 40; i++) st.add(sample(i * 16, -2e-6 * i * 16 + r.nextGaussian() * 50e-6, 0.001));
        var e = st.estimate();
        assertThat(e.freqPpm()).isCloseTo(-2.0, offset(Math.max(e.skewPpm(), 0.05)));
        assertThat(e.stdDevSeconds()).isCloseTo(50e-6, offset(20e-6));
        assertThat(e.skewPpm()).isLessThan(1.0);
    }

    @Test
    void runsTestDropsSamplesBeforeAFrequencyChange() {
        SourceStats st = new SourceStats(6, 64, 0);
        Random r = new Random(2);
        // 30 samples at 0 ppm, then 30 at +20 ppm: the regression must follow the new slope
        double off = 0;
        for (int i = 0; i < 60; i++) {
            if (i >= 30) off += 20e-6 * 16;
            st.add(sample(i * 16, off + r.nextGaussian() * 5e-6, 0.001));
        }
        var e = st.estimate();
        assertThat(e.freqPpm()).isCloseTo(20.0, offset(1.0));
        assertThat(st.size()).isLessThan(45);
    }

    @Test
    void samplesWithLargerDelayWeighLess() {
        SourceStats st = new SourceStats();
        Random r = new Random(3);
        for (int i = 0; i < 30; i++) {
            boolean slow = i % 3 == 0;
            // the delayed samples are biased by half their extra delay (asymmetric queueing)
            double extra = slow ? 0.010 : 0;
            st.add(sample(i * 16, extra / 2 + r.nextGaussian() * 1e-6, 0.001 + extra));
        }
        assertThat(st.estimate().offsetSeconds()).isLessThan(0.0005);
    }

    @Test
    void correctRebasesHistory() {
        SourceStats st = new SourceStats();
        for (int i = 0; i < 10; i++) st.add(sample(i * 64, 0.002 + 3e-6 * i * 64, 0.001));
        long now = T0 + 9 * 64_000_000_000L;
        double est = st.offsetAt(now);
        st.correct(now, est, -3.0);
        assertThat(st.offsetAt(now)).isCloseTo(0, offset(1e-9));
        assertThat(st.estimate().freqPpm()).isCloseTo(0, offset(1e-6));
    }

    @Test
    void maxSamplesBoundsHistory() {
        SourceStats st = new SourceStats(6, 16, 0);
        for (int i = 0; i < 100; i++) st.add(sample(i, 0, 0.001));
        assertThat(st.size()).isEqualTo(16);
    }

    /**
     * The benchmark's references under load: one request in three held by the server for 1-20 ms
     * before it stamps its arrival, so that sample's offset is off by half its extra delay. Offsets
     * are local-ahead, so such a sample says the local clock is behind by that much.
     */
    static Sample stalledOrNot(Random r, int i, double trueOffset) {
        double jitter = r.nextExponential() * 50e-6 + r.nextExponential() * 50e-6;
        double stall = i % 3 == 1 ? 1e-3 + r.nextDouble() * 19e-3 : 0;
        double offset = trueOffset + r.nextGaussian() * 20e-6 - stall / 2;
        return sample(i * 0.25, offset, 500e-6 + jitter + stall);
    }

    @Test
    void stdDevIgnoresAFewStalledSamples() {
        // chronyd's Std Dev stayed at ~55 us on these references, ours at 200-600 us: the stalled
        // samples, however small their weights, inflated the classic weighted residual deviation
        Random r = new Random(4);
        SourceStats st = new SourceStats();
        st.setAsymmetryEstimation(false);
        for (int i = 0; i < 64; i++) st.add(stalledOrNot(r, i, 0));
        assertThat(st.estimate().stdDevSeconds()).isLessThan(80e-6);
    }

    @Test
    void oneSidedStallsAreEstimatedAsJitterAsymmetryAndCorrected() {
        SourceStats with = new SourceStats();
        SourceStats without = new SourceStats();
        with.setAsymmetryEstimation(true);
        without.setAsymmetryEstimation(false);
        Random r1 = new Random(5), r2 = new Random(5);
        for (int i = 0; i < 64; i++) {
            with.add(stalledOrNot(r1, i, 0.001));
            without.add(stalledOrNot(r2, i, 0.001));
        }
        // chronyd's sourcestats showed -0.36 .. -0.50 on the loaded benchmark references (the
        // symmetric part of the jitter pulls the fitted coefficient from -0.5 towards 0)
        assertThat(with.asymmetry()).isBetween(-0.5, -0.3);
        assertThat(without.asymmetry()).isZero();
        double errWith = Math.abs(with.estimate().offsetSeconds() - 0.001);
        double errWithout = Math.abs(without.estimate().offsetSeconds() - 0.001);
        System.out.printf("offset error with asymmetry %.1f us, without %.1f us; std dev %.1f / %.1f us%n",
                errWith * 1e6, errWithout * 1e6, with.estimate().stdDevSeconds() * 1e6,
                without.estimate().stdDevSeconds() * 1e6);
        // both near the truth: the weights already make the stalled samples count little here; the
        // fitted delay term (a mix of the one-sided stalls and the symmetric jitter) costs a little
        assertThat(errWith).isLessThan(25e-6);
        assertThat(errWithout).isLessThan(25e-6);
        assertThat(with.estimate().stdDevSeconds()).isLessThan(without.estimate().stdDevSeconds());
    }

    @Test
    void symmetricJitterIsNotTakenForAsymmetry() {
        Random r = new Random(6);
        SourceStats st = new SourceStats();
        st.setAsymmetryEstimation(true);
        for (int i = 0; i < 64; i++) {
            double req = r.nextExponential() * 300e-6, rsp = r.nextExponential() * 300e-6;
            st.add(sample(i * 0.25, (rsp - req) / 2, 500e-6 + req + rsp));
        }
        assertThat(st.asymmetry()).isZero();
    }

    @Test
    void delayDevRatioTestRejectsAStallEvenWhenItsOffsetMovedByHalfIt() {
        Random r = new Random(7);
        SourceStats st = new SourceStats();
        for (int i = 0; i < 20; i++) st.add(sample(i * 0.25, r.nextGaussian() * 20e-6, 500e-6 + r.nextExponential() * 50e-6));
        long t = T0 + Math.round(20 * 0.25e9);
        double sd = st.estimate().stdDevSeconds();
        assertThat(st.delayDevOk(500e-6 + 5 * sd, 10, t)).isTrue();
        assertThat(st.delayDevOk(500e-6 + 20 * sd, 10, t)).isFalse();
        // a 2 s stall (seen on a loaded host): rejected
        assertThat(st.delayDevOk(2.0, 10, t)).isFalse();
        // after a long gap (a 1024 s poll), the allowance grows with skew and local clock error
        long later = t + 1024_000_000_000L;
        assertThat(st.delayDevOk(500e-6 + 20 * sd, 10, later)).isTrue();
        assertThat(st.delayDevOk(500e-6 + 20 * sd, 0, t)).as("ratio 0 disables the test").isTrue();
    }

    @Test
    void firstFewSamplesAreAveragedNotExtrapolated() {
        // the benchmark, right after the initial step (re-based offsets, 4 Hz polling): the fourth
        // sample came 3.8 ms late and 1.8 ms off; the extrapolated regression moved the clock by
        // +1.3 ms, the weighted mean of so few samples (slope not significant) stays near 0
        SourceStats st = new SourceStats();
        st.add(sample(0, -400e-6, 1476e-6));
        st.add(sample(0.75, 0, 507e-6));
        st.add(sample(1.0, 0, 573e-6));
        st.add(sample(1.25, 1788e-6, 4371e-6));
        assertThat(st.offsetAt(T0 + 1_250_000_000L)).isCloseTo(0, offset(150e-6));
        // a clear slope is still followed (100 ppm over 8 s, little noise)
        SourceStats slope = new SourceStats();
        for (int i = 0; i < 5; i++) slope.add(sample(i * 2.0, 100e-6 * i * 2.0, 500e-6));
        assertThat(slope.offsetAt(T0 + 8_000_000_000L)).isCloseTo(800e-6, offset(1e-6));
    }

    @Test
    void runsCriterion() {
        assertThat(SourceStats.runsOk(2, 10, 10)).isFalse();
        assertThat(SourceStats.runsOk(11, 10, 10)).isTrue();
    }
}
