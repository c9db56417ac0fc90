package org.jchrony.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jchrony.discipline.Sample;

/**
 * One source's measurement history as chronyd 4.x writes it to {@code DUMPDIR/ADDRESS.dat} at exit
 * and on {@code chronyc dump}, and reloads it with {@code -r}. Text, line by line:
 *
 * <pre>
 * SRC0
 * NAME                                   (the configured name of the source)
 * AUTH REACH(octal) REACH_SIZE STRATUM LEAP
 * N ASYMMETRY_RUN
 * TIME OFFSET ORIG_OFFSET PEER_DELAY PEER_DISPERSION ROOT_DELAY ROOT_DISPERSION   (N lines, oldest first)
 * </pre>
 *
 * TIME is local time in seconds with nine decimals; the others are seconds in C's {@code %.6e}.
 * OFFSET is positive when the local clock is ahead (as {@link Sample}); ROOT_DELAY and
 * ROOT_DISPERSION are accumulated (the source's root values plus this measurement's delay and
 * dispersion), as chronyd stores them. A file is accepted only under chronyd's conditions: the
 * identifier, the same name, stratum below 16, a leap indicator other than "unsynchronised",
 * 1 to {@link #MAX_SAMPLES} samples strictly in time order, none in the future, all finite and
 * below 10^6 s. Pure data: no I/O, see {@code daemon/DumpDirectory} for the files.
 *
 * @param authenticated whether the source's responses were authenticated (an authenticated
 *                      source does not accept a dump that was not)
 * @param reach         reachability register (8 bits)
 * @param reachSize     how many of its bits are meaningful (0..8)
 * @param asymmetryRun  chronyd's asymmetry run (kept for round trips; jchrony does not use it)
 * @param samples       oldest first
 */
public record SourceDump(String name, boolean authenticated, int reach, int reachSize, int stratum, int leap,
                         int asymmetryRun, List<Sample> samples) {
    /** First line of every dump file. */
    public static final String IDENTIFIER = "SRC0";
    /** chronyd's largest sample history (MAX_SAMPLES): longer files are refused. */
    public static final int MAX_SAMPLES = 64;
    private static final double MAX_VALUE = 1e6;

    public SourceDump {
        samples = List.copyOf(samples);
    }

    /**
     * The dump of a source's current history: stratum and leap from its newest sample, the
     * reachability register and how many polls it covers.
     */
    public static SourceDump of(String name, boolean authenticated, int reach, long requests, List<Sample> samples) {
        Sample last = samples.isEmpty() ? null : samples.getLast();
        return new SourceDump(name, authenticated, reach & 0xff, (int) Math.min(8, Math.max(0, requests)),
                last == null ? 0 : last.stratum(), last == null ? 0 : last.leap(), 0, samples);
    }

    /** The file's text; empty history gives no file (chronyd writes none either). */
    public String format() {
        StringBuilder b = new StringBuilder(128 + 110 * samples.size());
        b.append(IDENTIFIER).append('\n').append(name).append('\n');
        b.append(authenticated ? 1 : 0).append(' ').append(Integer.toOctalString(reach)).append(' ')
                .append(reachSize).append(' ').append(stratum).append(' ').append(leap).append('\n');
        b.append(samples.size()).append(' ').append(asymmetryRun).append('\n');
        for (Sample s : samples) {
            long t = s.timeNanos();
            b.append(Math.floorDiv(t, 1_000_000_000L)).append('.')
                    .append(String.format(Locale.ROOT, "%09d", Math.floorMod(t, 1_000_000_000L)));
            double rootDelay = s.rootDelaySeconds() + s.peerDelaySeconds();
            double rootDispersion = s.rootDispersionSeconds() + s.peerDispersionSeconds();
            for (double v : new double[] {s.offsetSeconds(), s.offsetSeconds(), s.peerDelaySeconds(),
                    s.peerDispersionSeconds(), rootDelay, rootDispersion}) {
                b.append(' ').append(String.format(Locale.ROOT, "%.6e", v));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * Reads a dump file's text for the source configured as {@code expectedName}; empty when
     * chronyd would refuse it ("Could not load dump file").
     *
     * @param nowNanos local time now: samples from the future make the file invalid
     * @param sourceAuthenticated whether the source uses authentication now
     */
    public static Optional<SourceDump> parse(String text, String expectedName, boolean sourceAuthenticated,
                                             long nowNanos) {
        String[] lines = text.split("\n", -1);
        try {
            if (lines.length < 4 || !lines[0].equals(IDENTIFIER)) return Optional.empty();
            String[] nameWords = lines[1].trim().split("\\s+");
            if (nameWords.length != 1 || !nameWords[0].equals(expectedName)) return Optional.empty();
            String[] h = words(lines[2], 5);
            if (h == null) return Optional.empty();
            int auth = Integer.parseInt(h[0]);
            int reach = Integer.parseInt(h[1], 8);
            int reachSize = Integer.parseInt(h[2]);
            int stratum = Integer.parseInt(h[3]);
            int leap = Integer.parseInt(h[4]);
            if (auth == 0 && sourceAuthenticated || stratum < 0 || stratum >= 16 || leap < 0 || leap >= 3) {
                return Optional.empty();
            }
            String[] c = words(lines[3], 2);
            if (c == null) return Optional.empty();
            int n = Integer.parseInt(c[0]);
            int asymmetryRun = Integer.parseInt(c[1]);
            if (n < 1 || n > MAX_SAMPLES || lines.length < 4 + n) return Optional.empty();
            List<Sample> samples = new ArrayList<>(n);
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                String[] f = words(lines[4 + i], 7);
                if (f == null) return Optional.empty();
                long t = parseTimeNanos(f[0]);
                double[] v = new double[6];
                for (int k = 0; k < 6; k++) {
                    v[k] = Double.parseDouble(f[k + 1]);
                    if (!(Math.abs(v[k]) < MAX_VALUE)) return Optional.empty();
                }
                if (t > nowNanos || t <= previous) return Optional.empty();
                previous = t;
                samples.add(new Sample(t, v[0], v[2], v[3], Math.max(0, v[4] - v[2]), Math.max(0, v[5] - v[3]),
                        stratum, leap));
            }
            return Optional.of(new SourceDump(nameWords[0], auth != 0, reach & 0xff, Math.max(0, Math.min(8, reachSize)),
                    stratum, leap, Math.max(-1000, Math.min(1000, asymmetryRun)), samples));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static String[] words(String line, int count) {
        String[] w = line.trim().split("\\s+");
        return w.length == count ? w : null;
    }

    /** "SECONDS.FRACTION" (any number of decimals) to nanoseconds, exactly. */
    static long parseTimeNanos(String text) {
        int dot = text.indexOf('.');
        String secs = dot < 0 ? text : text.substring(0, dot);
        String frac = dot < 0 ? "" : text.substring(dot + 1);
        if (secs.isEmpty() || secs.startsWith("-") || !frac.chars().allMatch(Character::isDigit)) {
            throw new NumberFormatException(text);
        }
        String nine = (frac + "000000000").substring(0, 9);
        return Math.addExact(Math.multiplyExact(Long.parseLong(secs), 1_000_000_000L), Long.parseLong(nine));
    }
}
