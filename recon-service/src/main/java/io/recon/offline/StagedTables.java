package io.recon.offline;

import io.recon.source.SourceBinding;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kie.api.KieBase;
import org.kie.api.definition.type.FactField;
import org.kie.api.definition.type.FactType;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A task's sources as TEMPORARY tables on one connection to Recon's own database, for an SQL check: the sources live
 * in different databases, so a join across them can only run where their records are brought together. One table per
 * source, named after it ({@code shop-orders} becomes {@code shop_orders}), one column per field of its fact type in
 * snake case ({@code orderId} becomes {@code order_id}), typed after the field (text, numeric, bigint for times in epoch
 * milliseconds, double precision, boolean). The check then runs in a READ ONLY transaction with a statement timeout and
 * a row cap; closing drops the tables before the connection goes back to its pool.
 */
final class StagedTables implements AutoCloseable {

    private static final int BATCH = 1_000;

    record Column(String name, String field, String type) {
    }

    record Table(String name, String source, List<Column> columns) {
    }

    private final Connection connection;
    private final Map<String, Table> bySource = new LinkedHashMap<>();
    private final Map<String, PreparedStatement> inserts = new LinkedHashMap<>();
    private final Map<String, Integer> pending = new LinkedHashMap<>();

    StagedTables(Connection connection, List<Table> tables) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(true);
        try (Statement st = connection.createStatement()) {
            for (Table t : tables) {
                StringBuilder ddl = new StringBuilder("create temporary table \"" + t.name() + "\" (");
                StringBuilder insert = new StringBuilder("insert into pg_temp.\"" + t.name() + "\" values (");
                for (int i = 0; i < t.columns().size(); i++) {
                    Column c = t.columns().get(i);
                    ddl.append(i == 0 ? "" : ", ").append('"').append(c.name()).append("\" ").append(c.type());
                    insert.append(i == 0 ? "" : ", ").append("cast(? as ").append(c.type()).append(')');
                }
                st.execute("drop table if exists pg_temp.\"" + t.name() + "\"");
                st.execute(ddl.append(')').toString());
                bySource.put(t.source(), t);
                inserts.put(t.source(), connection.prepareStatement(insert.append(')').toString()));
                pending.put(t.source(), 0);
            }
        }
    }

    /** The tables of a task's sources (HTTP sources too: they are staged empty, an offline run cannot read them). */
    static List<Table> of(KieBase base, Map<String, SourceBinding> bindings) {
        List<Table> out = new ArrayList<>();
        bindings.forEach((source, binding) -> {
            int dot = binding.type().lastIndexOf('.');
            FactType type = base.getFactType(binding.type().substring(0, dot), binding.type().substring(dot + 1));
            if (type == null) {
                throw new RunRefusal("Source " + source + ": the rules declare no type " + binding.type());
            }
            List<Column> columns = new ArrayList<>();
            for (FactField f : type.getFields()) {
                columns.add(new Column(snake(f.getName()), f.getName(), sqlType(f.getType())));
            }
            out.add(new Table(source.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"), source, columns));
        });
        return out;
    }

    static Set<String> names(List<Table> tables) {
        Set<String> names = new TreeSet<>();
        tables.forEach(t -> names.add(t.name()));
        return names;
    }

    /** Adds one record's fact to its source's table. */
    void add(SourceRecord record) throws SQLException {
        Table table = bySource.get(record.source());
        if (table == null) {
            return;
        }
        PreparedStatement insert = inserts.get(record.source());
        Map<String, Object> fields = record.envelope().fact().fields();
        for (int i = 0; i < table.columns().size(); i++) {
            Object value = fields.get(table.columns().get(i).field());
            insert.setString(i + 1, value == null ? null : value.toString());
        }
        insert.addBatch();
        int n = pending.merge(record.source(), 1, Integer::sum);
        if (n >= BATCH) {
            insert.executeBatch();
            pending.put(record.source(), 0);
        }
    }

    /**
     * Runs the (already vetted) check read-only. @return its rows, column label (lower case) to value
     *
     * @throws SqlCheckRefusal with PostgreSQL's message and where in the SQL it points, or when there are more than
     *                         {@code cap} rows
     */
    List<Map<String, Object>> query(String sql, Duration timeout, int cap) throws SQLException {
        for (Map.Entry<String, PreparedStatement> e : inserts.entrySet()) {
            if (pending.get(e.getKey()) > 0) {
                e.getValue().executeBatch();
                pending.put(e.getKey(), 0);
            }
        }
        connection.setAutoCommit(false);
        connection.setReadOnly(true); // the transaction begins READ ONLY: a write, even to a staged table, fails
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement st = connection.createStatement()) {
            st.execute("set local statement_timeout = " + Math.max(1, timeout.toMillis()));
            st.execute("set local search_path = pg_temp, pg_catalog"); // unqualified names are the staged tables first
            st.setMaxRows(cap + 1);
            try (ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData meta = rs.getMetaData();
                Set<String> labels = new TreeSet<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    labels.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
                }
                if (!labels.contains("key") || !labels.contains("type")) {
                    throw new SqlCheckRefusal("The check's rows have the columns " + labels + "; each row is a mismatch and needs at least"
                            + " 'key' (the correlation key) and 'type' (e.g. MISSING), optionally 'detail' and 'severity'");
                }
                while (rs.next()) {
                    if (rows.size() == cap) {
                        throw new SqlCheckRefusal("The check returned more than " + cap + " rows; narrow it (the cap keeps a wrong join"
                                + " from filling Recon's database)");
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), value == null || value instanceof Number
                                || value instanceof Boolean || value instanceof String ? value : value.toString());
                    }
                    rows.add(row);
                }
            }
        } catch (PSQLException e) {
            throw new SqlCheckRefusal("PostgreSQL refused the check: " + described(e, sql));
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
            connection.setAutoCommit(true);
        }
        return rows;
    }

    /** The server's message with the line and column its position points at, and that line. */
    private static String described(PSQLException e, String sql) {
        ServerErrorMessage server = e.getServerErrorMessage();
        if (server == null) {
            return e.getMessage();
        }
        String message = server.getMessage();
        if ("57014".equals(server.getSQLState())) {
            message = message + " (the check ran longer than its time limit)";
        }
        int position = server.getPosition();
        if (position <= 0 || position > sql.length() + 1) {
            return message;
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < position - 1; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int lineEnd = sql.indexOf('\n', lineStart);
        String text = sql.substring(lineStart, lineEnd < 0 ? sql.length() : lineEnd).strip();
        return message + ", at line " + line + ", column " + (position - lineStart) + " (character " + position + "): " + text;
    }

    @Override
    public void close() {
        inserts.values().forEach(p -> {
            try {
                p.close();
            } catch (SQLException e) {
                // the connection is cleaned below
            }
        });
        try (connection) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            try (Statement st = connection.createStatement()) {
                st.execute("discard temp"); // the pooled connection keeps no staged rows for its next user
            }
        } catch (SQLException e) {
            // a broken connection is dropped by the pool, its temporary tables with it
        }
    }

    private static String snake(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String sqlType(Class<?> type) {
        if (type == BigDecimal.class) {
            return "numeric";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class || type == short.class
                || type == Short.class || type == java.math.BigInteger.class) {
            return "bigint";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "double precision";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean";
        }
        return "text";
    }
}
