package org.jchrony.discipline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.jchrony.clock.NullClockDriver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DisciplineTest {
    static final long T0 = 1_790_000_000_000_000_000L;
    long now = T0;
    NullClockDriver driver;
    Discipline d;
    List<ReferenceState> published = new ArrayList<>();

    static final class Fake implements SelectableSource {
        final String name;
        final SourceStats stats = new SourceStats();
        boolean prefer, noselect, trust, require;
        int reach = 0xff;

        Fake(String name) { this.name = name; }

        @Override public String name() { return name; }
        @Override public int refId() { return name.hashCode(); }
        @Override public InetAddress address() { return null; }
        @Override public SourceStats stats() { return stats; }
        @Override public int reach() { return reach; }
        @Override public boolean reachable() { return reach != 0; }
        @Override public boolean prefer() { return prefer; }
        @Override public boolean noselect() { return noselect; }
        @Override public boolean trust() { return trust; }
        @Override public boolean require() { return require; }
        @Override public int minStratum() { return 0; }
    }

    @BeforeEach
    void setUp() {
        driver = new NullClockDriver(() -> now);
        d = new Discipline(new LocalClock(driver), DisciplineConfig.defaults());
        d.addListener(published::add);
    }

    /** Feeds {@code n} samples per source at 16 s intervals; offsets relative to the local clock. */
    void feed(List<Fake> sources, double[] sourceAhead, int n, int stratum) {
        for (int k = 0; k < n; k++) {
            now += 16_000_000_000L;
            for (int i = 0; i < sources.size(); i++) {
                Fake f = sources.get(i);
                // local cooked time vs the source: local is behind by sourceAhead - correction so far
                long cooked = now + Math.round(driver.offsetCorrectionSeconds(now) * 1e9);
                double localFast = (cooked - now) * 1e-9 - sourceAhead[i];
                f.stats.add(new Sample(cooked, localFast, 0.001, 1e-6, 0.0001, 0.0001, stratum, 0));
                d.sampleAdded(f, sources);
            }
        }
    }

    @Test
    void falsetickerIsDetectedAndClockFollowsMajority() {
        List<Fake> s = List.of(new Fake("a"), new Fake("b"), new Fake("c"), new Fake("bad"));
        feed(s, new double[] {0.010, 0.0101, 0.0099, 0.6}, 12, 2);
        assertThat(d.stateOf(s.get(3))).isEqualTo(SourceState.FALSETICKER);
        assertThat(d.selected()).isIn(s.get(0), s.get(1), s.get(2));
        long t = now;
        double correction = driver.offsetCorrectionSeconds(t);
        assertThat(correction).isCloseTo(0.010, offset(2e-4));
        ReferenceState r = d.reference();
        assertThat(r.synchronised()).isTrue();
        assertThat(r.stratum()).isEqualTo(3);
        assertThat(published).isNotEmpty();
        TrackingData td = d.tracking();
        assertThat(td.stratum()).isEqualTo(3);
        assertThat(td.leap()).isZero();
        assertThat(td.currentCorrectionSeconds()).isCloseTo(0.010, offset(2e-4));
    }

    @Test
    void twoDisagreeingSourcesAreBothFalsetickers() {
        List<Fake> s = List.of(new Fake("a"), new Fake("b"));
        feed(s, new double[] {0.0, 1.0}, 5, 2);
        assertThat(d.stateOf(s.get(0))).isEqualTo(SourceState.FALSETICKER);
        assertThat(d.stateOf(s.get(1))).isEqualTo(SourceState.FALSETICKER);
        assertThat(d.selected()).isNull();
    }

    @Test
    void preferAndNoselectAreHonoured() {
        Fake a = new Fake("a"), b = new Fake("b"), c = new Fake("c");
        b.prefer = true;
        c.noselect = true;
        feed(List.of(a, b, c), new double[] {0.001, 0.0011, 0.001}, 6, 2);
        assertThat(d.selected()).isSameAs(b);
        // chronyd 4.3 shows a noselect source as '?' (sources) / 'N' (selectdata), with no interval
        assertThat(d.stateOf(c)).isEqualTo(SourceState.UNSELECTABLE);
        assertThat(d.distanceOf(c)).isNaN();
    }

    @Test
    void lowerStratumWinsWhenDistancesAreEqual() {
        Fake a = new Fake("a"), b = new Fake("b");
        List<Fake> both = List.of(a, b);
        for (int k = 0; k < 6; k++) {
            now += 16_000_000_000L;
            a.stats.add(new Sample(now, 0, 0.001, 1e-6, 0.0001, 0.0001, 3, 0));
            b.stats.add(new Sample(now, 0, 0.001, 1e-6, 0.0001, 0.0001, 1, 0));
            d.sampleAdded(a, both);
            d.sampleAdded(b, both);
        }
        assertThat(d.selected()).isSameAs(b);
        assertThat(d.stateOf(a)).isEqualTo(SourceState.COMBINED);
    }

    @Test
    void unreachableSourceIsUnselectable() {
        Fake a = new Fake("a");
        feed(List.of(a), new double[] {0}, 5, 1);
        assertThat(d.stateOf(a)).isEqualTo(SourceState.SELECTED);
        a.reach = 0;
        d.reselect(List.of(a));
        assertThat(d.stateOf(a)).isEqualTo(SourceState.UNSELECTABLE);
        assertThat(d.selected()).isNull();
    }

    @Test
    void minsourcesGatesUpdates() {
        d = new Discipline(new LocalClock(driver), DisciplineConfig.defaults().withMinSources(2));
        Fake a = new Fake("a");
        feed(List.of(a), new double[] {0.05}, 6, 1);
        assertThat(d.updates()).isZero();
        assertThat(driver.offsetCorrectionSeconds(now)).isZero();
    }

    @Test
    void makestepStepsOnlyDuringLimitAndMaxchangeIgnores() {
        d = new Discipline(new LocalClock(driver), DisciplineConfig.defaults().withMakestep(0.5, 1)
                .withMaxChange(2.0, 0, 1));
        double[] exceeded = {0};
        d.addListener(new ReferenceListener() {
            @Override public void referenceUpdated(ReferenceState state) {}
            @Override public void maxChangeExceeded(double off) { exceeded[0] = off; }
        });
        Fake a = new Fake("a");
        feed(List.of(a), new double[] {1.0}, 4, 1);
        assertThat(d.steps()).isEqualTo(1);
        assertThat(driver.offsetCorrectionSeconds(now)).isCloseTo(1.0, offset(1e-3));
        a.stats.clear();
        feed(List.of(a), new double[] {6.0}, 4, 1);
        assertThat(exceeded[0]).isNotZero();
    }

    @Test
    void trustedSourceDefinesTheTruth() {
        // two sources agree, a trusted one disagrees: the trusted one wins
        Fake a = new Fake("a"), b = new Fake("b"), t = new Fake("t");
        t.trust = true;
        feed(List.of(a, b, t), new double[] {0.5, 0.5, 0.0}, 6, 2);
        assertThat(d.stateOf(t)).isEqualTo(SourceState.SELECTED);
        assertThat(d.stateOf(a)).isEqualTo(SourceState.FALSETICKER);
        assertThat(d.stateOf(b)).isEqualTo(SourceState.FALSETICKER);
    }

    @Test
    void requireNeedsARequiredSourceToBeSelectable() {
        Fake a = new Fake("a"), r = new Fake("r");
        r.require = true;
        r.reach = 0; // unreachable required source
        feed(List.of(a, r), new double[] {0.01, 0.01}, 6, 2);
        assertThat(d.updates()).isZero();
        assertThat(d.selected()).isNull();
    }

    @Test
    void jitteryAndDistantSourcesAreExcluded() {
        Fake far = new Fake("far");
        List<Fake> one = List.of(far);
        for (int k = 0; k < 6; k++) {
            now += 16_000_000_000L;
            far.stats.add(new Sample(now, 0, 0.001, 1e-6, 8.0, 0.5, 2, 0)); // root distance > 3 s
            d.sampleAdded(far, one);
        }
        assertThat(d.stateOf(far)).isEqualTo(SourceState.UNSELECTABLE);
        Fake noisy = new Fake("noisy");
        List<Fake> two = List.of(noisy);
        for (int k = 0; k < 8; k++) {
            now += 16_000_000_000L;
            noisy.stats.add(new Sample(now, (k % 2 == 0 ? 1 : -1) * 2.0, 0.001, 1e-6, 0, 0, 2, 0));
            d.sampleAdded(noisy, two);
        }
        assertThat(d.stateOf(noisy)).isIn(SourceState.JITTERY, SourceState.UNSELECTABLE);
    }

    @Test
    void leapAnnouncedByMajorityReachesTheClockAndReference() {
        Fake a = new Fake("a"), b = new Fake("b"), c = new Fake("c");
        List<Fake> all = List.of(a, b, c);
        for (int k = 0; k < 6; k++) {
            now += 16_000_000_000L;
            for (Fake f : all) {
                f.stats.add(new Sample(now, 0, 0.001, 1e-6, 0.0001, 0.0001, 1, f == c ? 0 : 1));
                d.sampleAdded(f, all);
            }
        }
        assertThat(d.reference().leap()).isEqualTo(1);
        assertThat(driver.leap()).isEqualTo(1);
        assertThat(d.tracking().leap()).isEqualTo(1);
    }

    @Test
    void driftRoundTripsThroughTheDriver() {
        d.loadDrift(new org.jchrony.clock.Driftfile.Drift(-12.5, 0.2));
        assertThat(driver.readFrequencyPpm()).isEqualTo(12.5);
        assertThat(d.drift()).isEqualTo(new org.jchrony.clock.Driftfile.Drift(-12.5, 0.2));
        assertThat(d.tracking().freqPpm()).isEqualTo(-12.5);
    }
}
