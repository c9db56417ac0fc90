package org.jchrony.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jchrony.discipline.Sample;
import org.jchrony.discipline.SourceStats;
import org.junit.jupiter.api.Test;

/** Dump files (dumpdir, -r, chronyc dump) in chronyd 4.3's format, both directions. */
class SourceDumpTest {
    private static final long T0 = 1_795_706_009_180_201_616L;

    /** A file written by Debian's chronyd 4.3 (chronyc dump, loopback server at local stratum 8). */
    private static String chronydFile() throws IOException {
        try (InputStream in = SourceDumpTest.class.getResourceAsStream("/dump/chronyd-4.3-127.0.0.1.dat")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static List<Sample> samples(int n) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Sample(T0 + i * 250_000_000L + 7, 1e-6 + 2e-6 * i * 0.25 + (i % 2 == 0 ? 1e-7 : -1e-7),
                    7e-6 + i * 1e-8, 3.5e-8, 0.0125, 0.0031, 3, 0));
        }
        return out;
    }

    @Test
    void readsTheFileChronydWrote() throws IOException {
        String text = chronydFile();
        var dump = SourceDump.parse(text, "127.0.0.1", false, T0 + 3_600_000_000_000L).orElseThrow();
        assertThat(dump.samples()).hasSize(37);
        assertThat(dump.stratum()).isEqualTo(8);
        assertThat(dump.reach()).isEqualTo(0377);
        assertThat(dump.reachSize()).isEqualTo(8);
        assertThat(dump.asymmetryRun()).isEqualTo(34);
        Sample first = dump.samples().getFirst();
        assertThat(first.timeNanos()).isEqualTo(T0);
        assertThat(first.offsetSeconds()).isEqualTo(1.347375e-05);
        assertThat(first.peerDelaySeconds()).isEqualTo(3.065100e-05);
        // chronyd stores root delay/dispersion accumulated: the server's own (0 at local stratum) remains
        assertThat(first.rootDelaySeconds()).isZero();
        assertThat(first.rootDispersionSeconds()).isZero();
    }

    @Test
    void chronydsFileIsRefusedForAnotherNameOrFromTheFuture() throws IOException {
        String text = chronydFile();
        assertThat(SourceDump.parse(text, "ntp.example.org", false, T0 + 3_600_000_000_000L)).isEmpty();
        assertThat(SourceDump.parse(text, "127.0.0.1", false, T0)).as("samples after now").isEmpty();
        assertThat(SourceDump.parse(text, "127.0.0.1", true, T0 + 3_600_000_000_000L))
                .as("authenticated source, unauthenticated dump").isEmpty();
    }

    @Test
    void formatRoundTripsAndMatchesChronydsLayout() {
        SourceDump d = SourceDump.of("ntp1.example.net", false, 0377, 12, samples(10));
        String text = d.format();
        String[] lines = text.split("\n");
        assertThat(lines[0]).isEqualTo("SRC0");
        assertThat(lines[1]).isEqualTo("ntp1.example.net");
        assertThat(lines[2]).isEqualTo("0 377 8 3 0");
        assertThat(lines[3]).isEqualTo("10 0");
        assertThat(lines[4]).matches("1795706009\\.180201623 1\\.100000e-06 1\\.100000e-06 7\\.000000e-06 "
                + "3\\.500000e-08 1\\.250700e-02 3\\.100035e-03");
        assertThat(lines).hasSize(14);

        SourceDump back = SourceDump.parse(text, "ntp1.example.net", false, T0 + 10_000_000_000L).orElseThrow();
        assertThat(back.samples()).hasSize(10);
        for (int i = 0; i < 10; i++) {
            Sample a = d.samples().get(i), b = back.samples().get(i);
            assertThat(b.timeNanos()).isEqualTo(a.timeNanos());
            assertThat(b.offsetSeconds()).isCloseTo(a.offsetSeconds(), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(b.peerDelaySeconds()).isCloseTo(a.peerDelaySeconds(), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(b.rootDelaySeconds()).isCloseTo(a.rootDelaySeconds(), org.assertj.core.data.Offset.offset(1e-7));
            assertThat(b.rootDispersionSeconds()).isCloseTo(a.rootDispersionSeconds(), org.assertj.core.data.Offset.offset(1e-8));
            assertThat(b.stratum()).isEqualTo(3);
        }
    }

    @Test
    void restoredStatisticsGiveTheSameEstimate() {
        SourceStats before = new SourceStats();
        for (Sample s : samples(16)) before.add(s);
        SourceDump d = SourceDump.of("127.0.0.1", false, 0377, 16, before.samples());
        SourceStats after = new SourceStats();
        after.restore(SourceDump.parse(d.format(), "127.0.0.1", false, T0 + 100_000_000_000L).orElseThrow().samples());
        assertThat(after.size()).isEqualTo(before.size());
        assertThat(after.estimate().freqPpm()).isCloseTo(before.estimate().freqPpm(), org.assertj.core.data.Offset.offset(1e-3));
        assertThat(after.estimate().offsetSeconds()).isCloseTo(before.estimate().offsetSeconds(),
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void refusesWhatChronydRefuses() {
        String good = SourceDump.of("127.0.0.1", false, 0377, 8, samples(4)).format();
        long now = T0 + 100_000_000_000L;
        assertThat(SourceDump.parse(good, "127.0.0.1", false, now)).isPresent();
        assertThat(SourceDump.parse(good.replace("SRC0", "SRC1"), "127.0.0.1", false, now)).isEmpty();
        assertThat(SourceDump.parse(good.replace("0 377 8 3 0", "0 377 8 16 0"), "127.0.0.1", false, now)).as("stratum 16").isEmpty();
        assertThat(SourceDump.parse(good.replace("0 377 8 3 0", "0 377 8 3 3"), "127.0.0.1", false, now)).as("leap unsync").isEmpty();
        assertThat(SourceDump.parse(good.replace("\n4 0\n", "\n5 0\n"), "127.0.0.1", false, now)).as("truncated").isEmpty();
        assertThat(SourceDump.parse(good.replace("\n4 0\n", "\n0 0\n"), "127.0.0.1", false, now)).as("no samples").isEmpty();
        String[] l = good.split("\n");
        String swapped = String.join("\n", l[0], l[1], l[2], l[3], l[5], l[4], l[6], l[7]) + "\n";
        assertThat(SourceDump.parse(swapped, "127.0.0.1", false, now)).as("out of order").isEmpty();
        assertThat(SourceDump.parse(good.replace("7.000000e-06", "nan"), "127.0.0.1", false, now)).isEmpty();
        assertThat(SourceDump.parse("", "127.0.0.1", false, now)).isEmpty();
    }
}
