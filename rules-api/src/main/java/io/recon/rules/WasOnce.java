package io.recon.rules;

import java.util.Objects;

/**
 * An earlier value of a remembered field of a fact still in the session: the "was once" of a state regression
 * (a payment FAILED that was once SUCCESS, an order CREATED again after PAID). A field is remembered when its
 * declare says so ({@code status : String @Remember}, importing {@link Remember}); the service inserts one {@code WasOnce} for each value the
 * field had before an update replaced it, and removes them when the fact leaves the session (deleted or expired).
 *
 * <p>Match it by the fact's type and id: {@code WasOnce( type == "Payment", id == $paymentId, field == "status",
 * value == "SUCCESS" )}. Values are as the fact held them (a String, a BigDecimal, a long). A getter-style class
 * rather than a record: the rules' property access reads getters.
 */
public final class WasOnce {

    private final String type;
    private final String id;
    private final String key;
    private final String field;
    private final Object value;
    private final long replacedAt;

    /**
     * @param type       the fact type's simple name, e.g. {@code Payment}
     * @param id         the fact's id, as its source binding names it
     * @param key        the fact's correlation key
     * @param field      the remembered field
     * @param value      the value it had
     * @param replacedAt the event time of the update that replaced it (epoch millis)
     */
    public WasOnce(String type, String id, String key, String field, Object value, long replacedAt) {
        this.type = Objects.requireNonNull(type, "type");
        this.id = Objects.requireNonNull(id, "id");
        this.key = key;
        this.field = Objects.requireNonNull(field, "field");
        this.value = value;
        this.replacedAt = replacedAt;
    }

    public String getType() {
        return type;
    }

    public String getId() {
        return id;
    }

    public String getKey() {
        return key;
    }

    public String getField() {
        return field;
    }

    public Object getValue() {
        return value;
    }

    public long getReplacedAt() {
        return replacedAt;
    }

    /** Whether this remembers the same value of the same field of the same fact (an update back to it is no news). */
    public boolean sameValueAs(WasOnce other) {
        return type.equals(other.type) && id.equals(other.id) && field.equals(other.field) && Objects.equals(value, other.value);
    }

    @Override
    public String toString() {
        return type + " " + id + " once had " + field + " = " + value;
    }
}
