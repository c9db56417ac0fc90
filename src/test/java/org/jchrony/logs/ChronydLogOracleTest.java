package org.jchrony.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jchrony.logs.LogEntry.SelectionStatus;
import org.jchrony.logs.LogEntry.TimestampSource;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle: Debian's chronyd 4.3 follows a second chronyd on loopback at a 0.25 s poll with
 * {@code log measurements statistics tracking selection rawmeasurements} and {@code logbanner 8};
 * its files are read back, every line parsed with a regex of chronyd's column layout, the
 * values turned into {@link LogEntry} records and written again through {@link LogFiles}: the
 * files we write must equal chronyd's byte for byte (banners, their repetition, every column),
 * before and after {@code chronyc cyclelogs} (files moved away first, as logrotate does).
 */
class ChronydLogOracleTest {
    private static final String T = "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)";
    private static final String ADDR = "(.{15}|\\S{16,})";
    private static final String E = "([ -]\\d\\.\\d{3}e[+-]\\d\\d)";
    private static final String F10 = "( {0,9}-?\\d+\\.\\d{3})";

    static final Pattern MEASUREMENT = Pattern.compile("^" + T + " " + ADDR + " ([N+?-]) ([ \\d]\\d) "
            + "([01]{3} [01]{3} [01]{4})  ([ -]?\\d{1,2}) ([ -]?\\d{1,2}) (\\d\\.\\d\\d) " + E + " " + E + " " + E + " "
            + E + " " + E + " ([0-9A-F]{8}) (\\d)([IB]) ([DKH]) ([DKH])$");
    static final Pattern STATISTICS = Pattern.compile("^" + T + " " + ADDR + " " + E + " " + E + " " + E + " " + E + " "
            + E + " (\\d\\.\\de[+-]\\d\\d) ([ \\d]{2}\\d) ([ \\d]{2}\\d) ([ \\d]{2}\\d) ([ -]?\\d\\.\\d\\d)$");
    static final Pattern TRACKING = Pattern.compile("^" + T + " " + ADDR + " ([ \\d]\\d) " + F10 + " " + F10 + " " + E
            + " ([N+?-]) ([ \\d]\\d) " + E + " " + E + " " + E + " " + E + " " + E + "$");
    static final Pattern SELECTION = Pattern.compile("^" + T + " " + ADDR + " (\\S) -([N-])([P-])([T-])([R-]) "
            + "([ 0-7]{3}[0-7]) ([ -]\\d\\.\\d\\d|\\d{2,}\\.\\d\\d) " + E + " " + E + " " + E + "$");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static Path chronydLogs;

    @BeforeAll
    static void runChronyd(@TempDir Path tmp) throws Exception {
        RealChronyd.assumeInstalled();
        chronydLogs = Files.createDirectory(tmp.resolve("chronyd-logs"));
        try (RealChronyd server = RealChronyd.start(List.of("local stratum 3", "allow 127.0.0.0/8"));
             RealChronyd client = RealChronyd.start(List.of(
                     "server 127.0.0.1 port " + server.ntpPort() + " minpoll -2 maxpoll -2 iburst",
                     "logdir " + chronydLogs, "logbanner 8",
                     "log measurements statistics tracking selection rawmeasurements"))) {
            // Phase 1: some lines in every file; then logrotate's way: move the files away and
            // "chronyc cyclelogs"; phase 2: chronyd starts new files, each with its banner.
            awaitLines("", 6);
            for (String name : NAMES) {
                Files.move(chronydLogs.resolve(name), chronydLogs.resolve(name + ".1"));
            }
            assertThat(client.chronyc("cyclelogs")).contains("200 OK");
            awaitLines("", 10);
        }
    }

    private static final List<String> NAMES = List.of("measurements.log", "statistics.log", "tracking.log", "selection.log");

