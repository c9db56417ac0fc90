package org.jchrony.client;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jchrony.cmdmon.Timespec;

/**
 * chronyc's report formatter: a printf-like format whose specifiers are chronyc's own
 * (%I interval, %S offset with unit, %P ppm, %O/%F with fast/slow, %R refid, %L leap, %M mode,
 * %N timestamp source, %B yes/no, %C client interval, %T date, %b binary...) and its CSV mode,
 * which drops the literal text, separates fields with commas and prints raw numbers.
 */
final class ReportPrinter {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder();
    private final Appendable sink;
    private final boolean csv;

    /** @param sink where each report line goes as soon as it is complete (null: discarded) */
    ReportPrinter(Appendable sink, boolean csv) {
        this.sink = sink;
        this.csv = csv;
    }

    private void flush() {
        if (sink != null && out.length() > 0) {
            try {
                sink.append(out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        out.setLength(0);
    }

    void print(String format, Object... args) {
        print0(format, args);
        flush();
    }

    private void print0(String format, Object... args) {
        int argIndex = 0;
        int i = 0;
        for (int field = 0; ; field++) {
            int pct = format.indexOf('%', i);
            String text = pct < 0 ? format.substring(i) : format.substring(i, pct);
            if (!csv) out.append(text);
            if (pct < 0 || pct + 1 >= format.length()) break;
            int p = pct + 1;
            boolean sign = false;
            int width = 0;
            int prec = 5;
            if (format.charAt(p) == '+' || format.charAt(p) == '-') {
                sign = true;
                p++;
            }
            int ws = p;
            while (p < format.length() && Character.isDigit(format.charAt(p))) p++;
            if (p > ws) width = Integer.parseInt(format.substring(ws, p));
            if (p < format.length() && format.charAt(p) == '.') {
                p++;
                int ps = p;
                while (p < format.length() && Character.isDigit(format.charAt(p))) p++;
                prec = p > ps ? Integer.parseInt(format.substring(ps, p)) : 0;
            }
            char spec = format.charAt(p);
            i = p + 1;
            if (csv) {
                sign = false;
                width = 0;
                if (field > 0) out.append(',');
                switch (spec) {
                    case 'C' -> spec = 'd';
                    case 'F', 'P' -> {
                        prec = 3;
                        spec = 'f';
                    }
                    case 'O', 'S' -> {
                        prec = 9;
                        spec = 'f';
                    }
                    case 'I' -> spec = 'U';
                    case 'T' -> spec = 'V';
                    default -> { }
                }
            }
            Object arg = args[argIndex++];
            switch (spec) {
                case 'B' -> out.append(asLong(arg) != 0 ? "Yes" : "No");
                case 'C' -> {
                    int rate = (int) asLong(arg);
                    out.append(rate >= 127 ? " -" : CFormat.d(rate, 2));
                }
                case 'F', 'O' -> {
                    double v = asDouble(arg);
                    out.append(CFormat.f(Math.abs(v), width, prec, false)).append(' ')
                            .append(spec == 'O' ? "seconds" : "ppm").append(' ')
                            .append((v > 0.0) ^ (spec != 'O') ? "slow" : "fast");
                }
                case 'I' -> out.append(seconds(asLong(arg)));
                case 'L' -> out.append(leap((int) asLong(arg), width == 1));
                case 'M' -> out.append(switch ((int) asLong(arg)) {
                    case 1 -> "Symmetric active";
                    case 2 -> "Symmetric passive";
                    case 4 -> "Server";
                    default -> "Invalid";
                });
                case 'N' -> out.append(switch ((int) asLong(arg)) {
                    case 'D' -> "Daemon";
                    case 'K' -> "Kernel";
                    case 'H' -> "Hardware";
                    default -> "Invalid";
                });
                case 'P' -> {
                    double f = asDouble(arg);
                    out.append(CFormat.f(f, 10, Math.abs(f) < 99999.5 ? 3 : 0, sign));
                }
                case 'R' -> out.append(String.format("%08X", asLong(arg) & 0xffffffffL));
                case 'S' -> out.append(sign ? signedNanoseconds(asDouble(arg)) : nanoseconds(asDouble(arg)));
                case 'T' -> {
                    Timespec t = (Timespec) arg;
                    out.append(DATE.format(Instant.ofEpochSecond(t.epochSeconds())));
                }
                case 'U', 'Q' -> out.append(CFormat.pad(Long.toUnsignedString(asLong(arg)), width, false));
                case 'V' -> {
                    Timespec t = (Timespec) arg;
                    out.append(t.epochSeconds()).append('.').append(String.format("%09d", t.clampedNanos()));
                }
                case 'b' -> {
                    long v = asLong(arg);
                    for (int b = prec - 1; b >= 0; b--) out.append((v & (1L << b)) != 0 ? '1' : '0');
                }
                case 'c' -> out.append((char) asLong(arg));
                case 'd' -> out.append(CFormat.d((int) asLong(arg), width));
                case 'f' -> out.append(CFormat.f(asDouble(arg), width, prec, sign));
                case 'o' -> out.append(CFormat.pad(Long.toOctalString(asLong(arg) & 0xffffffffL), width, false));
                case 's' -> out.append(CFormat.pad(String.valueOf(arg), width, sign));
                case 'u' -> out.append(CFormat.pad(Long.toString(asLong(arg) & 0xffffffffL), width, false));
                default -> throw new IllegalArgumentException("bad specifier " + spec);
            }
        }
        if (csv) out.append('\n');
    }

    /** Text that chronyc prints only outside CSV mode. */
    void info(String text) {
        if (!csv) out.append(text);
        flush();
    }

    void header(String header) {
        if (csv) return;
        out.append(header).append('\n').append("=".repeat(header.length())).append('\n');
        flush();
    }

    private static long asLong(Object o) {
        if (o instanceof Character c) return c;
        if (o instanceof Boolean b) return b ? 1 : 0;
        return ((Number) o).longValue();
    }

    private static double asDouble(Object o) {
        return ((Number) o).doubleValue();
    }

    static String leap(int leap, boolean shortForm) {
        return switch (leap) {
            case 0 -> shortForm ? "N" : "Normal";
            case 1 -> shortForm ? "+" : "Insert second";
            case 2 -> shortForm ? "-" : "Delete second";
            case 3 -> shortForm ? "?" : "Not synchronised";
            default -> shortForm ? "?" : "Invalid";
        };
    }

    /** chronyc's print_seconds: 4 characters. */
    static String seconds(long s) {
        s &= 0xffffffffL;
        if (s == 0xffffffffL) return "   -";
        if (s < 1200) return CFormat.d(s, 4);
        if (s < 36000) return CFormat.d(s / 60, 3) + "m";
        if (s < 345600) return CFormat.d(s / 3600, 3) + "h";
        long d = s / 86400;
        if (d > 999) return CFormat.d(d / 365, 3) + "y";
        return CFormat.d(d, 3) + "d";
    }

    static String nanoseconds(double s) {
        s = Math.abs(s);
        if (s < 9999.5e-9) return CFormat.f(s * 1e9, 4, 0, false) + "ns";
        if (s < 9999.5e-6) return CFormat.f(s * 1e6, 4, 0, false) + "us";
        if (s < 9999.5e-3) return CFormat.f(s * 1e3, 4, 0, false) + "ms";
        if (s < 999.5) return CFormat.f(s, 5, 1, false) + "s";
        if (s < 99999.5) return CFormat.f(s, 5, 0, false) + "s";
        if (s < 99999.5 * 60) return CFormat.f(s / 60, 5, 0, false) + "m";
        if (s < 99999.5 * 3600) return CFormat.f(s / 3600, 5, 0, false) + "h";
        if (s < 99999.5 * 3600 * 24) return CFormat.f(s / (3600 * 24), 5, 0, false) + "d";
        return CFormat.f(s / (3600 * 24 * 365), 5, 0, false) + "y";
    }

    static String signedNanoseconds(double s) {
        double x = Math.abs(s);
        if (x < 9999.5e-9) return CFormat.f(s * 1e9, 5, 0, true) + "ns";
        if (x < 9999.5e-6) return CFormat.f(s * 1e6, 5, 0, true) + "us";
        if (x < 9999.5e-3) return CFormat.f(s * 1e3, 5, 0, true) + "ms";
        if (x < 999.5) return CFormat.f(s, 6, 1, true) + "s";
        if (x < 99999.5) return CFormat.f(s, 6, 0, true) + "s";
        if (x < 99999.5 * 60) return CFormat.f(s / 60, 6, 0, true) + "m";
        if (x < 99999.5 * 3600) return CFormat.f(s / 3600, 6, 0, true) + "h";
        if (x < 99999.5 * 3600 * 24) return CFormat.f(s / (3600 * 24), 6, 0, true) + "d";
        return CFormat.f(s / (3600 * 24 * 365), 6, 0, true) + "y";
    }
}
