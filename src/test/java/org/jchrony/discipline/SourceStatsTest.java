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

    @Test
    void runsCriterion() {
        assertThat(SourceStats.runsOk(2, 10, 10)).isFalse();
        assertThat(SourceStats.runsOk(11, 10, 10)).isTrue();
    }
}