    private static void awaitLines(String suffix, int n) throws Exception {
        long deadline = System.nanoTime() + 8_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (String name : NAMES) all &= dataLines(name + suffix) >= n;
            if (all) return;
            Thread.sleep(100);
        }
    }

    private static long dataLines(String name) throws IOException {
        Path p = chronydLogs.resolve(name);
        if (!Files.exists(p)) return 0;
        return Files.readAllLines(p).stream().filter(l -> !l.startsWith("=") && !l.startsWith("   Date")).count();
    }

    @Test
    void measurementsFileIsReproducedByteForByte(@TempDir Path ours) throws IOException {
        reproduce(LogFile.MEASUREMENTS, MEASUREMENT, m -> new LogEntry.Measurement(time(m.group(1)), m.group(2).strip(),
                "N+-?".indexOf(m.group(3).charAt(0)), integer(m.group(4)), m.group(5), integer(m.group(6)),
                integer(m.group(7)), dbl(m.group(8)), dbl(m.group(9)), dbl(m.group(10)), dbl(m.group(11)),
                dbl(m.group(12)), dbl(m.group(13)), Integer.parseUnsignedInt(m.group(14), 16), integer(m.group(15)),
                m.group(16).equals("I"), source(m.group(17)), source(m.group(18))), ours);
    }

    @Test
    void statisticsFileIsReproducedByteForByte(@TempDir Path ours) throws IOException {
        reproduce(LogFile.STATISTICS, STATISTICS, m -> new LogEntry.Statistics(time(m.group(1)), m.group(2).strip(),
                dbl(m.group(3)), dbl(m.group(4)), dbl(m.group(5)), dbl(m.group(6)) * 1e6, dbl(m.group(7)) * 1e6,
                dbl(m.group(8)), integer(m.group(9)), integer(m.group(10)), integer(m.group(11)), dbl(m.group(12))), ours);
    }

    @Test
    void trackingFileIsReproducedByteForByte(@TempDir Path ours) throws IOException {
        reproduce(LogFile.TRACKING, TRACKING, m -> new LogEntry.Tracking(time(m.group(1)), m.group(2).strip(),
                integer(m.group(3)), dbl(m.group(4)), dbl(m.group(5)), dbl(m.group(6)), "N+-?".indexOf(m.group(7).charAt(0)),
                integer(m.group(8)), dbl(m.group(9)), dbl(m.group(10)), dbl(m.group(11)), dbl(m.group(12)),
                dbl(m.group(13))), ours);
    }

    @Test
    void selectionFileIsReproducedByteForByte(@TempDir Path ours) throws IOException {
        reproduce(LogFile.SELECTION, SELECTION, m -> new LogEntry.Selection(time(m.group(1)), m.group(2).strip(),
                SelectionStatus.ofLetter(m.group(3).charAt(0)), m.group(4).equals("N"), m.group(5).equals("P"),
                m.group(6).equals("T"), m.group(7).equals("R"), Integer.parseInt(m.group(8).strip(), 8),
                dbl(m.group(9)), dbl(m.group(10)), dbl(m.group(11)), dbl(m.group(12))), ours);
    }

    /**
     * Parses chronyd's data lines, writes them again through LogFiles and compares the files:
     * the file rotated away by cyclelogs and the one chronyd started after it.
     */
    private static void reproduce(LogFile file, Pattern layout, Function<Matcher, LogEntry> parse, Path ours)
            throws IOException {
        for (String suffix : List.of(".1", "")) {
            String theirs = Files.readString(chronydLogs.resolve(file.fileName() + suffix));
            List<String> lines = theirs.lines().toList();
            assertThat(lines).as("chronyd's %s%s", file.fileName(), suffix).hasSizeGreaterThan(8);
            // The banner chronyd writes first, byte for byte.
            assertThat(String.join("\n", lines.subList(0, 3))).isEqualTo(file.banner());
            List<LogEntry> entries = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("=") || line.equals(file.columns())) continue;
                Matcher m = layout.matcher(line);
                assertThat(m.matches()).as("chronyd line matches the layout: '%s'", line).isTrue();
                LogEntry entry = parse.apply(m);
                assertThat(LogFormat.format(entry)).as("re-formatted").isEqualTo(line);
                entries.add(entry);
            }
            Path dir = Files.createDirectories(ours.resolve("x" + suffix));
            try (LogFiles logs = new LogFiles(dir, EnumSet.of(file), false, 8)) {
                entries.forEach(logs::write);
            }
            assertThat(Files.readString(dir.resolve(file.fileName()))).isEqualTo(theirs);
        }
    }

    private static long time(String s) {
        // Sub-second nanoseconds must not show: chronyd prints the second.
        return LocalDateTime.parse(s, TIME).toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + 987_654_321L;
    }

    private static int integer(String s) {
        return Integer.parseInt(s.strip());
    }

    private static double dbl(String s) {
        return Double.parseDouble(s.strip());
    }

    private static TimestampSource source(String s) {
        return switch (s) {
            case "D" -> TimestampSource.DAEMON;
            case "K" -> TimestampSource.KERNEL;
            case "H" -> TimestampSource.HARDWARE;
            default -> throw new IllegalArgumentException(s);
        };
    }
}
