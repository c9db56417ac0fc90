package org.jchrony.logs;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of one of chronyd's log files, as plain values. {@link LogFormat#format(LogEntry)}
 * renders it with chronyd 4.3's column layout; {@link LogFiles#write(LogEntry)} appends it to
 * its file. Times are Unix nanoseconds (UTC); only the second is printed (refclocks: the
 * microsecond too). Signs follow chronyd's: offsets positive when the local clock is ahead.
 */
public sealed interface LogEntry {
    /** The file the entry belongs to. */
    LogFile file();

    /** The NTP leap indicator as chronyd prints it: 0 'N', 1 '+', 2 '-', 3 '?'. */
    static char leapChar(int leap) {
        if (leap < 0 || leap > 3) throw new IllegalArgumentException("leap must be 0..3: " + leap);
        return "N+-?".charAt(leap);
    }

    /** Where a timestamp of a measurement was taken (chronyd's "MTxRx" letters). */
    enum TimestampSource {
        DAEMON('D'), KERNEL('K'), HARDWARE('H');

        private final char letter;

        TimestampSource(char letter) {
            this.letter = letter;
        }

        public char letter() { return letter; }
    }

    /**
     * Selection status of a source as chronyd's selection log prints it (the status letters
     * of {@code chronyc selectdata}).
     */
    enum SelectionStatus {
        UNSELECTABLE('N'), UNSYNCHRONISED('s'), BAD_STATS('M'), BAD_DISTANCE('d'), JITTERY('~'),
        WAITS_STATS('w'), STALE('S'), ORPHAN('O'), UNTRUSTED('T'), FALSETICKER('x'), WAITS_SOURCES('W'),
        NONPREFERRED('P'), WAITS_UPDATE('U'), DISTANT('D'), OUTLIER('L'), UNSELECTED('+'), SELECTED('*');

        private final char letter;

        SelectionStatus(char letter) {
            this.letter = letter;
        }

        public char letter() { return letter; }

        public static SelectionStatus ofLetter(char c) {
            for (SelectionStatus s : values()) if (s.letter == c) return s;
            throw new IllegalArgumentException("unknown selection status letter: " + c);
        }
    }

    /**
     * A line of {@code measurements.log}: one per NTP response that passed all tests with
     * {@code log measurements}, one per response with {@code log rawmeasurements}
     * ({@link LogFiles#wantsMeasurement(boolean)} decides).
     *
     * @param address          the source's address as chronyd prints it ({@link LogFormat#address})
     * @param leap             leap indicator of the response (0..3)
     * @param stratum          stratum of the response
     * @param testBits         chronyc ntpdata's test result groups, e.g. "111 111 1111"
     * @param localPollLog2    our polling interval ("LP")
     * @param remotePollLog2   poll field of the response ("RP")
     * @param score            chronyd's poll score (0..?, printed %4.2f)
     * @param offsetSeconds    measured offset (positive = local clock ahead)
     * @param refId            reference id of the response (printed as 8 hex digits)
     * @param mode             NTP mode of the response (4 server, 2/1 symmetric)
     * @param interleaved      interleaved response ('I') or basic ('B')
     */
    record Measurement(long timeNanos, String address, int leap, int stratum, String testBits, int localPollLog2,
                       int remotePollLog2, double score, double offsetSeconds, double peerDelaySeconds,
                       double peerDispersionSeconds, double rootDelaySeconds, double rootDispersionSeconds,
                       int refId, int mode, boolean interleaved, TimestampSource txSource,
                       TimestampSource rxSource) implements LogEntry {
        private static final Pattern TEST_BITS = Pattern.compile("[01]{3} [01]{3} [01]{4}");

        public Measurement {
            Objects.requireNonNull(address);
            Objects.requireNonNull(txSource);
            Objects.requireNonNull(rxSource);
            leapChar(leap);
            if (!TEST_BITS.matcher(testBits).matches()) {
                throw new IllegalArgumentException("test bits must look like \"111 111 1111\": " + testBits);
            }
        }

        @Override
        public LogFile file() { return LogFile.MEASUREMENTS; }
    }

