package org.jchrony.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** struct timex encoding (x86-64 glibc layout) and the ADJ_SETOFFSET timespec normalisation; no kernel calls. */
class LinuxTimexEncodingTest {

    @Test
    void fieldsLandAtGlibcOffsets() {
        Timex t = new Timex(0x4002, 11, 22L << 16, 33, 44, 0x40, 55, 66, 77, 88, 99, 10001, 37);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Timex.SIZE);
            seg.fill((byte) 0x5a);
            t.encode(seg);
            assertThat(seg.get(ValueLayout.JAVA_INT, 0)).isEqualTo(0x4002);
            assertThat(seg.get(ValueLayout.JAVA_INT, 4)).as("padding zeroed").isZero();
            assertThat(seg.get(ValueLayout.JAVA_LONG, 8)).isEqualTo(11);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 16)).isEqualTo(22L << 16);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 24)).isEqualTo(33);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 32)).isEqualTo(44);
            assertThat(seg.get(ValueLayout.JAVA_INT, 40)).isEqualTo(0x40);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 48)).isEqualTo(55);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 56)).isEqualTo(66);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 64)).isEqualTo(77);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 72)).isEqualTo(88);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 80)).isEqualTo(99);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 88)).isEqualTo(10001);
            assertThat(seg.get(ValueLayout.JAVA_INT, 160)).isEqualTo(37);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 200)).as("tail zeroed").isZero();
            assertThat(Timex.decode(seg)).isEqualTo(t);
            assertThat(t.freqPpm()).isEqualTo(22.0);
        }
    }

    @Test
    void stepRequestUsesSetOffsetWithNanoseconds() {
        Timex t = Timex.stepBy(1_250_000_000L);
        assertThat(t.modes()).isEqualTo(Timex.ADJ_SETOFFSET | Timex.ADJ_NANO).isEqualTo(0x2100);
        assertThat(t.timeSeconds()).isEqualTo(1);
        assertThat(t.timeFraction()).isEqualTo(250_000_000L);
    }

    @Test
    void negativeStepIsNormalisedToNonNegativeNanoseconds() {
        Timex t = Timex.stepBy(-300_000_000L);
        assertThat(t.timeSeconds()).isEqualTo(-1);
        assertThat(t.timeFraction()).isEqualTo(700_000_000L);

        Timex u = Timex.stepBy(-1_500_000_001L);
        assertThat(u.timeSeconds()).isEqualTo(-2);
        assertThat(u.timeFraction()).isEqualTo(499_999_999L);
        assertThat(u.timeSeconds() * 1_000_000_000L + u.timeFraction()).isEqualTo(-1_500_000_001L);

        Timex w = Timex.stepBy(-2_000_000_000L);
        assertThat(w.timeSeconds()).isEqualTo(-2);
        assertThat(w.timeFraction()).isZero();

        Timex tiny = Timex.stepBy(-1);
        assertThat(tiny.timeSeconds()).isEqualTo(-1);
        assertThat(tiny.timeFraction()).isEqualTo(999_999_999L);
    }

    @Test
    void negativeStepEncodesAsTwoLongsInTheTimeField() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Timex.SIZE);
            Timex.stepBy(-300_000_000L).encode(seg);
            assertThat(seg.get(ValueLayout.JAVA_INT, 0)).isEqualTo(0x2100);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 72)).isEqualTo(-1L);
            assertThat(seg.get(ValueLayout.JAVA_LONG, 80)).isEqualTo(700_000_000L);
        }
    }

    @Test
    void readRequestHasNoModes() {
        assertThat(Timex.read().modes()).isZero();
    }

    @Test
    void epermMessageSaysWhatToDo() {
        TimexException e = new TimexException("clock_adjtime(CLOCK_REALTIME, modes=0x2)", TimexException.EPERM);
        assertThat(e.isPermissionDenied()).isTrue();
        assertThat(e.getMessage()).contains("EPERM").contains("CAP_SYS_TIME").contains("-x");
        TimexException read = new TimexException("clock_adjtime(CLOCK_REALTIME, modes=0x0)", TimexException.EPERM, true);
        assertThat(read.getMessage()).contains("only reads").contains("seccomp").contains("-x");
    }
}
