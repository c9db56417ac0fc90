package org.jchrony.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jchrony.daemon.ClockJumpWatch;
import org.junit.jupiter.api.Test;

/** {@link ClockJumpDetector} and {@link ClockJumpWatch} with injected real-time and monotonic clocks. */
class ClockJumpDetectorTest {
    private static final long T0 = 1_790_000_000_000_000_000L;
    private final AtomicLong mono = new AtomicLong(5_000_000_000L);
    private final AtomicLong realMinusMono = new AtomicLong(T0);

    private long real() {
        return mono.get() + realMinusMono.get();
    }

    private void advance(double seconds) {
        mono.addAndGet(Math.round(seconds * 1e9));
    }

    private void stepReal(double seconds) {
        realMinusMono.addAndGet(Math.round(seconds * 1e9));
    }

    private ClockJumpDetector detector() {
        return new ClockJumpDetector(this::real, mono::get, 0.010, 0.0);
    }

    @Test
    void steadyClocksAndSmallChangesAreNotJumps() {
        ClockJumpDetector d = detector();
        for (int i = 0; i < 100; i++) {
            advance(1.0);
            stepReal(0.0005); // 0.5 ms: below the threshold
            assertThat(d.check()).isEmpty();
        }
    }

    @Test
    void forwardAndBackwardStepsAreReportedOnceWithTheirSize() {
        ClockJumpDetector d = detector();
        advance(0.3);
        stepReal(+2.5);
        OptionalDouble j = d.check();
        assertThat(j).isPresent();
        assertThat(j.getAsDouble()).isCloseTo(2.5, within(1e-6));
        advance(1);
        assertThat(d.check()).isEmpty();
        stepReal(-0.02);
        assertThat(d.check().getAsDouble()).isCloseTo(-0.02, within(1e-6));
    }

    @Test
    void ownStepsThroughTheWatchedDriverAreNotJumpsButAnEarlierJumpIsStillReported() {
        ClockJumpDetector d = detector();
        List<Double> steps = new ArrayList<>();
        ClockDriver stepsTheRealClock = new StepRecorder(steps);
        ClockDriver watched = d.watching(stepsTheRealClock);
        advance(1);
        watched.step(0.7); // our own step: the real clock moves by -0.7 s
        advance(1);
        assertThat(d.check()).isEmpty();
        assertThat(steps).containsExactly(0.7);

        stepReal(3.0); // someone else, then our own step before the next check
        watched.step(-0.1);
        OptionalDouble j = d.check();
        assertThat(j).isPresent();
        assertThat(j.getAsDouble()).isCloseTo(3.0, within(1e-6));
        assertThat(d.check()).isEmpty();
    }

    /** A driver that steps the fake real-time clock. */
    private final class StepRecorder implements ClockDriver {
        private final List<Double> steps;

        StepRecorder(List<Double> steps) {
            this.steps = steps;
        }

        @Override public long readRawNanos() { return real(); }
        @Override public double readFrequencyPpm() { return 0; }
        @Override public long setFrequencyPpm(double freqPpm) { return real(); }
        @Override public long accrueOffset(double fastBySeconds, double correctionRate) { return real(); }

        @Override
        public long step(double fastBySeconds) {
            steps.add(fastBySeconds);
            stepReal(-fastBySeconds);
            return real();
        }

        @Override public double offsetCorrectionSeconds(long rawNanos) { return 0; }
        @Override public long setLeap(int leap) { return real(); }
        @Override public void setSyncStatus(boolean s, double e, double m) {}
        @Override public double maxFrequencyPpm() { return 500; }
        @Override public boolean controlsSystemClock() { return true; }
    }

    @Test
    void theKernelsLeapSecondAtMidnightIsNotAJump() {
        // 2026-12-31T23:59:59.5Z as realtime
        long midnight = 1_798_761_600_000_000_000L;
        realMinusMono.set(midnight - 500_000_000L - mono.get());
        ClockJumpDetector d = detector();
        advance(1.0); // 00:00:00.5 ...
        stepReal(-1.0); // ... and the inserted second takes it back
        assertThat(d.check()).isEmpty();
        // the same step at noon is a jump
        advance(43_200);
        stepReal(-1.0);
        assertThat(d.check()).isPresent();
    }

    @Test
    void aPreemptedReadDoesNotFakeAJump() {
        // in each check the thread is preempted for 50 ms between the first real-time read and the
        // monotonic read after it
        AtomicInteger calls = new AtomicInteger(-100);
        ClockJumpDetector d = new ClockJumpDetector(this::real, () -> {
            if (calls.getAndIncrement() == 1) advance(0.050);
            return mono.get();
        }, 0.010, 0.0);
        for (int i = 0; i < 10; i++) {
            advance(1);
            calls.set(0);
            assertThat(d.check()).isEmpty();
            assertThat(calls.get()).isGreaterThan(2); // it read again
        }
    }

    @Test
    void theWatchResetsTheSourcesAndQuarantinesResponsesForTwoSeconds() {
        ClockJumpDetector d = detector();
        AtomicInteger resets = new AtomicInteger();
        ClockJumpWatch w = new ClockJumpWatch(d, mono::get, resets::incrementAndGet);
        advance(1);
        assertThat(w.admitResponse()).isTrue();
        stepReal(-5);
        assertThat(w.admitResponse()).isFalse();
        assertThat(resets.get()).isEqualTo(1);
        advance(1.5);
        assertThat(w.admitResponse()).isFalse();
        advance(0.6);
        assertThat(w.admitResponse()).isTrue();
        assertThat(w.check()).isFalse();
        assertThat(w.jumps()).isEqualTo(1);
        assertThat(resets.get()).isEqualTo(1);
    }
}
