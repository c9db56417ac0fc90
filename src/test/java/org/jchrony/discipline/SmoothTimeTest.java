package org.jchrony.discipline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.jchrony.clock.NullClockDriver;
import org.junit.jupiter.api.Test;

class SmoothTimeTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    @Test
    void inactiveUntilSkewIsSmallOrActivated() {
        SmoothTime st = new SmoothTime(400, 0.001, false, T0);
        st.clockAdjusted(T0, 0.5, 0);
        assertThat(st.active()).isFalse();
        assertThat(st.offsetSeconds(T0)).isZero();
        st.referenceUpdated(T0, 20.0); // 20 ppm / 10000 > 0.001 ppm/s
        assertThat(st.active()).isFalse();
        st.referenceUpdated(T0, 9.0);
        assertThat(st.active()).isTrue();
        assertThat(st.state(T0).offsetSeconds()).isZero();
    }

    @Test
    void reproducesChronydsRemainingTime() {
        // chronyd 4.3 showed offset -3.592 us, frequency -0.613085 ppm, wander +0.001, remaining 1488.4 s
        SmoothTime st = new SmoothTime(400, 0.001, false, T0);
        st.activate(T0);
        st.clockAdjusted(T0, -3.592e-6, 0.613085);
        SmoothTimeState s = st.state(T0);
        assertThat(s.offsetSeconds()).isCloseTo(-3.592e-6, within(1e-12));
        assertThat(s.freqPpm()).isCloseTo(-0.613085, within(1e-9));
        assertThat(s.wanderPpmPerSecond()).isCloseTo(0.001, within(1e-12));
        assertThat(s.remainingSeconds()).isCloseTo(1488.4, within(0.5));
    }

    @Test
    void largeOffsetIsWorkedOffWithinLimitsAndEndsAtZero() {
        double maxFreqPpm = 400;
        double maxWander = 0.01;
        SmoothTime st = new SmoothTime(maxFreqPpm, maxWander, false, T0);
        st.activate(T0);
        st.clockAdjusted(T0, 1.0, 0); // the clock went back 1 s: clients stay ahead, then converge
        double remaining = st.state(T0).remainingSeconds();
        // accelerate 40000 s to 400 ppm would cover 8 s > 1 s, so two pieces: peak = sqrt(W*1)
        double peak = Math.sqrt(maxWander * 1e-6 * 1.0);
        assertThat(remaining).isCloseTo(2 * peak / (maxWander * 1e-6), within(1e-3));
        double prevOffset = 1.0;
        double prevFreq = 0;
        for (long t = 0; t <= (long) remaining + 10; t += 100) {
            SmoothTimeState s = st.state(T0 + t * S);
            assertThat(Math.abs(s.freqPpm())).isLessThanOrEqualTo(maxFreqPpm + 1e-9);
            assertThat(s.offsetSeconds()).isLessThanOrEqualTo(prevOffset + 1e-12); // monotonic, no overshoot
            assertThat(s.offsetSeconds()).isGreaterThanOrEqualTo(-1e-9);
            if (t > 0) assertThat(Math.abs(s.freqPpm() - prevFreq)).isLessThanOrEqualTo(maxWander * 100 + 1e-9);
            prevOffset = s.offsetSeconds();
            prevFreq = s.freqPpm();
        }
        SmoothTimeState end = st.state(T0 + ((long) remaining + 1) * S);
        assertThat(end.offsetSeconds()).isZero();
        assertThat(end.freqPpm()).isZero();
        assertThat(end.remainingSeconds()).isZero();
    }

    @Test
    void threePiecesWhenTheFrequencyLimitIsReached() {
        SmoothTime st = new SmoothTime(10, 0.01, false, T0);
        st.activate(T0);
        st.clockAdjusted(T0, -0.1, 0);
        // 1000 s to reach 10 ppm (covering 5 ms), cruise, 1000 s back: 2000 + (0.1 - 0.01) / 1e-5 s
        assertThat(st.state(T0).remainingSeconds()).isCloseTo(2000 + 9000, within(1e-3));
        SmoothTimeState mid = st.state(T0 + 5000 * S);
        assertThat(mid.freqPpm()).isCloseTo(10, within(1e-9));
        assertThat(mid.wanderPpmPerSecond()).isZero();
        assertThat(mid.offsetSeconds()).isCloseTo(-0.1 + 0.005 + 4000 * 1e-5, within(1e-9));
    }

    @Test
    void continuityAcrossUpdatesAndResetOnStep() {
        SmoothTime st = new SmoothTime(400, 0.001, false, T0);
        st.activate(T0);
        st.clockAdjusted(T0, 0.01, 0.2);
        double before = st.offsetSeconds(T0 + 30 * S);
        double freqBefore = st.freqPpm(T0 + 30 * S);
        st.clockAdjusted(T0 + 30 * S, 0.002, -0.05);
        assertThat(st.offsetSeconds(T0 + 30 * S)).isCloseTo(before + 0.002, within(1e-12));
        assertThat(st.freqPpm(T0 + 30 * S)).isCloseTo(freqBefore + 0.05, within(1e-9));
        assertThat(st.state(T0 + 31 * S).lastUpdateAgoSeconds()).isCloseTo(1.0, within(1e-9));
        st.clockStepped(T0 + 40 * S);
        assertThat(st.active()).isTrue();
        assertThat(st.offsetSeconds(T0 + 41 * S)).isZero();
        st.clockAdjusted(T0 + 50 * S, 0.5, 0);
        st.reset(T0 + 51 * S);
        assertThat(st.active()).isTrue();
        assertThat(st.state(T0 + 51 * S).remainingSeconds()).isZero();
    }

    @Test
    void leapOnlyIgnoresOrdinaryCorrectionsButSmoothsLeapSeconds() {
        SmoothTime st = new SmoothTime(400, 0.001024, true, T0);
        st.activate(T0);
        st.clockAdjusted(T0, 0.3, 5);
        assertThat(st.offsetSeconds(T0)).isZero();
        st.leapSecond(T0, 1);
        // chrony.conf(5): with 0.001024 ppm/s the leap smear takes sqrt(4 / wander) = 62500 s
        assertThat(st.state(T0).remainingSeconds()).isCloseTo(62500, within(1e-3));
        assertThat(st.offsetSeconds(T0 + 31250 * S)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void servedTimeThroughTheDriverStaysContinuousWhileTheClockIsCorrected() {
        long[] now = {T0};
        NullClockDriver clock = new NullClockDriver(() -> now[0]);
        SmoothTime st = new SmoothTime(400, 0.001, false, T0);
        SmoothingClockDriver driver = new SmoothingClockDriver(clock, st);
        st.activate(T0);
        long servedBefore = served(driver, st, now[0]);
        driver.accrueOffset(0.25, 1.0); // the cooked time jumps back 0.25 s
        driver.setFrequencyPpm(3.0);
        assertThat(served(driver, st, now[0]) - servedBefore).isBetween(-1L, 1L);
        // ... and converges to the cooked time without exceeding the limits
        double remaining = st.state(now[0]).remainingSeconds();
        now[0] += (long) ((remaining + 1) * S);
        long raw = now[0];
        assertThat(served(driver, st, raw)).isEqualTo(raw + Math.round(clock.offsetCorrectionSeconds(raw) * 1e9));
        driver.step(1.0);
        assertThat(st.state(now[0]).offsetSeconds()).isZero();
    }

    @Test
    void leapSecondAppliedByThePlannerIsSmoothedAndAStepOfItDoesNotReset() {
        long[] now = {T0};
        NullClockDriver clock = new NullClockDriver(() -> now[0]);
        SmoothTime st = new SmoothTime(400, 0.001024, true, T0);
        SmoothingClockDriver driver = new SmoothingClockDriver(clock, st);
        boolean[] leap = {false};
        driver.setLeapInProgress(() -> leap[0]);
        st.activate(T0);
        driver.accrueOffset(1.0, 1.0); // not a leap: ignored with leaponly
        assertThat(st.offsetSeconds(T0)).isZero();
        leap[0] = true;
        driver.accrueOffset(1.0, 1.0); // leapsecmode slew, inserted second
        assertThat(st.offsetSeconds(T0)).isEqualTo(1.0);
        now[0] += 1000 * S;
        driver.step(-1.0); // leapsecmode step of a deleted second: smoothed, not a reset
        assertThat(st.offsetSeconds(now[0])).isCloseTo(1.0 - 1.0 - 0.5 * 0.001024e-6 * 1000 * 1000, within(1e-9));
        leap[0] = false;
        driver.step(0.3);
        assertThat(st.offsetSeconds(now[0])).isZero();
    }

    private static long served(SmoothingClockDriver d, SmoothTime st, long raw) {
        return raw + Math.round((d.offsetCorrectionSeconds(raw) + st.offsetSeconds(raw)) * 1e9);
    }
}
