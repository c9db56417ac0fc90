package org.jchrony.config;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Number scanning with the leniency of the C library calls chronyd uses on configuration
 * words: {@code sscanf("%d")}/{@code "%lf"} read the longest numeric prefix and leave the rest,
 * {@code strtol} must consume the whole word. Matching this keeps every file chronyd accepts
 * acceptable here.
 */
final class Scan {
    private Scan() {
    }

    /** A value read from the front of a word and what is left of the word. */
    record Prefix<T>(T value, String rest) {
    }

    private static final Pattern INT = Pattern.compile("^[+-]?\\d+");
    private static final Pattern DOUBLE = Pattern.compile(
            "^[+-]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|(?i:infinity|inf|nan))");
    private static final Pattern HEX = Pattern.compile("^[+]?(?:0[xX](?=[0-9a-fA-F]))?[0-9a-fA-F]+");
    private static final Pattern UNSIGNED = Pattern.compile("^[+]?\\d+");

    /** As {@code strtol(word, &end, 10)} with {@code *end == 0} and no overflow required. */
    static OptionalLong wholeLong(String word) {
        String w = stripLeadingSpace(word);
        Matcher m = INT.matcher(w);
        if (!m.find() || m.end() != w.length()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(w.startsWith("+") ? w.substring(1) : w));
        } catch (NumberFormatException overflow) {
            return OptionalLong.empty();
        }
    }

    /** As {@code sscanf(s, "%d%n")}: an int prefix (values outside int range fail). */
    static Optional<Prefix<Integer>> intPrefix(String s) {
        String w = stripLeadingSpace(s);
        Matcher m = INT.matcher(w);
        if (!m.find()) {
            return Optional.empty();
        }
        String digits = m.group();
        try {
            int v = Integer.parseInt(digits.startsWith("+") ? digits.substring(1) : digits);
            return Optional.of(new Prefix<>(v, w.substring(m.end())));
        } catch (NumberFormatException overflow) {
            return Optional.empty();
        }
    }

    /** As {@code sscanf(s, "%lf%n")}: a decimal floating-point prefix (also inf/nan). */
    static Optional<Prefix<Double>> doublePrefix(String s) {
        String w = stripLeadingSpace(s);
        Matcher m = DOUBLE.matcher(w);
        if (!m.find()) {
            return Optional.empty();
        }
        String t = m.group().toLowerCase(java.util.Locale.ROOT);
        double v;
        if (t.endsWith("inf") || t.endsWith("infinity")) {
            v = t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        } else if (t.endsWith("nan")) {
            v = Double.NaN;
        } else {
            v = Double.parseDouble(t);
        }
        return Optional.of(new Prefix<>(v, w.substring(m.end())));
    }

    /** As {@code sscanf(s, "%" SCNu32 "%n")} for non-negative input. */
    static Optional<Prefix<Long>> uint32Prefix(String s) {
        String w = stripLeadingSpace(s);
        Matcher m = UNSIGNED.matcher(w);
        if (!m.find()) {
            return Optional.empty();
        }
        String d = m.group().startsWith("+") ? m.group().substring(1) : m.group();
        try {
            long v = Long.parseLong(d);
            if (v > 0xFFFF_FFFFL) {
                return Optional.empty();
            }
            return Optional.of(new Prefix<>(v, w.substring(m.end())));
        } catch (NumberFormatException overflow) {
            return Optional.empty();
        }
    }

    /** As {@code sscanf(s, "%" SCNx32 "%n")}: hexadecimal, optional 0x prefix. */
    static Optional<Prefix<Long>> hex32Prefix(String s) {
        String w = stripLeadingSpace(s);
        Matcher m = HEX.matcher(w);
        if (!m.find()) {
            return Optional.empty();
        }
        String d = m.group().replaceFirst("^\\+", "").replaceFirst("^0[xX]", "");
        try {
            long v = Long.parseLong(d, 16);
            if (v > 0xFFFF_FFFFL) {
                return Optional.empty();
            }
            return Optional.of(new Prefix<>(v, w.substring(m.end())));
        } catch (NumberFormatException overflow) {
            return Optional.empty();
        }
    }

    private static String stripLeadingSpace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }
}
