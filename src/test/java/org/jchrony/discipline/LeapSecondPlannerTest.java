package org.jchrony.discipline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToIntFunction;
import java.util.random.RandomGeneratorFactory;
import org.jchrony.clock.ClockDriver;
import org.jchrony.clock.NullClockDriver;
import org.jchrony.clock.SimulatedClock;
import org.jchrony.sim.SimScheduler;
import org.junit.jupiter.api.Test;

/**
 * The leap second of 2016-12-31 23:59:60 UTC, lived through in simulated time by the whole
 * discipline (a stratum-1 source that announces it, or a leap table, the Discipline, the planner
 * and a simulated system clock), once per {@code leapsecmode}. True UTC is modelled the way the
 * system clock represents it: Unix time repeats 23:59:59→00:00:00 (one second back at midnight).
 */
class LeapSecondPlannerTest {
    static final long S = 1_000_000_000L;
    static final long MIDNIGHT = Instant.parse("2017-01-01T00:00:00Z").getEpochSecond() * S;
    static final long DEC31 = Instant.parse("2016-12-31T00:00:00Z").getEpochSecond() * S;
    static final long START = Instant.parse("2016-12-30T20:00:00Z").getEpochSecond() * S;
    static final long POLL = 64 * S;

    /** A system clock whose "kernel" inserts/deletes the second when STA_INS/STA_DEL is set, recording setLeap calls. */
    static final class KernelClock implements ClockDriver {
        final SimulatedClock inner;
        final SimScheduler sched;
        final List<long[]> setLeapCalls = new ArrayList<>(); // {true time, leap}
        int leap;
        long kernelOffsetNanos;
        int kernelLeaps;

        KernelClock(SimulatedClock inner, SimScheduler sched) {
            this.inner = inner;
            this.sched = sched;
        }

        private void kernelTick() {
            long r = inner.readRawNanos() + kernelOffsetNanos;
            long dayEnd = (Math.floorDiv(r, 86_400 * S) + 1) * 86_400 * S;
            // Linux: insert = clock steps back 1 s when it reaches midnight; delete = forward at 23:59:59
            if (leap == 1 && kernelLeaps == 0 && r >= MIDNIGHT) {
                kernelOffsetNanos -= S;
                kernelLeaps++;
            } else if (leap == -1 && kernelLeaps == 0 && r >= MIDNIGHT - S && dayEnd == MIDNIGHT) {
                kernelOffsetNanos += S;
                kernelLeaps++;
            }
        }

        @Override public long readRawNanos() {
            kernelTick();
            return inner.readRawNanos() + kernelOffsetNanos;
        }
        @Override public double readFrequencyPpm() { return inner.readFrequencyPpm(); }
        @Override public long setFrequencyPpm(double f) { inner.setFrequencyPpm(f); return readRawNanos(); }
        @Override public long accrueOffset(double fastBy, double rate) { inner.accrueOffset(fastBy, rate); return readRawNanos(); }
        @Override public long step(double fastBy) { kernelTick(); inner.step(fastBy); return readRawNanos(); }
        @Override public double offsetCorrectionSeconds(long raw) { return inner.offsetCorrectionSeconds(raw); }
        @Override public long setLeap(int l) {
            kernelTick();
            setLeapCalls.add(new long[] {sched.now(), l});
            leap = l;
            return readRawNanos();
        }
        @Override public void setSyncStatus(boolean s, double e, double m) { inner.setSyncStatus(s, e, m); }
        @Override public double maxFrequencyPpm() { return inner.maxFrequencyPpm(); }
        @Override public boolean controlsSystemClock() { return true; }
    }

    static final class Source implements SelectableSource {
        final SourceStats stats = new SourceStats();
        @Override public String name() { return "ptb"; }
        @Override public int refId() { return 0x50505300; }
        @Override public InetAddress address() { return null; }
        @Override public SourceStats stats() { return stats; }
        @Override public int reach() { return 0xff; }
        @Override public boolean reachable() { return true; }
        @Override public boolean prefer() { return false; }
        @Override public boolean noselect() { return false; }
        @Override public boolean trust() { return false; }
        @Override public boolean require() { return false; }
        @Override public int minStratum() { return 0; }
    }

