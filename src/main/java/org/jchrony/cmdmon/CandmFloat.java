package org.jchrony.cmdmon;

/**
 * chronyd's 32-bit command-protocol float: a 7-bit signed exponent above a 25-bit signed
 * two's-complement coefficient, value = coef * 2^(exp - 25). Encoding follows chronyd's rounding
 * (exponent from log2, coefficient rounded then shifted down) so our replies are byte-identical.
 */
public final class CandmFloat {
    private static final int COEF_BITS = 25;
    private static final int EXP_BITS = 7;
    private static final int EXP_MIN = -(1 << (EXP_BITS - 1));
    private static final int EXP_MAX = -EXP_MIN - 1;
    private static final int COEF_MAX = (1 << (COEF_BITS - 1)) - 1;

    private CandmFloat() {}

    public static double decode(int bits) {
        int exp = bits >>> COEF_BITS;
        if (exp >= 1 << (EXP_BITS - 1)) exp -= 1 << EXP_BITS;
        exp -= COEF_BITS;
        int coef = bits & ((1 << COEF_BITS) - 1);
        if (coef >= 1 << (COEF_BITS - 1)) coef -= 1 << COEF_BITS;
        return coef * Math.pow(2.0, exp);
    }

    public static int encode(double x) {
        int neg;
        if (x < 0.0) {
            x = -x;
            neg = 1;
        } else if (x >= 0.0) {
            neg = 0;
        } else {
            x = 0.0; // NaN is sent as zero
            neg = 0;
        }
        int exp;
        int coef;
        if (x < 1.0e-100) {
            exp = 0;
            coef = 0;
        } else if (x > 1.0e100) {
            exp = EXP_MAX;
            coef = COEF_MAX + neg;
        } else {
            exp = (int) (Math.log(x) / Math.log(2) + 1);
            coef = (int) (x * Math.pow(2.0, -exp + COEF_BITS) + 0.5);
            while (coef > COEF_MAX + neg) {
                coef >>= 1;
                exp++;
            }
            if (exp > EXP_MAX) {
                exp = EXP_MAX;
                coef = COEF_MAX + neg;
            } else if (exp < EXP_MIN) {
                if (exp + COEF_BITS >= EXP_MIN) {
                    coef >>= EXP_MIN - exp;
                    exp = EXP_MIN;
                } else {
                    exp = 0;
                    coef = 0;
                }
            }
        }
        if (neg == 1) coef = (-coef << EXP_BITS) >>> EXP_BITS;
        return exp << COEF_BITS | coef;
    }
}
