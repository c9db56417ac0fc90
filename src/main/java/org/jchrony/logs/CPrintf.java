package org.jchrony.logs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The few C printf conversions chronyd's log lines use, as glibc prints them: the exact binary
 * value rounded half-to-even ({@link java.util.Formatter} rounds the shortest decimal half-up,
 * which differs on ties), "-" kept on negative values that round to zero, two-digit minimum
 * exponents, "nan"/"inf" spelled in lower case, right-justified in the field width.
 */
final class CPrintf {
    private static final DateTimeFormatter LOG_FORM =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private CPrintf() {}

    /** {@code %W.Pf}. */
    static String f(double x, int width, int prec) {
        String special = special(x);
        if (special != null) return pad(special, width);
        boolean neg = Double.doubleToRawLongBits(x) < 0;
        String digits = new BigDecimal(Math.abs(x)).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
        return pad(neg ? "-" + digits : digits, width);
    }

    /** {@code %W.Pe}. */
    static String e(double x, int width, int prec) {
        String special = special(x);
        if (special != null) return pad(special, width);
        boolean neg = Double.doubleToRawLongBits(x) < 0;
        String mantissa;
        int exp;
        if (x == 0) {
            mantissa = "0".repeat(prec + 1);
            exp = 0;
        } else {
            BigDecimal r = new BigDecimal(Math.abs(x)).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
            String digits = r.unscaledValue().toString();
            exp = digits.length() - 1 - r.scale();
            mantissa = digits.length() < prec + 1 ? digits + "0".repeat(prec + 1 - digits.length())
                    : digits.substring(0, prec + 1);
        }
        StringBuilder sb = new StringBuilder(width);
        if (neg) sb.append('-');
        sb.append(mantissa.charAt(0));
        if (prec > 0) sb.append('.').append(mantissa, 1, prec + 1);
        sb.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) sb.append('0');
        sb.append(a);
        return pad(sb.toString(), width);
    }

    /** {@code %Wd}. */
    static String d(long v, int width) {
        return pad(Long.toString(v), width);
    }

    /** {@code %Wo} (unsigned octal). */
    static String o(long v, int width) {
        return pad(Long.toOctalString(v), width);
    }

    /** {@code %-Ws}. */
    static String left(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code %Ws}. */
    static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** chronyd's log time form: {@code %Y-%m-%d %H:%M:%S} of the UTC second containing {@code timeNanos}. */
    static String logTime(long timeNanos) {
        return LOG_FORM.format(Instant.ofEpochSecond(Math.floorDiv(timeNanos, 1_000_000_000L)));
    }

    /** The microseconds within the second, as chronyd's refclocks log appends them ({@code .%06d}). */
    static String micros(long timeNanos) {
        long us = Math.floorMod(timeNanos, 1_000_000_000L) / 1000;
        return String.format(java.util.Locale.ROOT, "%06d", us);
    }

    private static String special(double x) {
        if (Double.isNaN(x)) return Double.doubleToRawLongBits(x) < 0 ? "-nan" : "nan";
        if (Double.isInfinite(x)) return x < 0 ? "-inf" : "inf";
        return null;
    }
}