    /** One run across the leap second. */
    static final class Run {
        final SimScheduler sched = new SimScheduler(START);
        final SimulatedClock sim;
        final KernelClock clock;
        final Discipline discipline;
        final LeapSecondPlanner planner;
        final Source source = new Source();
        final List<long[]> announced = new ArrayList<>(); // {true time, leap}
        final int delta;
        final LongToIntFunction sourceLeap;
        final List<double[]> trace = new ArrayList<>(); // {seconds from midnight, clock error, cooked error}
        int samplesSkipped;

        /**
         * @param delta      +1: the day ends 23:59:60 (true UTC repeats a second); −1: 23:59:59 is skipped; 0: no leap
         * @param sourceLeap leap indicator the source sends at a true time
         */
        Run(LeapMode mode, int delta, LongToIntFunction sourceLeap, LeapTable table) {
            this.delta = delta;
            this.sourceLeap = sourceLeap;
            sim = new SimulatedClock(sched::now, 0.002, 12.0, 0, 83333.333,
                    RandomGeneratorFactory.of("L64X128MixRandom").create(7));
            clock = new KernelClock(sim, sched);
            discipline = new Discipline(new LocalClock(clock), DisciplineConfig.defaults());
            planner = new LeapSecondPlanner(clock, sched, mode);
            planner.setTable(table);
            discipline.setLeapPlanner(planner);
            discipline.addListener(r -> announced.add(new long[] {sched.now(), r.leap()}));
        }

        /** True UTC as the system clock should show it (Unix time with the leap second folded in). */
        long utcNanos(long t) {
            if (delta == 0) return t;
            if (delta > 0) return t >= MIDNIGHT ? t - S : t;
            return t >= MIDNIGHT - S ? t + S : t;
        }

        long cooked() {
            long raw = clock.readRawNanos();
            return raw + Math.round(clock.offsetCorrectionSeconds(raw) * 1e9);
        }

        double clockError() {
            return (clock.readRawNanos() - utcNanos(sched.now())) * 1e-9;
        }

        double cookedError() {
            return (cooked() - utcNanos(sched.now())) * 1e-9;
        }

        void poll() {
            long t = sched.now();
            long cooked = cooked();
            // the source layer's part (chronyd drops samples this close to a leap second)
            if (planner.isLeapSecondClose(cooked)) {
                samplesSkipped++;
            } else {
                double localFast = (cooked - utcNanos(t)) * 1e-9;
                source.stats.add(new Sample(cooked, localFast, 0.0005, 1e-6, 0, 1e-5, 1, sourceLeap.applyAsInt(t)));
                discipline.sampleAdded(source, List.of(source));
            }
            sched.schedule(POLL, this::poll);
        }

        /** Every 0.25 s from 40 s before to 40 s after midnight, then every 10 s. */
        void probe() {
            trace.add(new double[] {(sched.now() - MIDNIGHT) * 1e-9, clockError(), cookedError()});
            long t = sched.now();
            sched.schedule(t < MIDNIGHT + 40 * S ? S / 4 : 10 * S, this::probe);
        }

        Run runUntil(long t) {
            if (sched.executed() == 0) {
                sched.schedule(0, this::poll);
                sched.schedule(MIDNIGHT - 40 * S - START, this::probe);
            }
            sched.runUntil(t);
            return this;
        }

        double errorAt(double secondsFromMidnight) {
            return trace.stream().filter(p -> Math.abs(p[0] - secondsFromMidnight) < 0.13).findFirst().orElseThrow()[1];
        }

        double maxAbsError(double from, double to, int column) {
            return trace.stream().filter(p -> p[0] >= from && p[0] <= to).mapToDouble(p -> Math.abs(p[column])).max()
                    .orElseThrow();
        }

