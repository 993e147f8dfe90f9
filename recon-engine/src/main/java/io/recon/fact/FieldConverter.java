package io.recon.fact;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;

/**
 * Turns the values sources deliver (JDBC/Debezium Java values, JSON scalars) into the Java type of a
 * declared fact field. The same converter reads facts back from the facts topic, so a value
 * converts identically on both sides.
 */
final class FieldConverter {

    /**
     * Digits a number may have before and after its decimal point. A value such as {@code 1e999999999}
     * is short to send but would be a billion digits long once written out (and sessions write
     * amounts out): it is a data error, refused with the field named.
     */
    static final int MAX_DIGITS = 100;

    private FieldConverter() {
    }

    static Object convert(Object value, Class<?> target, String field) {
        if (value == null) {
            if (target.isPrimitive()) {
                throw new MappingException("field '" + field + "' is required (" + target.getSimpleName() + ") but the record has no value");
            }
            return null;
        }
        try {
            if (target == String.class) {
                return value instanceof Instant i ? i.toString() : value.toString();
            }
            if (target == BigDecimal.class) {
                return bounded(toBigDecimal(value), value, field);
            }
            if (target == long.class || target == Long.class) {
                return toEpochOrLong(value);
            }
            if (target == int.class || target == Integer.class) {
                return toBigDecimal(value).intValueExact();
            }
            if (target == double.class || target == Double.class) {
                double d = bounded(toBigDecimal(value), value, field).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new MappingException("field '" + field + "' holds " + value + ", which is not a finite number");
                }
                return d;
            }
            if (target == boolean.class || target == Boolean.class) {
                return toBoolean(value);
            }
            if (target == Instant.class) {
                return Instant.ofEpochMilli(toEpochOrLong(value));
            }
        } catch (MappingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw wrongType(value, target, field);
        }
        if (target.isInstance(value)) {
            return value;
        }
        throw wrongType(value, target, field);
    }

    /** The value as it travels on the facts topic: JSON-safe and exact (amounts as plain strings). */
    static Object normalize(Object converted) {
        if (converted instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (converted instanceof Instant i) {
            return i.toEpochMilli();
        }
        return converted;
    }

    private static BigDecimal bounded(BigDecimal number, Object value, String field) {
        if (number.precision() - number.scale() > MAX_DIGITS || number.scale() > MAX_DIGITS) {
            String shown = String.valueOf(value);
            throw new MappingException("field '" + field + "' holds " + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown)
                    + ", a number with more than " + MAX_DIGITS + " digits before or after the decimal point (an exponent that"
                    + " large is a data error); correct the value at the source");
        }
        return number;
    }

    private static MappingException wrongType(Object value, Class<?> target, String field) {
        String expected = target == long.class || target == Long.class || target == Instant.class
                ? "a time (ISO-8601 such as 2026-01-31T12:00:00Z, or epoch milliseconds) or a whole number"
                : target.getSimpleName();
        return new MappingException("field '" + field + "' expects " + expected + " but the record has '"
                + value + "' (" + value.getClass().getSimpleName() + ")");
    }

    private static BigDecimal toBigDecimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof String s) {
            return new BigDecimal(s.trim());
        }
        throw new IllegalArgumentException();
    }

    private static long toEpochOrLong(Object value) {
        if (value instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (value instanceof Date d) {
            return d.getTime();
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toEpochMilli();
        }
        if (value instanceof Number n) {
            return toBigDecimal(n).longValueExact();
        }
        if (value instanceof String s) {
            String text = s.trim();
            if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()) {
                return Long.parseLong(text);
            }
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            }
        }
        throw new IllegalArgumentException();
    }

    private static boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException();
    }
}
