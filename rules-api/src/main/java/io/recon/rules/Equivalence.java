package io.recon.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An equivalence map between two systems' vocabularies: which value on the left side (e.g. the
 * order system's status) corresponds to which value on the right side (the payment system's).
 *
 * <pre>
 *   Equivalence.of("PAID=SUCCESS", "PAYMENT_FAILED=FAILED").matches(orderStatus, paymentStatus)
 *   Equivalence.of("PAID=SUCCESS, PAYMENT_FAILED=FAILED")   // the same, as one decision-table cell
 * </pre>
 *
 * <p>A left value may map to several right values ({@code "PAID=SUCCESS", "PAID=SETTLED"}).
 * A left value the map does not mention is <em>unknown</em>: the map says nothing about it, so
 * {@link #contradicts} is false for it (an order still CREATED is neither right nor wrong about a
 * payment; other rules judge it). Values are compared as text, so enums and strings both work.
 */
public final class Equivalence {

    /** Rules call {@code of(..)} in every evaluation; parse each spelling of a map once. */
    private static final Map<String, Equivalence> PARSED = new ConcurrentHashMap<>();

    private final Map<String, Set<String>> rightFor;

    private Equivalence(Map<String, Set<String>> rightFor) {
        this.rightFor = rightFor;
    }

    /**
     * A map from pairs written {@code LEFT=RIGHT}; an argument may hold several pairs separated by
     * commas. Throws {@link IllegalArgumentException} for a pair without exactly one {@code =}, so a
     * typo in a table cell fails when the rule first runs instead of silently matching nothing.
     */
    public static Equivalence of(String... pairs) {
        Objects.requireNonNull(pairs, "an equivalence needs pairs such as PAID=SUCCESS");
        return PARSED.computeIfAbsent(String.join(",", pairs), Equivalence::parse);
    }

    private static Equivalence parse(String spec) {
        Map<String, Set<String>> map = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] sides = pair.split("=", -1);
            if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
                throw new IllegalArgumentException("'" + pair.trim() + "' is not an equivalence pair; write LEFT=RIGHT, e.g. PAID=SUCCESS");
            }
            map.computeIfAbsent(sides[0].trim(), k -> new LinkedHashSet<>()).add(sides[1].trim());
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("an equivalence needs at least one pair such as PAID=SUCCESS");
        }
        map.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        return new Equivalence(Collections.unmodifiableMap(map));
    }

    /**
     * True when both systems hold the same value (compared as text, so {@code EUR} equals an enum
     * {@code EUR}); two missing values are the same, one missing value is not. For fields both
     * systems spell alike, such as a currency code.
     */
    public static boolean same(Object left, Object right) {
        if (left == null || right == null) {
            return left == right;
        }
        return left.toString().equals(right.toString());
    }

    /** True when the map mentions {@code left} at all. */
    public boolean knows(Object left) {
        return left != null && rightFor.containsKey(left.toString());
    }

    /** True when {@code right} is an equivalent of {@code left}. An unknown or missing value matches nothing. */
    public boolean matches(Object left, Object right) {
        return knows(left) && right != null && rightFor.get(left.toString()).contains(right.toString());
    }

    /**
     * True when the map knows {@code left} and {@code right} is not one of its equivalents (or is
     * missing): the two systems disagree. False for a left value the map does not mention.
     */
    public boolean contradicts(Object left, Object right) {
        return knows(left) && !matches(left, right);
    }

    /** The right-side values equivalent to {@code left}; empty when the map does not know it. */
    public Set<String> equivalentsOf(Object left) {
        return knows(left) ? rightFor.get(left.toString()) : Set.of();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        rightFor.forEach((left, rights) -> rights.forEach(right -> text.append(text.isEmpty() ? "" : ", ").append(left).append('=').append(right)));
        return text.toString();
    }
}