        final List<long[]> served = new ArrayList<>(); // {true time, LI of an NTP reply}

        /** The LI an NTP client gets from us now: reference → ServerSnapshot (as DaemonCore publishes it) → Responder. */
        int servedLeapIndicator() {
            ReferenceState ref = discipline.reference();
            org.jchrony.server.ServerSnapshot snap = org.jchrony.server.ServerSnapshot.synchronised(ref.leap(),
                    ref.stratum(), ref.refId(), ref.refTimeNanos(), ref.rootDelaySeconds(), ref.rootDispersionSeconds(),
                    ref.dispersionRatePpm() * 1e-6, -20);
            org.jchrony.server.AccessList all = new org.jchrony.server.AccessList();
            all.add(true, false, null, 0);
            org.jchrony.server.Responder responder = new org.jchrony.server.Responder(
                    new org.jchrony.server.ServerSnapshotHolder(snap), this::cooked, all,
                    org.jchrony.server.ClientLog.unlimited(new java.util.SplittableRandom(1)), null,
                    new java.util.SplittableRandom(2));
            org.jchrony.server.PeerAddress peer = new org.jchrony.server.PeerAddress();
            peer.setInet4(0x0a000001, 40123);
            byte[] request = new byte[48];
            request[0] = (byte) (4 << 3 | 3);
            byte[] out = new byte[512];
            int n = responder.handle(request, 48, peer, cooked(), out);
            assertThat(n).isEqualTo(48);
            return (out[0] & 0xff) >>> 6;
        }

        void askAsAClientAt(long... trueTimes) {
            for (long t : trueTimes) sched.schedule(t - START, () -> served.add(new long[] {sched.now(), servedLeapIndicator()}));
        }

        int leapAnnouncedAt(long t) {
            int leap = 3;
            for (long[] a : announced) if (a[0] <= t) leap = (int) a[1];
            return leap;
        }
    }

    /** The real servers announced the leap during 31 December (many the whole month; the daemon only heeds the last day). */
    static int announcesInsertInDecember(long trueNanos) {
        return trueNanos < MIDNIGHT && trueNanos >= Instant.parse("2016-12-01T00:00:00Z").getEpochSecond() * S ? 1 : 0;
    }

    static void assertAnnouncedOnTheLastDayOnly(Run r) {
        assertThat(r.leapAnnouncedAt(DEC31 - 60 * S)).as("30 Dec: not yet").isZero();
        assertThat(r.leapAnnouncedAt(DEC31 + 2 * POLL)).as("31 Dec after the first update").isEqualTo(1);
        assertThat(r.leapAnnouncedAt(MIDNIGHT - 10 * S)).as("just before midnight").isEqualTo(1);
        assertThat(r.leapAnnouncedAt(MIDNIGHT + 10 * S)).as("after the leap").isZero();
        assertThat(r.discipline.tracking().leap()).isZero();
    }