    /**
     * A line of {@code statistics.log}, written after each regression of a source's samples.
     *
     * @param source           address (or reference id of a reference clock)
     * @param stdDevSeconds    standard deviation of the samples about the regression line
     * @param estOffsetSeconds estimated offset (as {@code chronyc sourcestats} Offset, at the last sample)
     * @param offsetSdSeconds  standard deviation of that estimate
     * @param diffFreqPpm      estimated residual frequency ({@code chronyc sourcestats} Frequency);
     *                         chronyd prints it as a plain ratio, i.e. ppm·1e-6
     * @param estSkewPpm       its error bound ({@code chronyc sourcestats} Freq Skew), printed as ppm·1e-6
     * @param stress           chronyd's "stress" figure of the runs test (printed %7.1e)
     * @param samples          samples in the regression ("Ns")
     * @param bestStart        samples discarded from the start ("Bs")
     * @param runs             number of runs of residual signs ("Nr")
     * @param asymmetry        estimated delay asymmetry ("Asym")
     */
    record Statistics(long timeNanos, String source, double stdDevSeconds, double estOffsetSeconds,
                      double offsetSdSeconds, double diffFreqPpm, double estSkewPpm, double stress, int samples,
                      int bestStart, int runs, double asymmetry) implements LogEntry {
        public Statistics {
            Objects.requireNonNull(source);
        }

        @Override
        public LogFile file() { return LogFile.STATISTICS; }
    }

    /**
     * A line of {@code tracking.log}, written at each clock update.
     *
     * @param reference        address of the reference (or its reference id as text, e.g. for a refclock)
     * @param freqPpm          chronyd's absolute frequency (the TRACKING report's freq_ppm, the driftfile's first number)
     * @param skewPpm          its error bound
     * @param offsetSeconds    offset of this update (positive = local clock ahead)
     * @param leap             leap status (0..3)
     * @param combinedSources  number of sources combined ("Co")
     * @param offsetSdSeconds  standard deviation of the combined offset
     * @param remainingCorrectionSeconds offset still being slewed when the update came ("Rem. corr.")
     * @param maxErrorSeconds  chronyd's maximum error estimate (root distance + last system offset)
     */
    record Tracking(long timeNanos, String reference, int stratum, double freqPpm, double skewPpm,
                    double offsetSeconds, int leap, int combinedSources, double offsetSdSeconds,
                    double remainingCorrectionSeconds, double rootDelaySeconds, double rootDispersionSeconds,
                    double maxErrorSeconds) implements LogEntry {
        public Tracking {
            Objects.requireNonNull(reference);
            leapChar(leap);
        }

        @Override
        public LogFile file() { return LogFile.TRACKING; }
    }

    /**
     * A line of {@code selection.log}, one per source at each selection.
     *
     * @param noselect                 the "EOpts" flags N, P, T, R
     * @param reach                    8-bit reach register (printed in octal)
     * @param score                    reselection score
     * @param lastSampleAgoSeconds     age of the last sample
     * @param lowEndSeconds            low end of the source's offset interval
     * @param highEndSeconds           high end
     */
    record Selection(long timeNanos, String source, SelectionStatus status, boolean noselect, boolean prefer,
                     boolean trust, boolean require, int reach, double score, double lastSampleAgoSeconds,
                     double lowEndSeconds, double highEndSeconds) implements LogEntry {
        public Selection {
            Objects.requireNonNull(source);
            Objects.requireNonNull(status);
        }

        @Override
        public LogFile file() { return LogFile.SELECTION; }
    }

    /**
     * A line of {@code refclocks.log}. A sample dropped by the filter ({@code filtered}) has
     * no driver-poll, pulse and raw offset columns, as in chronyd.
     */
    record Refclock(long timeNanos, int refId, boolean filtered, int driverPolled, int leap, boolean pulse,
                    double rawOffsetSeconds, double cookedOffsetSeconds, double dispersionSeconds) implements LogEntry {
        public Refclock {
            leapChar(leap);
        }

        @Override
        public LogFile file() { return LogFile.REFCLOCKS; }
    }

    /** A line of {@code tempcomp.log}: the sensor reading and the frequency compensation applied. */
    record Tempcomp(long timeNanos, double temperature, double compensationPpm) implements LogEntry {
        @Override
        public LogFile file() { return LogFile.TEMPCOMP; }
    }

    /** A line of {@code rtc.log} (chronyd's RTC tracking). */
    record Rtc(long timeNanos, double rtcFastSeconds, boolean coefsValid, double estFastSeconds, double slopePpm,
               int samples, int runs, int measurementPeriodSeconds) implements LogEntry {
        @Override
        public LogFile file() { return LogFile.RTC; }
    }
}
