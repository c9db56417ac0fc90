package org.jchrony.logs;

import static org.jchrony.logs.CPrintf.d;
import static org.jchrony.logs.CPrintf.e;
import static org.jchrony.logs.CPrintf.f;
import static org.jchrony.logs.CPrintf.left;
import static org.jchrony.logs.CPrintf.logTime;

import java.net.InetAddress;
import java.util.Locale;
import org.jchrony.config.IpAddress;

/**
 * Renders {@link LogEntry} values with the column layout of chronyd 4.3's log files (field
 * widths, separators and number formats of its measurements, statistics, tracking, selection,
 * refclocks, tempcomp and rtc logs), so parsers and graphs written for chronyd keep working.
 * Pure: no I/O, no clock.
 */
public final class LogFormat {
    private LogFormat() {}

    /** The line (without newline) chronyd would write for {@code entry}. */
    public static String format(LogEntry entry) {
        return switch (entry) {
            case LogEntry.Measurement m -> measurement(m);
            case LogEntry.Statistics s -> statistics(s);
            case LogEntry.Tracking t -> tracking(t);
            case LogEntry.Selection s -> selection(s);
            case LogEntry.Refclock r -> refclock(r);
            case LogEntry.Tempcomp t -> logTime(t.timeNanos()) + " " + e(t.temperature(), 11, 4) + " "
                    + e(t.compensationPpm(), 11, 4);
            case LogEntry.Rtc r -> logTime(r.timeNanos()) + " " + f(r.rtcFastSeconds(), 14, 6) + " "
                    + (r.coefsValid() ? '1' : '0') + "  " + f(r.estFastSeconds(), 14, 6) + "  " + f(r.slopePpm(), 12, 3)
                    + "  " + d(r.samples(), 2) + "  " + d(r.runs(), 2) + " " + d(r.measurementPeriodSeconds(), 4);
        };
    }

    /** An address as chronyd prints it: dotted quad, or the compressed IPv6 form of inet_ntop. */
    public static String address(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) return IpAddress.ofBytes(b).toString();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i >= 2 && j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        // glibc's inet_ntop: IPv4-compatible and IPv4-mapped addresses end in a dotted quad
        boolean embedded4 = bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xFFFF));
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == bestBase) {
                sb.append(':');
                i += bestLen - 1;
                if (i == 7) sb.append(':');
                continue;
            }
            if (i > 0) sb.append(':');
            if (i == 6 && embedded4) {
                sb.append(b[12] & 0xFF).append('.').append(b[13] & 0xFF).append('.').append(b[14] & 0xFF).append('.')
                        .append(b[15] & 0xFF);
                break;
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    /** A reference id as chronyd prints it for reference clocks: its printable ASCII characters. */
    public static String refIdText(int refId) {
        StringBuilder sb = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = (refId >>> (24 - 8 * i)) & 0xFF;
            if (c >= 0x20 && c < 0x7F) sb.append((char) c);
        }
        return sb.toString();
    }

    private static String measurement(LogEntry.Measurement m) {
        StringBuilder sb = new StringBuilder(136);
        sb.append(logTime(m.timeNanos())).append(' ').append(left(m.address(), 15)).append(' ')
                .append(LogEntry.leapChar(m.leap())).append(' ').append(d(m.stratum(), 2)).append(' ')
                .append(m.testBits()).append("  ").append(d(m.localPollLog2(), 2)).append(' ')
                .append(d(m.remotePollLog2(), 2)).append(' ').append(f(m.score(), 4, 2)).append(' ')
                .append(e(m.offsetSeconds(), 10, 3)).append(' ').append(e(m.peerDelaySeconds(), 10, 3)).append(' ')
                .append(e(m.peerDispersionSeconds(), 10, 3)).append(' ').append(e(m.rootDelaySeconds(), 10, 3))
                .append(' ').append(e(m.rootDispersionSeconds(), 10, 3)).append(' ')
                .append(String.format(Locale.ROOT, "%08X", m.refId())).append(' ')
                .append(m.mode()).append(m.interleaved() ? 'I' : 'B').append(' ')
                .append(m.txSource().letter()).append(' ').append(m.rxSource().letter());
        return sb.toString();
    }

    private static String statistics(LogEntry.Statistics s) {
        return logTime(s.timeNanos()) + " " + left(s.source(), 15) + " " + e(s.stdDevSeconds(), 10, 3) + " "
                + e(s.estOffsetSeconds(), 10, 3) + " " + e(s.offsetSdSeconds(), 10, 3) + " "
                + e(s.diffFreqPpm() * 1e-6, 10, 3) + " " + e(s.estSkewPpm() * 1e-6, 10, 3) + " "
                + e(s.stress(), 7, 1) + " " + d(s.samples(), 3) + " " + d(s.bestStart(), 3) + " " + d(s.runs(), 3)
                + " " + f(s.asymmetry(), 5, 2);
    }

    private static String tracking(LogEntry.Tracking t) {
        return logTime(t.timeNanos()) + " " + left(t.reference(), 15) + " " + d(t.stratum(), 2) + " "
                + f(t.freqPpm(), 10, 3) + " " + f(t.skewPpm(), 10, 3) + " " + e(t.offsetSeconds(), 10, 3) + " "
                + LogEntry.leapChar(t.leap()) + " " + d(t.combinedSources(), 2) + " " + e(t.offsetSdSeconds(), 10, 3)
                + " " + e(t.remainingCorrectionSeconds(), 10, 3) + " " + e(t.rootDelaySeconds(), 10, 3) + " "
                + e(t.rootDispersionSeconds(), 10, 3) + " " + e(t.maxErrorSeconds(), 10, 3);
    }

    private static String selection(LogEntry.Selection s) {
        return logTime(s.timeNanos()) + " " + left(s.source(), 15) + " " + s.status().letter() + " -"
                + (s.noselect() ? 'N' : '-') + (s.prefer() ? 'P' : '-') + (s.trust() ? 'T' : '-')
                + (s.require() ? 'R' : '-') + " " + CPrintf.o(s.reach() & 0xFFFFFFFFL, 4) + " " + f(s.score(), 5, 2)
                + " " + e(s.lastSampleAgoSeconds(), 10, 3) + " " + e(s.lowEndSeconds(), 10, 3) + " "
                + e(s.highEndSeconds(), 10, 3);
    }

    private static String refclock(LogEntry.Refclock r) {
        String head = logTime(r.timeNanos()) + "." + CPrintf.micros(r.timeNanos()) + " " + left(refIdText(r.refId()), 5);
        if (r.filtered()) {
            return head + "   - " + LogEntry.leapChar(r.leap()) + " -       -       " + e(r.cookedOffsetSeconds(), 13, 6)
                    + " " + e(r.dispersionSeconds(), 10, 3);
        }
        return head + " " + d(r.driverPolled(), 3) + " " + LogEntry.leapChar(r.leap()) + " " + (r.pulse() ? '1' : '0')
                + " " + e(r.rawOffsetSeconds(), 13, 6) + " " + e(r.cookedOffsetSeconds(), 13, 6) + " "
                + e(r.dispersionSeconds(), 10, 3);
    }
}
