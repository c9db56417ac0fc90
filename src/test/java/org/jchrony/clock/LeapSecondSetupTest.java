package org.jchrony.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.jchrony.discipline.Discipline;
import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.discipline.LeapMode;
import org.jchrony.discipline.LeapTable;
import org.jchrony.discipline.LocalClock;
import org.jchrony.sim.SimScheduler;
import org.junit.jupiter.api.Test;

/** The daemon-side wiring: planner attached, table loaded at start and daily, TAI−UTC to the kernel. */
class LeapSecondSetupTest {
    static final long S = 1_000_000_000L;
    static final long NOW = Instant.parse("2026-11-26T12:00:00Z").getEpochSecond() * S;

    static LeapTable table(long expiryUnixSeconds) {
        return new LeapTable(List.of(new LeapTable.Leap(Instant.parse("2017-01-01T00:00:00Z").getEpochSecond(), 1, 37)),
                36, OptionalLong.of(expiryUnixSeconds), "test-list");
    }

    @Test
    void systemModeOnTheLinuxDriverLoadsDailyAndSetsTaiOffset() {
        LinuxFakeKernel kernel = new LinuxFakeKernel();
        kernel.nowNanos = NOW;
        SimScheduler sched = new SimScheduler(NOW);
        LinuxClockDriver linux = new LinuxClockDriver(kernel, new LinuxManualScheduler(),
                LinuxClockDriver.DEFAULT_MAX_SLEW_RATE_PPM, true);
        Discipline d = new Discipline(new LocalClock(linux), DisciplineConfig.defaults());
        AtomicInteger reads = new AtomicInteger();
        LeapSecondSetup setup = LeapSecondSetup.install(linux, sched, sched::now, d, LeapMode.SYSTEM, () -> {
            reads.incrementAndGet();
            return Optional.of(table(NOW / S + 365 * 86_400L));
        });
        assertThat(d.leapPlanner()).isSameAs(setup.planner());
        assertThat(setup.planner().mode()).isEqualTo(LeapMode.SYSTEM);
        assertThat(setup.planner().table().origin()).isEqualTo("test-list");
        assertThat(reads).hasValue(1);
        assertThat(kernel.requests).anyMatch(r -> r.modes() == LinuxClockDriver.ADJ_TAI && r.constant() == 37);
        sched.runUntil(NOW + 3 * LeapSecondSetup.RELOAD_INTERVAL_NANOS + S);
        assertThat(reads).hasValue(4);
        setup.stop();
        sched.runUntil(NOW + 10 * LeapSecondSetup.RELOAD_INTERVAL_NANOS);
        assertThat(reads).hasValue(4);
    }

    @Test
    void unreadableFileKeepsThePreviousTableAndNoTableMeansNoLoads() {
        SimScheduler sched = new SimScheduler(NOW);
        NullClockDriver x = new NullClockDriver(sched::now);
        Discipline d = new Discipline(new LocalClock(x), DisciplineConfig.defaults());
        AtomicInteger reads = new AtomicInteger();
        LeapSecondSetup setup = LeapSecondSetup.install(x, sched, sched::now, d, LeapMode.SYSTEM,
                () -> reads.getAndIncrement() == 0 ? Optional.of(table(NOW / S - 1)) : Optional.empty());
        assertThat(setup.planner().mode()).as("-x: the kernel cannot leap for us").isEqualTo(LeapMode.STEP);
        sched.runUntil(NOW + LeapSecondSetup.RELOAD_INTERVAL_NANOS + S);
        assertThat(reads).hasValue(2);
        assertThat(setup.planner().table()).isNotNull();

        Discipline d2 = new Discipline(new LocalClock(x), DisciplineConfig.defaults());
        LeapSecondSetup none = LeapSecondSetup.install(x, sched, sched::now, d2, LeapMode.SLEW,
                Optional.empty(), Optional.empty());
        assertThat(none.loads()).isZero();
        assertThat(none.planner().table()).isNull();
        assertThat(none.planner().mode()).isEqualTo(LeapMode.SLEW);
    }
}
