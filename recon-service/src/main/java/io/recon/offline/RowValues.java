package io.recon.offline;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row read with JDBC as the same plain Java values a captured change carries (see the CDC source's value
 * converter): {@code timestamptz} and {@code timestamp} (taken as UTC) become Instants, {@code date} LocalDate,
 * {@code time} LocalTime, {@code timetz} OffsetTime, {@code numeric} BigDecimal, {@code smallint} Integer,
 * {@code real} Double, {@code bytea} byte[], {@code uuid}, {@code json} and other PostgreSQL types their text.
 * So a row maps onto its fact type alike on the live and the offline path.
 */
final class RowValues {

    private RowValues() {
    }

    static Map<String, Object> of(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnName(i), value(rs, i, meta.getColumnTypeName(i)));
        }
        return row;
    }

    private static Object value(ResultSet rs, int i, String type) throws SQLException {
        if (rs.getObject(i) == null) {
            return null;
        }
        return switch (type) {
            case "timestamptz" -> rs.getObject(i, OffsetDateTime.class).toInstant();
            case "timestamp" -> rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            case "date" -> rs.getObject(i, LocalDate.class);
            case "time" -> rs.getObject(i, LocalTime.class);
            case "timetz" -> rs.getObject(i, OffsetTime.class);
            case "numeric" -> rs.getBigDecimal(i);
            case "int2", "int4" -> rs.getInt(i);
            case "int8" -> rs.getLong(i);
            case "float4" -> Double.valueOf(Float.toString(rs.getFloat(i)));
            case "float8" -> rs.getDouble(i);
            case "bool" -> rs.getBoolean(i);
            case "bytea" -> rs.getBytes(i);
            case "text", "varchar", "bpchar", "name" -> rs.getString(i);
            default -> type.startsWith("_") ? list(rs.getArray(i)) : rs.getString(i);
        };
    }

    private static List<Object> list(Array array) throws SQLException {
        Object[] elements = (Object[]) array.getArray();
        List<Object> out = new ArrayList<>(elements.length);
        for (Object e : elements) {
            out.add(e == null || e instanceof String || e instanceof Number || e instanceof Boolean ? e : String.valueOf(e));
        }
        return out;
    }
}
