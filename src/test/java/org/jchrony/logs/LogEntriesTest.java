package org.jchrony.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.jchrony.discipline.SourceData;
import org.jchrony.discipline.SourceState;
import org.jchrony.discipline.SourceStatsData;
import org.jchrony.discipline.TrackingData;
import org.jchrony.logs.LogEntry.TimestampSource;
import org.jchrony.source.NtpData;
import org.jchrony.source.SourceAddress;
import org.jchrony.source.TestBits;
import org.junit.jupiter.api.Test;

/** The daemon's report records turned into log lines (layout checked against chronyd's regexes). */
class LogEntriesTest {
    private static final long T0 = 1_764_162_243_250_000_000L;

    @Test
    void measurementFromNtpData() throws Exception {
        TestBits bits = new TestBits(true, true, true, true, true, true, true, true, false, true);
        NtpData d = new NtpData(new SourceAddress(InetAddress.getByName("127.0.0.1"), 123), 0, 4, 4, 3, -2, -26,
                0, 0, 0x7F7F0101, 0, -1.332e-6, 6.312e-6, 1.329e-7, 1e-5, bits, 10, 10, 9, 9);
        String line = LogFormat.format(LogEntries.measurement(T0, d, -2, 0.81, false, TimestampSource.KERNEL,
                TimestampSource.KERNEL));
        assertThat(line).isEqualTo("2025-11-26 13:04:03 127.0.0.1       N  3 111 111 1101  -2 -2 0.81 -1.332e-06 "
                + " 6.312e-06  1.329e-07  0.000e+00  0.000e+00 7F7F0101 4B K K");
        assertThat(ChronydLogOracleTest.MEASUREMENT.matcher(line).matches()).isTrue();
    }

    @Test
    void trackingFromTrackingData() throws Exception {
        TrackingData t = new TrackingData(0x7F000001, InetAddress.getByName("127.0.0.1"), "127.0.0.1", 4, T0, 1e-6,
                8.097e-7, 1e-6, 6.097, 0.1, 96.986, 8.66e-6, 7.046e-5, 0.25, 0);
        String line = LogFormat.format(LogEntries.tracking(T0, t, 1, 4.32e-7, -1.544e-6, 0.6763));
        assertThat(line).isEqualTo("2025-11-26 13:04:03 127.0.0.1        4      6.097     96.986  8.097e-07 N  1 "
                + " 4.320e-07 -1.544e-06  8.660e-06  7.046e-05  6.763e-01");
        TrackingData unsync = new TrackingData(0, null, "", 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 3);
        assertThat(LogFormat.format(LogEntries.tracking(T0, unsync, 0, 0, 0, 1.5))).startsWith(
                "2025-11-26 13:04:03 0.0.0.0          0      0.000      0.000  0.000e+00 ?  0");
    }

    @Test
    void statisticsFromSourceStats() throws Exception {
        SourceStatsData s = new SourceStatsData(0x7F000001, InetAddress.getByName("127.0.0.1"), "", 4, 3, 2, 6.097,
                96.98, 8.089e-7, 4.32e-7, 3.434e-7);
        String line = LogFormat.format(LogEntries.statistics(T0, s, 1.2e-3, 0, 0));
        assertThat(line).isEqualTo("2025-11-26 13:04:03 127.0.0.1        3.434e-07  8.089e-07  4.320e-07  6.097e-06 "
                + " 9.698e-05 1.2e-03   4   0   3  0.00");
        assertThat(ChronydLogOracleTest.STATISTICS.matcher(line).matches()).isTrue();
    }

    @Test
    void selectionFromSourceData() throws Exception {
        SourceData d = new SourceData(InetAddress.getByName("127.0.0.1"), "127.0.0.1", -2, 3,
                SourceState.SELECTED, SourceData.Mode.SERVER, 7, 0, 0, 0, 0, true, false, false, false); // prefer
        String line = LogFormat.format(LogEntries.selection(T0, d, 1.0, 5.025e-05, -2.194e-06, 6.708e-06));
        assertThat(line).isEqualTo("2025-11-26 13:04:03 127.0.0.1       * --P--    7  1.00  5.025e-05 -2.194e-06  6.708e-06");
        assertThat(ChronydLogOracleTest.SELECTION.matcher(line).matches()).isTrue();
        assertThat(LogEntries.status(SourceState.NOT_COMBINED).letter()).isEqualTo('+');
        assertThat(LogEntries.status(SourceState.FALSETICKER).letter()).isEqualTo('x');
    }
}
