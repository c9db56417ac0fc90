package org.jchrony.config;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Number scanning with the exact leniency of the glibc calls chronyd uses on configuration
 * text, so that every file chronyd accepts is accepted here and vice versa:
 * <ul>
 * <li>{@code sscanf("%lf")} reads greedily without backing up: {@code 1e} and {@code 0x1p}
 *     are read whole (value 1), {@code 0x}, {@code .}, {@code in} and {@code infinit} fail;
 *     {@code inf}, {@code infinity} and {@code nan} are accepted.</li>
 * <li>{@code sscanf("%d")} reads a signed decimal; too large values wrap like glibc's
 *     long-to-int conversion.</li>
 * <li>{@code sscanf("%u"/"%x")} reads an optionally signed number modulo 2^32.</li>
 * <li>{@code strtol} (chronyd's integer directives) must consume the whole word and not
 *     overflow.</li>
 * </ul>
 * Each scanner skips leading white space, as the conversions do.
 */
final class Scan {
    private Scan() {
    }

    /** A value read from the front of a string and what is left after it. */
    record Prefix<T>(T value, String rest) {
    }

    /** As {@code strtol(word, &end, 10)} with {@code *end == 0} and no overflow required. */
    static OptionalLong wholeLong(String word) {
        String w = stripLeadingSpace(word);
        int i = 0;
        if (i < w.length() && (w.charAt(i) == '+' || w.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < w.length() && isDigit(w.charAt(i))) {
            i++;
        }
        if (i == digits || i != w.length()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(w.startsWith("+") ? w.substring(1) : w));
        } catch (NumberFormatException overflow) {
            return OptionalLong.empty();
        }
    }

    /** As {@code sscanf(s, "%d%n")}. */
    static Optional<Prefix<Integer>> intPrefix(String s) {
        String w = stripLeadingSpace(s);
        int i = 0;
        boolean neg = false;
        if (i < w.length() && (w.charAt(i) == '+' || w.charAt(i) == '-')) {
            neg = w.charAt(i) == '-';
            i++;
        }
        int start = i;
        long v = 0;
        boolean overflow = false;
        while (i < w.length() && isDigit(w.charAt(i))) {
            if (!overflow) {
                try {
                    v = Math.addExact(Math.multiplyExact(v, 10), w.charAt(i) - '0');
                } catch (ArithmeticException e) {
                    overflow = true;
                }
            }
            i++;
        }
        if (i == start) {
            return Optional.empty();
        }
        long asLong = overflow ? (neg ? Long.MIN_VALUE : Long.MAX_VALUE) : (neg ? -v : v);
        return Optional.of(new Prefix<>((int) asLong, w.substring(i)));
    }

    /** As {@code sscanf(s, "%" SCNu32 "%n")}: decimal, a leading minus negates modulo 2^32. */
    static Optional<Prefix<Long>> uint32Prefix(String s) {
        return unsignedBits(s, 10, false).map(p -> new Prefix<>(p.value() & 0xFFFF_FFFFL, p.rest()));
    }

    /** As {@code sscanf(s, "%" SCNx32 "%n")}: hexadecimal with optional 0x, modulo 2^32. */
    static Optional<Prefix<Long>> hex32Prefix(String s) {
        return unsignedBits(s, 16, true).map(p -> new Prefix<>(p.value() & 0xFFFF_FFFFL, p.rest()));
    }

    /** As {@code sscanf(s, "%lu")} on a 64-bit system, saturated to {@link Long#MAX_VALUE}. */
    static Optional<Prefix<Long>> ulongPrefix(String s) {
        return unsignedPrefix(s, 10, false);
    }

    /**
     * glibc's unsigned conversions: the digits as an unsigned 64-bit value (ULONG_MAX when
     * too large), negated modulo 2^64 after a minus. The value returned is those 64 bits.
     */
    private static Optional<Prefix<Long>> unsignedBits(String s, int radix, boolean allowHexPrefix) {
        String w = stripLeadingSpace(s);
        int i = 0;
        boolean neg = false;
        if (i < w.length() && (w.charAt(i) == '+' || w.charAt(i) == '-')) {
            neg = w.charAt(i) == '-';
            i++;
        }
        if (allowHexPrefix && i + 1 < w.length() && w.charAt(i) == '0'
                && (w.charAt(i + 1) == 'x' || w.charAt(i + 1) == 'X')) {
            if (i + 2 < w.length() && isAscii(w.charAt(i + 2)) && Character.digit(w.charAt(i + 2), 16) >= 0) {
                i += 2;
            } else {
                // glibc scanf has consumed "0x" and finds no digit: the conversion fails
                return Optional.empty();
            }
        }
        int start = i;
        while (i < w.length() && isAscii(w.charAt(i)) && Character.digit(w.charAt(i), radix) >= 0) {
            i++;
        }
        if (i == start) {
            return Optional.empty();
        }
        java.math.BigInteger v = new java.math.BigInteger(w.substring(start, i), radix);
        long bits;
        if (v.bitLength() > 64) {
            bits = -1L;
        } else {
            bits = v.longValue();
            if (neg) {
                bits = -bits;
            }
        }
        return Optional.of(new Prefix<>(bits, w.substring(i)));
    }

    private static Optional<Prefix<Long>> unsignedPrefix(String s, int radix, boolean allowHexPrefix) {
        return unsignedBits(s, radix, allowHexPrefix)
                .map(p -> new Prefix<>(p.value() < 0 ? Long.MAX_VALUE : p.value(), p.rest()));
    }

    /** As {@code sscanf(s, "%lf%n")} in glibc. */
    static Optional<Prefix<Double>> doublePrefix(String s) {
        String w = stripLeadingSpace(s);
        int n = w.length();
        int i = 0;
        boolean neg = false;
        if (i < n && (w.charAt(i) == '+' || w.charAt(i) == '-')) {
            neg = w.charAt(i) == '-';
            i++;
        }
        if (i < n && (w.charAt(i) == 'i' || w.charAt(i) == 'I')) {
            if (!regionIs(w, i, "inf")) {
                return Optional.empty();
            }
            i += 3;
            if (i < n && (w.charAt(i) == 'i' || w.charAt(i) == 'I')) {
                if (!regionIs(w, i, "inity")) {
                    return Optional.empty();
                }
                i += 5;
            }
            return Optional.of(new Prefix<>(neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, w.substring(i)));
        }
        if (i < n && (w.charAt(i) == 'n' || w.charAt(i) == 'N')) {
            if (!regionIs(w, i, "nan")) {
                return Optional.empty();
            }
            return Optional.of(new Prefix<>(Double.NaN, w.substring(i + 3)));
        }
        boolean hex = i + 1 < n && w.charAt(i) == '0' && (w.charAt(i + 1) == 'x' || w.charAt(i + 1) == 'X');
        if (hex) {
            i += 2;
        }
        int mantStart = i;
        int digits = 0;
        while (i < n && isMantissaDigit(w.charAt(i), hex)) {
            i++;
            digits++;
        }
        if (i < n && w.charAt(i) == '.') {
            i++;
            while (i < n && isMantissaDigit(w.charAt(i), hex)) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return Optional.empty();
        }
        String mantissa = w.substring(mantStart, i);
        String exponent = "";
        char e = i < n ? w.charAt(i) : 0;
        if (hex ? (e == 'p' || e == 'P') : (e == 'e' || e == 'E')) {
            i++;
            int expStart = i;
            if (i < n && (w.charAt(i) == '+' || w.charAt(i) == '-')) {
                i++;
            }
            int expDigits = i;
            while (i < n && isDigit(w.charAt(i))) {
                i++;
            }
            // glibc consumes a dangling exponent marker/sign; its value is the mantissa's
            if (i > expDigits) {
                exponent = w.substring(expStart, i);
            }
        }
        double v;
        if (hex) {
            String m = mantissa.endsWith(".") ? mantissa.substring(0, mantissa.length() - 1) : mantissa;
            v = Double.parseDouble("0x" + (m.startsWith(".") ? "0" + m : m) + "p" + (exponent.isEmpty() ? "0" : exponent));
        } else {
            v = Double.parseDouble(mantissa + (exponent.isEmpty() ? "" : "e" + exponent));
        }
        return Optional.of(new Prefix<>(neg ? -v : v, w.substring(i)));
    }

    /** Sequential conversions over one string, as one {@code sscanf} call with spaces between conversions. */
    static final class Cursor {
        private String rest;

        Cursor(String text) {
            this.rest = text;
        }

        Optional<Double> nextDouble() {
            Optional<Prefix<Double>> p = doublePrefix(rest);
            p.ifPresent(x -> rest = x.rest());
            return p.map(Prefix::value);
        }

        Optional<Integer> nextInt() {
            Optional<Prefix<Integer>> p = intPrefix(rest);
            p.ifPresent(x -> rest = x.rest());
            return p.map(Prefix::value);
        }
    }

    private static boolean isMantissaDigit(char c, boolean hex) {
        return hex ? isAscii(c) && Character.digit(c, 16) >= 0 : isDigit(c);
    }

    private static boolean regionIs(String w, int at, String lower) {
        return w.regionMatches(true, at, lower, 0, lower.length());
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAscii(char c) {
        return c < 128;
    }

    private static String stripLeadingSpace(String s) {
        int i = 0;
        while (i < s.length() && LineParser.isCSpace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }
}
