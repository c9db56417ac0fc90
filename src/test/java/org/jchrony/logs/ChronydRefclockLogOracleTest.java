package org.jchrony.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jchrony.net.UnixDatagramSocket;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle for refclocks.log and tempcomp.log: Debian's chronyd 4.3 with a SOCK reference clock
 * fed samples over its Unix socket (chronyd's sock_sample: timeval, offset, pulse, leap, pad,
 * magic 0x534f434b) with a median filter, so both the sample and the filtered line forms appear,
 * and {@code tempcomp} reading a temperature file. Every line is parsed, re-formatted and the
 * files rewritten through {@link LogFiles}: they must equal chronyd's byte for byte.
 */
class ChronydRefclockLogOracleTest {
    private static final String T = "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)";
    private static final String E13 = "([ -]\\d\\.\\d{6}e[+-]\\d\\d)";
    private static final String E10 = "([ -]\\d\\.\\d{3}e[+-]\\d\\d)";
    private static final String E11 = "([ -]\\d\\.\\d{4}e[+-]\\d\\d)";
    static final Pattern REFCLOCK = Pattern.compile("^" + T + "\\.(\\d{6}) (.{5}|\\S{6,}) ([ \\d]{2}\\d) ([N+?-]) ([01]) "
            + E13 + " " + E13 + " " + E10 + "$");
    static final Pattern REFCLOCK_FILTERED = Pattern.compile("^" + T + "\\.(\\d{6}) (.{5}|\\S{6,})   - ([N+?-]) -       -"
            + "       " + E13 + " " + E10 + "$");
    static final Pattern TEMPCOMP = Pattern.compile("^" + T + " " + E11 + " " + E11 + "$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Test
    void refclocksAndTempcompFilesAreReproducedByteForByte(@TempDir Path tmp) throws Exception {
        RealChronyd.assumeInstalled();
        Path logs = Files.createDirectory(tmp.resolve("logs"));
        Path temp = Files.writeString(tmp.resolve("temp"), "45.5\n");
        try (RealChronyd c = RealChronyd.start(List.of(
                "refclock SOCK " + tmp.resolve("refclock.sock") + " refid GPS poll 0 filter 2",
                "tempcomp " + temp + " 1 20 0.5 0.01 0.001",
                "logdir " + logs, "logbanner 6", "log refclocks tempcomp"))) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!Files.exists(tmp.resolve("refclock.sock")) && System.nanoTime() < deadline) Thread.sleep(20);
            try (UnixDatagramSocket s = UnixDatagramSocket.open()) {
                for (int i = 0; i < 12; i++) {
                    long nowMicros = System.currentTimeMillis() * 1000;
                    ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
                    b.putLong(nowMicros / 1_000_000).putLong(nowMicros % 1_000_000).putDouble(0.001 * i - 0.003)
                            .putInt(0).putInt(0).putInt(0).putInt(0x534f434b);
                    s.sendTo(b.array(), 0, 40, tmp.resolve("refclock.sock").toString());
                    Thread.sleep(200);
                }
            }
            Thread.sleep(300);
        }

        List<LogEntry> refclock = new ArrayList<>();
        for (String line : dataLines(logs.resolve("refclocks.log"), LogFile.REFCLOCKS)) {
            Matcher m = REFCLOCK.matcher(line);
            Matcher f = REFCLOCK_FILTERED.matcher(line);
            LogEntry e;
            if (m.matches()) {
                e = new LogEntry.Refclock(time(m.group(1), m.group(2)), refId(m.group(3).strip()), false,
                        Integer.parseInt(m.group(4).strip()), "N+-?".indexOf(m.group(5).charAt(0)), m.group(6).equals("1"),
                        dbl(m.group(7)), dbl(m.group(8)), dbl(m.group(9)));
            } else {
                assertThat(f.matches()).as("layout of '%s'", line).isTrue();
                e = new LogEntry.Refclock(time(f.group(1), f.group(2)), refId(f.group(3).strip()), true, 0,
                        "N+-?".indexOf(f.group(4).charAt(0)), false, 0, dbl(f.group(5)), dbl(f.group(6)));
            }
            assertThat(LogFormat.format(e)).isEqualTo(line);
            refclock.add(e);
        }
        assertThat(refclock).hasSizeGreaterThan(8)
                .anyMatch(e -> ((LogEntry.Refclock) e).filtered()).anyMatch(e -> !((LogEntry.Refclock) e).filtered());
        rewriteAndCompare(logs, tmp.resolve("ours-refclocks"), LogFile.REFCLOCKS, refclock);

        List<LogEntry> tempcomp = new ArrayList<>();
        for (String line : dataLines(logs.resolve("tempcomp.log"), LogFile.TEMPCOMP)) {
            Matcher m = TEMPCOMP.matcher(line);
            assertThat(m.matches()).as("layout of '%s'", line).isTrue();
            LogEntry e = new LogEntry.Tempcomp(time(m.group(1), "000000"), dbl(m.group(2)), dbl(m.group(3)));
            assertThat(LogFormat.format(e)).isEqualTo(line);
            tempcomp.add(e);
        }
        assertThat(tempcomp).hasSizeGreaterThan(1);
        rewriteAndCompare(logs, tmp.resolve("ours-tempcomp"), LogFile.TEMPCOMP, tempcomp);
    }

    private static List<String> dataLines(Path file, LogFile kind) throws Exception {
        List<String> lines = Files.readAllLines(file);
        assertThat(String.join("\n", lines.subList(0, 3))).isEqualTo(kind.banner());
        return lines.stream().filter(l -> !l.startsWith("=") && !l.equals(kind.columns())).toList();
    }

    private static void rewriteAndCompare(Path theirs, Path dir, LogFile kind, List<LogEntry> entries) throws Exception {
        Files.createDirectories(dir);
        try (LogFiles files = new LogFiles(dir, EnumSet.of(kind), false, 6)) {
            entries.forEach(files::write);
        }
        assertThat(Files.readString(dir.resolve(kind.fileName()))).isEqualTo(Files.readString(theirs.resolve(kind.fileName())));
    }

    private static long time(String s, String micros) {
        return LocalDateTime.parse(s, TIME).toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L
                + Long.parseLong(micros) * 1000L + 999L;
    }

    private static int refId(String text) {
        int id = 0;
        for (int i = 0; i < 4; i++) id = id << 8 | (i < text.length() ? text.charAt(i) : 0);
        return id;
    }

    private static double dbl(String s) {
        return Double.parseDouble(s.strip());
    }
}
