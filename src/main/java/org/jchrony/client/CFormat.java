package org.jchrony.client;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * C printf number formatting as glibc does it: %f rounds the exact binary value half-to-even
 * (Java's Formatter rounds the shortest decimal half-up, which differs on ties), "-0" for
 * negative values rounding to zero.
 */
final class CFormat {
    private CFormat() {}

    /** printf("%[+]{width}.{prec}f", x). */
    static String f(double x, int width, int prec, boolean plus) {
        String s;
        if (Double.isNaN(x)) {
            s = (Double.doubleToRawLongBits(x) < 0 ? "-" : plus ? "+" : "") + "nan";
        } else if (Double.isInfinite(x)) {
            s = (x < 0 ? "-" : plus ? "+" : "") + "inf";
        } else {
            boolean neg = Double.doubleToRawLongBits(x) < 0;
            String digits = new BigDecimal(Math.abs(x)).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
            s = (neg ? "-" : plus ? "+" : "") + digits;
        }
        return pad(s, width, false);
    }

    static String pad(String s, int width, boolean left) {
        if (s.length() >= width) return s;
        String sp = " ".repeat(width - s.length());
        return left ? s + sp : sp + s;
    }

    /** printf("%{width}d"). */
    static String d(long v, int width) {
        return pad(Long.toString(v), width, false);
    }
}
