package org.jchrony.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.jchrony.logs.LogEntry.SelectionStatus;
import org.jchrony.logs.LogEntry.TimestampSource;
import org.junit.jupiter.api.Test;

/**
 * Column layout for values the oracle run does not produce (negative polls, large offsets,
 * IPv6, refclocks, tempcomp, rtc). The layout regexes are those of {@link ChronydLogOracleTest},
 * derived from chronyd's real lines.
 */
class LogFormatTest {
    private static final long T0 = 1_764_162_243_250_000_000L; // 2025-11-26 13:04:03.25 UTC

    @Test
    void measurementColumns() {
        var m = new LogEntry.Measurement(T0, "192.168.100.200", 3, 16, "110 101 0110", -2, 10, 0.5, -123.456,
                1.5e-3, 2e-7, 0.25, 1.0, 0x7F7F0101, 4, true, TimestampSource.DAEMON, TimestampSource.HARDWARE);
        String line = LogFormat.format(m);
        assertThat(line).isEqualTo("2025-11-26 13:04:03 192.168.100.200 ? 16 110 101 0110  -2 10 0.50 -1.235e+02 "
                + " 1.500e-03  2.000e-07  2.500e-01  1.000e+00 7F7F0101 4I D H");
        assertThat(ChronydLogOracleTest.MEASUREMENT.matcher(line).matches()).isTrue();
        assertThatThrownBy(() -> new LogEntry.Measurement(T0, "x", 0, 1, "1111111111", 0, 0, 0, 0, 0, 0, 0, 0, 0, 4,
                false, TimestampSource.KERNEL, TimestampSource.KERNEL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trackingColumnsWithAnIpv6Reference() throws Exception {
        String addr = LogFormat.address(InetAddress.getByName("2001:db8:0:0:0:0:0:1"));
        assertThat(addr).isEqualTo("2001:db8::1");
        assertThat(LogFormat.address(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(LogFormat.address(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(LogFormat.address(InetAddress.getByName("fe80::"))).isEqualTo("fe80::");
        assertThat(LogFormat.address(InetAddress.getByName("1:0:0:2:0:0:0:3"))).isEqualTo("1:0:0:2::3");
        assertThat(LogFormat.address(InetAddress.getByName("1:0:2:0:3:0:4:5"))).isEqualTo("1:0:2:0:3:0:4:5");
        assertThat(LogFormat.address(InetAddress.getByName("::102:304"))).isEqualTo("::1.2.3.4");
        assertThat(LogFormat.address(InetAddress.getByName("::2"))).isEqualTo("::2");
        assertThat(LogFormat.address(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        // Java turns ::ffff:a.b.c.d into an Inet4Address; built from bytes it stays IPv6
        byte[] mapped = new byte[16];
        mapped[10] = mapped[11] = (byte) 0xFF;
        assertThat(LogFormat.address(java.net.Inet6Address.getByAddress(null, mapped, -1))).isEqualTo("::ffff:0.0.0.0");
        var t = new LogEntry.Tracking(T0, addr, 2, -12.3456, 0.01, 5e-4, 0, 3, 1e-6, -2e-6, 0.02, 0.003, 0.0234);
        String line = LogFormat.format(t);
        assertThat(line).isEqualTo("2025-11-26 13:04:03 2001:db8::1      2    -12.346      0.010  5.000e-04 N  3 "
                + " 1.000e-06 -2.000e-06  2.000e-02  3.000e-03  2.340e-02");
        assertThat(ChronydLogOracleTest.TRACKING.matcher(line).matches()).isTrue();
    }

    @Test
    void statisticsAndSelectionColumns() {
        var s = new LogEntry.Statistics(T0, "10.0.0.1", 1e-5, -2e-4, 3e-6, -0.5, 12.0, 0.25, 64, 3, 20, -0.5);
        String sl = LogFormat.format(s);
        assertThat(sl).isEqualTo("2025-11-26 13:04:03 10.0.0.1         1.000e-05 -2.000e-04  3.000e-06 -5.000e-07 "
                + " 1.200e-05 2.5e-01  64   3  20 -0.50");
        assertThat(ChronydLogOracleTest.STATISTICS.matcher(sl).matches()).isTrue();
        var sel = new LogEntry.Selection(T0, "10.0.0.1", SelectionStatus.FALSETICKER, true, false, true, true, 0377,
                1.0, 64.5, -1e-3, 2e-3);
        String ll = LogFormat.format(sel);
        assertThat(ll).isEqualTo("2025-11-26 13:04:03 10.0.0.1        x -N-TR  377  1.00  6.450e+01 -1.000e-03  2.000e-03");
        assertThat(ChronydLogOracleTest.SELECTION.matcher(ll).matches()).isTrue();
        assertThat(SelectionStatus.ofLetter('*')).isEqualTo(SelectionStatus.SELECTED);
    }

    @Test
    void refclockTempcompAndRtcColumns() {
        int gps = ('G' << 24) | ('P' << 16) | ('S' << 8);
        assertThat(LogFormat.refIdText(gps)).isEqualTo("GPS");
        assertThat(LogFormat.format(new LogEntry.Refclock(T0, gps, false, 1, 0, true, -1.5e-4, 2.5e-6, 1e-6)))
                .isEqualTo("2025-11-26 13:04:03.250000 GPS     1 N 1 -1.500000e-04  2.500000e-06  1.000e-06");
        assertThat(LogFormat.format(new LogEntry.Refclock(T0, gps, true, 1, 3, true, 0, 2.5e-6, 1e-6)))
                .isEqualTo("2025-11-26 13:04:03.250000 GPS     - ? -       -        2.500000e-06  1.000e-06");
        assertThat(LogFormat.format(new LogEntry.Tempcomp(T0, 45.5, -0.125)))
                .isEqualTo("2025-11-26 13:04:03  4.5500e+01 -1.2500e-01");
        assertThat(LogFormat.format(new LogEntry.Rtc(T0, 0.5, true, 0.25, -1.5, 5, 3, 1024)))
                .isEqualTo("2025-11-26 13:04:03       0.500000 1        0.250000        -1.500   5   3 1024");
    }

    @Test
    void bannersAreChronydsColumnLinesBetweenRules() {
        for (LogFile f : LogFile.values()) {
            String[] b = f.banner().split("\n");
            assertThat(b).hasSize(3);
            assertThat(b[0]).isEqualTo(b[2]).matches("=+").hasSameSizeAs(b[1]);
            assertThat(b[1]).startsWith("   Date (UTC) Time");
        }
    }
}
