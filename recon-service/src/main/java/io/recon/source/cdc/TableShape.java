package io.recon.source.cdc;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;

/**
 * The columns of a captured table and their SQL types as they were when capture started. A change
 * that lacks a column feeding a declared field (the column was dropped or renamed), or carries a
 * value of another Java type than that column's type gives (it was retyped: a {@code timestamptz}
 * turned {@code bigint} holds seconds or milliseconds, Recon cannot tell), is refused with the column
 * named instead of becoming a fact with a default 0 or a wrong time.
 */
public record TableShape(String table, Map<String, String> columnTypes) {

    /** @param fedColumns the columns that fill a declared field; @return null when the change fits, else why not */
    public String misfit(Map<String, Object> row, Collection<String> fedColumns) {
        for (String column : fedColumns) {
            if (!row.containsKey(column)) {
                return "column '" + column + "' of " + table + " is not in this change: it was dropped or renamed since capture"
                        + " started, and the field it fills would silently be empty or 0; restore the column, or change the rules'"
                        + " declared type or the binding, restart, then retry this dead letter";
            }
            Object value = row.get(column);
            Class<?> expected = javaType(columnTypes.get(column));
            if (value != null && expected != null && !expected.isInstance(value)) {
                String shown = String.valueOf(value);
                return "column '" + column + "' of " + table + " was " + columnTypes.get(column) + " when capture started, but this"
                        + " change carries a " + value.getClass().getSimpleName() + " (" + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown)
                        + "): it was retyped, and Recon does not guess what the new values mean (seconds or milliseconds?);"
                        + " restore the type or map the new one, restart (capture then takes the new type), then retry this dead letter";
            }
        }
        return null;
    }

    /** The Java type {@link ValueConverter} gives a column of this SQL type; null where it does not matter or varies. */
    static Class<?> javaType(String sqlType) {
        if (sqlType == null) {
            return null;
        }
        return switch (sqlType) {
            // PostgreSQL's names, then MariaDB's (information_schema.columns.data_type)
            case "timestamp with time zone", "timestamp without time zone", "timestamp", "datetime" -> Instant.class;
            case "date" -> LocalDate.class;
            case "bigint" -> Long.class;
            case "integer", "smallint", "int", "mediumint", "tinyint" -> Integer.class;
            case "numeric", "money", "decimal" -> BigDecimal.class;
            case "text", "character varying", "character", "varchar", "char", "tinytext", "mediumtext", "longtext", "enum" -> String.class;
            case "boolean" -> Boolean.class;
            case "double precision", "real", "double", "float" -> Double.class;
            default -> null;
        };
    }
}