    @Test
    void systemModeTheKernelInsertsTheSecondAndTheRequestIsWithdrawnAfterwards() {
        Run r = new Run(LeapMode.SYSTEM, 1, LeapSecondPlannerTest::announcesInsertInDecember, null);
        r.askAsAClientAt(DEC31 - 600 * S, DEC31 + 3600 * S, MIDNIGHT - 2 * S, MIDNIGHT + S, MIDNIGHT + 3 * S,
                MIDNIGHT + 300 * S);
        r.runUntil(MIDNIGHT - 30 * S);
        assertThat(r.planner.mode()).isEqualTo(LeapMode.SYSTEM);
        assertThat(r.discipline.tracking().leap()).isEqualTo(1);
        assertThat(LeapSecondPlanner.describe(r.discipline.tracking().leap())).isEqualTo("Insert second");
        r.runUntil(MIDNIGHT + 600 * S);

        assertThat(r.clock.setLeapCalls).hasSize(2);
        long[] ins = r.clock.setLeapCalls.get(0);
        long[] clear = r.clock.setLeapCalls.get(1);
        assertThat(ins[1]).isEqualTo(1);
        assertThat(ins[0]).as("STA_INS requested on 31 Dec, not before").isBetween(DEC31, DEC31 + 2 * POLL);
        assertThat(clear[1]).isZero();
        assertThat(clear[0]).as("STA_INS cleared 2 s after the kernel acted")
                .isBetween(MIDNIGHT + 2 * S - S / 100, MIDNIGHT + 2 * S + S / 100);
        assertThat(r.clock.kernelLeaps).isEqualTo(1);
        assertThat(r.sim.steps()).as("the daemon itself never steps").isZero();
        assertThat(r.maxAbsError(-30, 30, 1)).as("system clock follows UTC through the leap").isLessThan(1e-3);
        assertThat(r.samplesSkipped).isPositive();
        assertAnnouncedOnTheLastDayOnly(r);
        assertThat(r.planner.leapsApplied()).isEqualTo(1);
        // what NTP clients are told: LI=1 on 31 December, LI=3 while the leap second is in progress, then 0
        assertThat(r.served).extracting(a -> a[1]).containsExactly(0L, 1L, 1L, 3L, 0L, 0L);
    }

    @Test
    void stepModeTheDaemonStepsTheClockBackAtMidnight() {
        Run r = new Run(LeapMode.STEP, 1, LeapSecondPlannerTest::announcesInsertInDecember, null);
        r.runUntil(MIDNIGHT + 600 * S);
        assertThat(r.clock.setLeapCalls).as("the kernel is not asked").isEmpty();
        assertThat(r.sim.steps()).isEqualTo(1);
        assertThat(r.maxAbsError(-30, 600, 1)).isLessThan(1e-3);
        assertThat(r.maxAbsError(-30, 600, 2)).isLessThan(1e-3);
        assertAnnouncedOnTheLastDayOnly(r);
    }

    @Test
    void slewModeTheSecondIsSlewedOutInAboutTwelveSeconds() {
        Run r = new Run(LeapMode.SLEW, 1, LeapSecondPlannerTest::announcesInsertInDecember, null);
        r.runUntil(MIDNIGHT + 600 * S);
        assertThat(r.clock.setLeapCalls).isEmpty();
        assertThat(r.sim.steps()).isZero();
        assertThat(r.maxAbsError(-30, -0.25, 1)).isLessThan(1e-3);
        // the system clock is 1 s ahead at midnight and slews back at 83333 ppm: 1/12 s per second
        assertThat(r.errorAt(0.25)).isCloseTo(1.0 - 0.25 / 12, within(2e-3));
        assertThat(r.errorAt(6.0)).isCloseTo(0.5, within(2e-3));
        assertThat(r.errorAt(11.75)).isCloseTo(0.25 / 12, within(2e-3));
        assertThat(r.maxAbsError(12.5, 600, 1)).isLessThan(1e-3);
        // the daemon's own (cooked, served) time includes the pending correction: right all along
        assertThat(r.maxAbsError(-30, 600, 2)).isLessThan(1e-3);
        assertAnnouncedOnTheLastDayOnly(r);
    }

    @Test
    void ignoreModeLeavesTheClockASecondAheadForNormalOperationToCorrect() {
        Run r = new Run(LeapMode.IGNORE, 1, LeapSecondPlannerTest::announcesInsertInDecember, null);
        r.runUntil(MIDNIGHT + 30 * S);
        assertThat(r.clock.setLeapCalls).isEmpty();
        assertThat(r.sim.steps()).isZero();
        assertThat(r.maxAbsError(-30, -0.25, 1)).isLessThan(1e-3);
        assertThat(r.errorAt(10.0)).isCloseTo(1.0, within(2e-3));
        assertAnnouncedOnTheLastDayOnly(r);
        r.runUntil(MIDNIGHT + 3600 * S);
        assertThat(Math.abs(r.clockError())).as("corrected later by ordinary updates").isLessThan(0.5);
    }

