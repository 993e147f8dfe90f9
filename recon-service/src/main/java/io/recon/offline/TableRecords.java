package io.recon.offline;

import io.recon.fact.FactMapper;
import io.recon.source.SourceBinding;
import io.recon.source.SourceRecords;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * A captured table's rows over a run's period, streamed in event-time order from its database's snapshot:
 * {@code select * from <table> where <event-time column> >= ? and < ? order by <event-time column>}. Each row
 * is mapped onto the source's fact type as a captured change of it would be.
 */
final class TableRecords implements RecordStream {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int FETCH = 1_000;

    private final String source;
    private final SourceRecords mapping;
    private final RunProgress progress;
    private final PreparedStatement query;
    private final ResultSet rows;
    private final long total;
    private long row;

    TableRecords(String source, SourceBinding binding, DatabaseSnapshot db, Instant from, Instant to, SourceRecords mapping,
                 RunProgress progress) throws SQLException {
        this.source = source;
        this.mapping = mapping;
        this.progress = progress;
        String table = quoted(binding.table());
        Column column = eventTimeColumn(source, binding, db, table);
        String where = " where " + column.quoted() + " >= ? and " + column.quoted() + " < ?";
        try (PreparedStatement count = db.connection().prepareStatement("select count(*) from " + table + where)) {
            bind(count, column, from, to);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        query = db.connection().prepareStatement("select * from " + table + where + " order by " + column.quoted(),
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        query.setFetchSize(FETCH);
        bind(query, column, from, to);
        rows = query.executeQuery();
    }

    @Override
    public SourceRecord next() throws SQLException {
        while (rows.next()) {
            row++;
            SourceRecords.Mapped mapped;
            try {
                var values = RowValues.of(rows);
                mapped = mapping.upsert(source, values, 0);
            } catch (RuntimeException e) {
                mapped = new SourceRecords.Mapped(null, "cannot read the row: " + e.getMessage());
            }
            if (mapped.reason() != null) {
                progress.reject(source, "row " + row, mapped.reason());
            } else if (!mapped.skipped()) {
                return new SourceRecord(source, mapped.envelope());
            }
        }
        return null;
    }

    @Override
    public long estimatedTotal() {
        return total;
    }

    @Override
    public void close() {
        try (query) {
            rows.close();
        } catch (SQLException e) {
            // the snapshot's transaction ends anyway
        }
    }

    private record Column(String name, String type) {
        String quoted() {
            return "\"" + name + "\"";
        }
    }

    /** The column the binding's event-time field is read from, with its SQL type. */
    private static Column eventTimeColumn(String source, SourceBinding binding, DatabaseSnapshot db, String table) throws SQLException {
        String field = binding.eventTime();
        if (field == null || field.isBlank()) {
            throw new RunRefusal("Source " + source + " has no event-time field, so a run cannot select its records of a period;"
                    + " give the binding an eventTime");
        }
        String renamed = binding.fields().get(field);
        if (binding.derived().containsKey(field) || (renamed != null && !IDENTIFIER.matcher(renamed).matches())) {
            throw new RunRefusal("Source " + source + ": its event time (" + field + ") is derived or read from a JSON path, so a run"
                    + " cannot select a period by it in SQL; bind it to a column");
        }
        try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery("select * from " + table + " where false")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String column = meta.getColumnName(i);
                boolean matches = renamed != null ? column.equals(renamed)
                        : column.equals(field) || FactMapper.toFieldName(column).equals(field);
                if (matches) {
                    String type = meta.getColumnTypeName(i);
                    if (!type.equals("timestamptz") && !type.equals("timestamp") && !type.equals("int8")) {
                        throw new RunRefusal("Source " + source + ": its event-time column " + column + " is " + type
                                + "; a run selects a period on timestamptz, timestamp (UTC) or bigint (epoch milliseconds) columns");
                    }
                    return new Column(column, type);
                }
            }
        }
        throw new RunRefusal("Source " + source + ": table " + binding.table() + " has no column for the event-time field " + field);
    }

    private static void bind(PreparedStatement st, Column column, Instant from, Instant to) throws SQLException {
        switch (column.type()) {
            case "timestamptz" -> {
                st.setObject(1, from.atOffset(ZoneOffset.UTC));
                st.setObject(2, to.atOffset(ZoneOffset.UTC));
            }
            case "timestamp" -> {
                st.setObject(1, from.atOffset(ZoneOffset.UTC).toLocalDateTime());
                st.setObject(2, to.atOffset(ZoneOffset.UTC).toLocalDateTime());
            }
            default -> {
                st.setLong(1, from.toEpochMilli());
                st.setLong(2, to.toEpochMilli());
            }
        }
    }

    /** schema.table, each part quoted; refuses anything else (a catalog entry is checked on write, this is a second guard). */
    private static String quoted(String table) {
        String[] parts = table.split("\\.");
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (!IDENTIFIER.matcher(part).matches()) {
                throw new RunRefusal("table name " + table + " is not schema.table");
            }
            out.append(out.isEmpty() ? "" : ".").append('"').append(part).append('"');
        }
        return out.toString();
    }
}
