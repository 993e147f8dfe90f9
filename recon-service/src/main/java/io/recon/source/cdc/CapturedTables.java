package io.recon.source.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Recon checks about the tables of one captured database, directly in its catalog:
 *
 * <ul>
 *   <li>At start, each table exists and has {@code REPLICA IDENTITY FULL}, so that a delete carries
 *       the whole old row (id and correlation key) and an update its old correlation key. A table
 *       with another identity is set to FULL (logged); when that is not allowed (the capture user
 *       does not own the table) the database is not captured and {@link Inspection#problems()} says
 *       which statement its owner must run.</li>
 *   <li>At start, the columns and their types, so that a change missing a column (dropped) or
 *       carrying another type (retyped) is recognised ({@link TableShape}).</li>
 *   <li>While running, each table is still there under its name ({@link #renamed}): Debezium filters
 *       changes by name, so a renamed table would silently stop being captured.</li>
 * </ul>
 */
public final class CapturedTables implements DatabaseTables {

    private static final Logger log = LoggerFactory.getLogger(CapturedTables.class);

    private final CdcSourceConfig config;
    private final SecretMasker masker;

    public CapturedTables(CdcSourceConfig config) {
        this.config = config;
        this.masker = new SecretMasker(List.of(config.password()));
    }

    /**
     * @param shapes      schema.table to its columns and their SQL types
     * @param oids        schema.table to its pg_class oid
     * @param problems    why the database must not be captured, in words
     * @param unreachable why the database could not be inspected (it is down or refuses the login):
     *                    not a reason to refuse, the engine then fails or waits on its own
     */
    public record Inspection(Map<String, TableShape> shapes, Map<String, Long> oids, List<String> problems, String unreachable) {
    }

    @Override
    public Inspection inspect() {
        Map<String, TableShape> shapes = new LinkedHashMap<>();
        Map<String, Long> oids = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try (Connection c = connect()) {
            for (String table : config.tables()) {
                Optional<Table> found = find(c, table);
                if (found.isEmpty()) {
                    problems.add("table " + table + " does not exist in database " + config.database() + " (renamed or dropped?);"
                            + " no table of this database is captured until it exists or its binding names the table's new name");
                    continue;
                }
                oids.put(table, found.get().oid());
                if (found.get().replicaIdentity() != 'f') {
                    String problem = makeFull(c, table, found.get().replicaIdentity());
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
                shapes.put(table, new TableShape(table, columns(c, table)));
            }
        } catch (SQLException e) {
            return new Inspection(Map.of(), Map.of(), List.of(), "cannot inspect the captured tables of database " + config.database()
                    + " at " + config.host() + ":" + config.port() + ": " + masker.mask(e.getMessage()));
        }
        return new Inspection(shapes, oids, problems, null);
    }

    /** The table's current name when it is no longer {@code table} (renamed), "(dropped)" when gone, else empty. */
    @Override
    public Optional<String> renamed(String table, long oid) {
        try (Connection c = connect()) {
            if (find(c, table).map(t -> t.oid() == oid).orElse(false)) {
                return Optional.empty();
            }
            try (PreparedStatement s = c.prepareStatement("select n.nspname || '.' || c.relname from pg_class c"
                    + " join pg_namespace n on n.oid = c.relnamespace where c.oid = ?")) {
                s.setLong(1, oid);
                try (ResultSet rs = s.executeQuery()) {
                    return Optional.of(rs.next() ? rs.getString(1) : "(dropped)");
                }
            }
        } catch (SQLException e) {
            return Optional.empty(); // the database being away is the source's own failure, not a rename
        }
    }

    /**
     * Makes the capture's publication list exactly its tables (creating it when missing), so that a table added to a
     * running capture is streamed from the next commit on once the engine restarts from its offsets. Left to Debezium
     * when not allowed (the capture user does not own the tables).
     */
    @Override
    public void publishExactly() {
        String tables = String.join(", ", config.tables().stream().map(CapturedTables::quoted).toList());
        try (Connection c = connect(); Statement s = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = s.executeQuery("select 1 from pg_publication where pubname = '" + config.publicationName() + "'")) {
                exists = rs.next();
            }
            s.execute((exists ? "ALTER PUBLICATION " : "CREATE PUBLICATION ") + "\"" + config.publicationName() + "\""
                    + (exists ? " SET TABLE " : " FOR TABLE ") + tables);
        } catch (SQLException e) {
            log.warn("publication {} of database {} not brought to the tables {}: {}", config.publicationName(), config.database(),
                    config.tables(), masker.mask(e.getMessage()));
        }
    }

    /** Debezium's signal table in a captured database (made on the first incremental snapshot asked for). */
    public static final String SIGNAL_TABLE = "public.recon_signal";

    @Override
    public String signalTable() {
        return SIGNAL_TABLE;
    }

    @Override
    public boolean hasSignalTable() {
        try (Connection c = connect()) {
            return find(c, SIGNAL_TABLE).isPresent();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void ensureSignalTable() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create table if not exists " + quoted(SIGNAL_TABLE) + " (id varchar(64) primary key, type varchar(32) not null,"
                    + " data varchar(2048))");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create Debezium's signal table " + SIGNAL_TABLE + " in database " + config.database()
                    + " for an incremental snapshot: " + masker.mask(e.getMessage()) + "; have its owner create it", e);
        }
    }

    /** Asks the running capture to read the table's current rows (Debezium's incremental snapshot, in chunks beside the stream). */
    @Override
    public void signalSnapshot(String table) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("insert into " + quoted(SIGNAL_TABLE)
                + " (id, type, data) values (?, 'execute-snapshot', ?)")) {
            s.setString(1, java.util.UUID.randomUUID().toString());
            s.setString(2, "{\"data-collections\": [\"" + table + "\"], \"type\": \"incremental\"}");
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot ask for an incremental snapshot of " + table + ": " + masker.mask(e.getMessage()), e);
        }
    }

    /** Why the capture user cannot read the table, or null when it can. */
    @Override
    public String unreadable(String table) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeQuery("select * from " + quoted(table) + " limit 0").close();
            return null;
        } catch (SQLException e) {
            return masker.mask(e.getMessage());
        }
    }

    private String makeFull(Connection c, String table, char identity) {
        String was = switch (identity) {
            case 'd' -> "DEFAULT (primary key only)";
            case 'n' -> "NOTHING";
            case 'i' -> "USING INDEX";
            default -> String.valueOf(identity);
        };
        String statement = "ALTER TABLE " + quoted(table) + " REPLICA IDENTITY FULL";
        try (Statement s = c.createStatement()) {
            s.execute(statement);
            log.warn("captured table {} had REPLICA IDENTITY {}: set it to FULL, so that deletes carry the old row and updates"
                    + " their old correlation key ({})", table, was, statement);
            return null;
        } catch (SQLException e) {
            return "table " + table + " has REPLICA IDENTITY " + was + ": its deletes would carry no correlation key and its updates"
                    + " no old key, so Recon could not retract their facts; setting it to FULL failed (" + masker.mask(e.getMessage())
                    + "). Have the table's owner run: " + statement + "; database " + config.database() + " is not captured until then";
        }
    }

    private record Table(long oid, char replicaIdentity) {
    }

    private static Optional<Table> find(Connection c, String table) throws SQLException {
        String[] parts = table.split("\\.", 2);
        try (PreparedStatement s = c.prepareStatement("select c.oid, c.relreplident from pg_class c join pg_namespace n"
                + " on n.oid = c.relnamespace where n.nspname = ? and c.relname = ? and c.relkind in ('r', 'p')")) {
            s.setString(1, parts[0]);
            s.setString(2, parts[1]);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Table(rs.getLong(1), rs.getString(2).charAt(0))) : Optional.empty();
            }
        }
    }

    private static Map<String, String> columns(Connection c, String table) throws SQLException {
        String[] parts = table.split("\\.", 2);
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("select column_name, data_type from information_schema.columns"
                + " where table_schema = ? and table_name = ? order by ordinal_position")) {
            s.setString(1, parts[0]);
            s.setString(2, parts[1]);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private static String quoted(String table) {
        String[] parts = table.split("\\.", 2);
        return "\"" + parts[0] + "\".\"" + parts[1] + "\"";
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", config.user());
        props.setProperty("password", config.password());
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + config.host() + ":" + config.port() + "/" + config.database(), props);
    }
}
