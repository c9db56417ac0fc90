package org.jchrony.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** glibc printf behaviour the log columns rely on (values worked out from the exact binary doubles). */
class CPrintfTest {
    @Test
    void fixedRoundsTheExactBinaryValueHalfToEven() {
        assertThat(CPrintf.f(0.125, 4, 2)).isEqualTo("0.12");   // exact tie → even
        assertThat(CPrintf.f(0.375, 4, 2)).isEqualTo("0.38");
        assertThat(CPrintf.f(2.675, 0, 2)).isEqualTo("2.67");   // 2.67499999... in binary
        assertThat(String.format("%.2f", 2.675)).isEqualTo("2.68"); // why Formatter is not used
        assertThat(CPrintf.f(-0.0001, 10, 3)).isEqualTo("    -0.000");
        assertThat(CPrintf.f(1_000_000, 10, 3)).isEqualTo("1000000.000");
    }

    @Test
    void exponentFormLikeGlibc() {
        assertThat(CPrintf.e(-1.41e-6, 10, 3)).isEqualTo("-1.410e-06");
        assertThat(CPrintf.e(6.54e-6, 10, 3)).isEqualTo(" 6.540e-06");
        assertThat(CPrintf.e(0.0, 10, 3)).isEqualTo(" 0.000e+00");
        assertThat(CPrintf.e(-0.0, 10, 3)).isEqualTo("-0.000e+00");
        assertThat(CPrintf.e(9.9996e-5, 10, 3)).isEqualTo(" 1.000e-04");
        assertThat(CPrintf.e(1e100, 10, 3)).isEqualTo("1.000e+100");
        assertThat(CPrintf.e(123456, 7, 1)).isEqualTo("1.2e+05");
        assertThat(CPrintf.e(0.125, 0, 1)).isEqualTo("1.2e-01"); // tie → even
        assertThat(CPrintf.e(Double.NaN, 10, 3)).isEqualTo("       nan");
        assertThat(CPrintf.e(Double.NEGATIVE_INFINITY, 10, 3)).isEqualTo("      -inf");
    }

    @Test
    void integersOctalAndStrings() {
        assertThat(CPrintf.d(-2, 2)).isEqualTo("-2");
        assertThat(CPrintf.d(3, 2)).isEqualTo(" 3");
        assertThat(CPrintf.o(255, 4)).isEqualTo(" 377");
        assertThat(CPrintf.left("127.0.0.1", 15)).isEqualTo("127.0.0.1      ");
        assertThat(CPrintf.left("2001:db8::1234:5678", 15)).isEqualTo("2001:db8::1234:5678");
        assertThat(CPrintf.logTime(0)).isEqualTo("1970-01-01 00:00:00");
        assertThat(CPrintf.logTime(1_764_162_243_999_999_999L)).isEqualTo("2025-11-26 13:04:03");
        assertThat(CPrintf.micros(1_764_162_243_000_123_999L)).isEqualTo("000123");
    }
}
