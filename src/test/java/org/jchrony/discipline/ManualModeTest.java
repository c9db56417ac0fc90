package org.jchrony.discipline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ManualModeTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_800_000_000L * S;

    @Test
    void disabledRefusesSettime() {
        ManualMode m = new ManualMode(false);
        assertThat(m.settime(T0, T0)).isEmpty();
        m.setEnabled(true);
        assertThat(m.settime(T0, T0)).isPresent();
        m.setEnabled(false);
        assertThat(m.settime(T0, T0)).isEmpty();
        assertThat(m.samples()).hasSize(1);
    }

    @Test
    void reproducesChronydsTwoSampleFrequency() {
        // chronyd 4.3: -1.04 s, then 2.014 s later -0.99 s -> "Frequency change = -491550.53ppm"
        ManualMode m = new ManualMode(true);
        var first = m.settime(T0, T0 + 1_040_000_000L).orElseThrow();
        assertThat(first.fastBySeconds()).isCloseTo(-1.04, within(1e-9));
        assertThat(first.slopePpm()).isZero();
        assertThat(first.dFreqPpm()).isZero();
        m.clockCorrected(T0, first.fastBySeconds(), first.dFreqPpm());
        assertThat(m.samples().getFirst().slewedOffsetSeconds()).isCloseTo(0, within(1e-12));
        assertThat(m.samples().getFirst().origOffsetSeconds()).isCloseTo(-1.04, within(1e-12));

        long t1 = T0 + 1_040_000_000L + 2_014_000_000L; // the cooked clock went forward by the first correction
        var second = m.settime(t1, t1 + 990_000_000L).orElseThrow();
        assertThat(second.fastBySeconds()).isCloseTo(-0.99, within(1e-9));
        assertThat(second.slopePpm()).isCloseTo(-0.99 / 2.014 * 1e6, within(0.01));
        assertThat(second.dFreqPpm()).isCloseTo(-second.slopePpm(), within(1e-9));
        m.clockCorrected(t1, second.fastBySeconds(), second.dFreqPpm());
        // after the correction both samples read as zero error, as chronyc manual list showed
        for (var s : m.samples()) assertThat(s.slewedOffsetSeconds()).isCloseTo(0, within(1e-9));
        assertThat(m.samples().get(1).origOffsetSeconds()).isCloseTo(-0.99, within(1e-12));
    }

    @Test
    void regressionResidualsAndDeleteReestimates() {
        ManualMode m = new ManualMode(true);
        // a clock running 100 ppm fast (offset grows 1e-4 s/s), one outlier of +0.5 s
        double[] offsets = {0.0, 0.01, 0.52, 0.03};
        for (int i = 0; i < offsets.length; i++) {
            long t = T0 + i * 100 * S;
            m.settime(t, t - Math.round(offsets[i] * 1e9)); // no correction applied between samples
        }
        assertThat(m.samples()).hasSize(4);
        var outlier = m.samples().get(2);
        assertThat(outlier.residualSeconds()).isGreaterThan(0.3);
        long now = T0 + 300 * S;
        var c = m.delete(2, now).orElseThrow();
        assertThat(m.samples()).hasSize(3);
        assertThat(c.slopePpm()).isCloseTo(100, within(1e-6));
        assertThat(c.fastBySeconds()).isCloseTo(0.03, within(1e-9));
        assertThat(c.dFreqPpm()).isCloseTo(-100, within(1e-6));
        for (var s : m.samples()) assertThat(s.residualSeconds()).isCloseTo(0, within(1e-9));
        assertThat(m.delete(5, now)).isEmpty();
        assertThat(m.delete(-1, now)).isEmpty();
    }

    @Test
    void keepsAtMostSixteenSamplesAndResetForgetsThem() {
        ManualMode m = new ManualMode(true);
        for (int i = 0; i < 20; i++) m.settime(T0 + i * S, T0 + i * S);
        assertThat(m.samples()).hasSize(ManualMode.MAX_SAMPLES);
        assertThat(m.samples().getFirst().whenNanos()).isEqualTo(T0 + 4 * S);
        m.reset();
        assertThat(m.samples()).isEmpty();
        assertThat(m.enabled()).isTrue();
    }

    @Test
    void samplesFollowEveryClockCorrectionMadeThroughTheDriver() {
        long[] raw = {T0};
        var clock = new org.jchrony.clock.NullClockDriver(() -> raw[0]);
        ManualMode m = new ManualMode(true);
        var driver = new SmoothingClockDriver(clock, null, m);
        var c = m.settime(T0, T0 - 2 * S).orElseThrow(); // clock 2 s fast
        driver.accrueOffset(c.fastBySeconds(), 1.0);
        assertThat(m.samples().getFirst().slewedOffsetSeconds()).isCloseTo(0, within(1e-9));
        raw[0] += 100 * S;
        // a correction made by someone else (a source update, chronyc doffset/dfreq) counts too
        driver.accrueOffset(0.25, 1.0);
        driver.setFrequencyPpm(clock.readFrequencyPpm() + 10);
        var s = m.samples().getFirst();
        assertThat(s.slewedOffsetSeconds()).isCloseTo(-0.25 - 10e-6 * 100, within(1e-6));
        assertThat(s.origOffsetSeconds()).isCloseTo(2.0, within(1e-9));
        driver.step(-1.0);
        assertThat(m.samples().getFirst().slewedOffsetSeconds()).isCloseTo(-0.25 - 10e-6 * 100 + 1.0, within(1e-6));
    }
}
