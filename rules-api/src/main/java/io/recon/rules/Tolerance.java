package io.recon.rules;

import java.math.BigDecimal;

/**
 * Comparisons with a tolerance, for rules that compare values recorded by two systems.
 * A missing value on either side never counts as "within" a tolerance.
 */
public final class Tolerance {

    private Tolerance() {
    }

    /** True when {@code a} and {@code b} differ by more than {@code absolute} (e.g. 0.01). */
    public static boolean differsBy(BigDecimal a, BigDecimal b, double absolute) {
        if (a == null || b == null) {
            return a != b;
        }
        return a.subtract(b).abs().compareTo(BigDecimal.valueOf(absolute)) > 0;
    }

    /** True when {@code a} and {@code b} differ by more than {@code percent} percent of {@code b}. */
    public static boolean differsByPercent(BigDecimal a, BigDecimal b, double percent) {
        if (a == null || b == null) {
            return a != b;
        }
        BigDecimal allowed = b.abs().multiply(BigDecimal.valueOf(percent)).movePointLeft(2);
        return a.subtract(b).abs().compareTo(allowed) > 0;
    }
}
