package io.recon.rules;

import java.util.List;
import java.util.Objects;

/**
 * What a reconciliation rule concludes: for one correlation key, the systems disagree in one way.
 *
 * <p>Rules insert it with {@code insertLogical}, so that it disappears by itself when later data
 * heals the disagreement (the late payment arrives). Two mismatches are equal when they have the
 * same key and type: a rule that fires again for the same finding adds no second mismatch, which
 * keeps findings idempotent across re-firing, hot deploys and replays. The task is the session's
 * task group and is added by the service.
 */
public final class Mismatch {

    private final String key;
    private final String type;
    private final Severity severity;
    private final String reason;
    private final List<Object> facts;

    public Mismatch(String key, String type, Severity severity, String reason, List<Object> facts) {
        this.key = Objects.requireNonNull(key, "a mismatch needs the correlation key it is about");
        this.type = Objects.requireNonNull(type, "a mismatch needs a type");
        this.severity = severity == null ? Severity.P3 : severity;
        this.reason = Objects.requireNonNull(reason, "a mismatch needs a reason a person can read");
        this.facts = facts == null ? List.of() : List.copyOf(facts);
    }

    /** A mismatch of {@code type} for {@code key}, explained by {@code reason}, citing the facts involved. */
    public static Mismatch of(String type, Severity severity, String key, String reason, Object... facts) {
        return new Mismatch(key, type, severity, reason, List.of(facts));
    }

    public String getKey() {
        return key;
    }

    public String getType() {
        return type;
    }

    public Severity getSeverity() {
        return severity;
    }

    public String getReason() {
        return reason;
    }

    /** The facts the rule matched, as they were when it fired: the evidence a case handler sees. */
    public List<Object> getFacts() {
        return facts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mismatch other && key.equals(other.key) && type.equals(other.type);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + type.hashCode();
    }

    @Override
    public String toString() {
        return type + " " + key + ": " + reason;
    }
}