    @Test
    void leapTableAnnouncesTheLeapWhenTheSourcesDoNot() {
        LeapTable table = new LeapTable(List.of(new LeapTable.Leap(MIDNIGHT / S, 1, 37)), 36,
                java.util.OptionalLong.empty(), "test");
        Run r = new Run(LeapMode.SYSTEM, 1, t -> 0, table);
        r.runUntil(MIDNIGHT + 600 * S);
        assertThat(r.clock.setLeapCalls).extracting(c -> c[1]).containsExactly(1L, 0L);
        assertThat(r.clock.kernelLeaps).isEqualTo(1);
        assertAnnouncedOnTheLastDayOnly(r);
        assertThat(r.planner.taiOffsetSeconds(MIDNIGHT - S).getAsInt()).isEqualTo(36);
        assertThat(r.planner.taiOffsetSeconds(MIDNIGHT + S).getAsInt()).isEqualTo(37);
    }

    @Test
    void withoutTableOrVoteNothingHappens() {
        Run r = new Run(LeapMode.SYSTEM, 0, t -> 0, LeapTable.empty("none"));
        r.runUntil(MIDNIGHT + 600 * S);
        assertThat(r.clock.setLeapCalls).isEmpty();
        assertThat(r.announced).extracting(a -> a[1]).containsOnly(0L);
        assertThat(r.maxAbsError(-30, 600, 1)).isLessThan(1e-3);
    }

    @Test
    void sourcesAnnouncingOnAnotherDayAreIgnored() {
        // a source insisting on a leap at the end of 30 December: not a leap day, status stays normal
        Run r = new Run(LeapMode.SYSTEM, 0, t -> 1, null);
        r.runUntil(DEC31 - 60 * S);
        assertThat(r.clock.setLeapCalls).isEmpty();
        assertThat(r.discipline.tracking().leap()).isZero();
    }

    @Test
    void stepModeDeletesASecondAt235959() {
        Run r = new Run(LeapMode.STEP, -1, t -> t < MIDNIGHT ? 2 : 0, null);
        r.runUntil(MIDNIGHT + 600 * S);
        assertThat(r.sim.steps()).isEqualTo(1);
        assertThat(r.maxAbsError(-30, 600, 1)).isLessThan(1e-3);
        assertThat(r.leapAnnouncedAt(MIDNIGHT - 10 * S)).isEqualTo(2);
        assertThat(r.leapAnnouncedAt(MIDNIGHT + 10 * S)).isZero();
    }

    @Test
    void systemModeDeletionGoesToTheKernel() {
        Run r = new Run(LeapMode.SYSTEM, -1, t -> t < MIDNIGHT ? 2 : 0, null);
        r.runUntil(MIDNIGHT + 600 * S);
        assertThat(r.clock.setLeapCalls).extracting(c -> c[1]).containsExactly(-1L, 0L);
        assertThat(r.clock.kernelLeaps).isEqualTo(1);
        assertThat(r.maxAbsError(-30, 600, 1)).isLessThan(1e-3);
    }

    @Test
    void withoutSystemClockControlSystemModeFallsBackToStep() {
        NullClockDriver x = new NullClockDriver(() -> MIDNIGHT - 3600 * S);
        LeapSecondPlanner p = new LeapSecondPlanner(x, new SimScheduler(MIDNIGHT - 3600 * S), LeapMode.SYSTEM);
        assertThat(p.mode()).isEqualTo(LeapMode.STEP);
        assertThat(p.configuredMode()).isEqualTo(LeapMode.SYSTEM);
        assertThat(p.onReferenceUpdate(MIDNIGHT - 3600 * S, 1)).isEqualTo(LeapSecondPlanner.INSERT);
        assertThat(x.leap()).as("the null driver is not asked to leap").isZero();
        p.onUnsynchronised();
        assertThat(p.status()).isEqualTo(LeapSecondPlanner.UNSYNCHRONISED);
        assertThat(p.isLeapSecondClose(MIDNIGHT)).isFalse();
    }
}
