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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What Recon checks about a captured MariaDB database before reading its binlog:
 *
 * <ul>
 *   <li>the server writes a binlog ({@code log_bin=ON}) of whole rows ({@code binlog_format=ROW},
 *       {@code binlog_row_image=FULL}): without it there are no row changes to read, or deletes and updates carry only
 *       some columns, and Recon could not retract their facts;</li>
 *   <li>the capture user may read the binlog ({@code REPLICATION SLAVE}), its position ({@code BINLOG MONITOR}, in
 *       MySQL {@code REPLICATION CLIENT}) and take the snapshot's short global read lock ({@code RELOAD});</li>
 *   <li>each table exists in the entry's database (a table is written {@code database.table}) and its columns and types,
 *       as for PostgreSQL ({@link TableShape}).</li>
 * </ul>
 * Each refusal says what to change.
 */
public final class MariaDbTables implements DatabaseTables {

    /** Where the catch-up marker is written, in the captured database (see {@link CatchUpMarker}). */
    static final String MARKER_TABLE = "recon_caught_up";

    private final CdcSourceConfig config;
    private final SecretMasker masker;

    public MariaDbTables(CdcSourceConfig config) {
        this.config = config;
        this.masker = new SecretMasker(List.of(config.password()));
    }

    @Override
    public CapturedTables.Inspection inspect() {
        Map<String, TableShape> shapes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try (Connection c = connect(config)) {
            problems.addAll(serverProblems(c, config.user(), config.host() + ":" + config.port()));
            for (String table : config.tables()) {
                String[] parts = table.split("\\.", 2);
                if (!parts[0].equals(config.database())) {
                    problems.add("table " + table + " is not in database " + config.database() + ": a MariaDB table is written"
                            + " <database>.<table> with the database entry's own database (here " + config.database() + "." + parts[1]
                            + "); register another database entry for " + parts[0]);
                    continue;
                }
                Map<String, String> columns = columns(c, parts[0], parts[1]);
                if (columns.isEmpty()) {
                    problems.add("table " + table + " does not exist in database " + config.database() + " (renamed or dropped?);"
                            + " no table of this database is captured until it exists or its binding names the table's new name");
                    continue;
                }
                shapes.put(table, new TableShape(table, columns));
            }
        } catch (SQLException e) {
            return new CapturedTables.Inspection(Map.of(), Map.of(), List.of(), "cannot inspect the captured tables of database "
                    + config.database() + " at " + config.host() + ":" + config.port() + ": " + masker.mask(e.getMessage()));
        }
        return new CapturedTables.Inspection(shapes, Map.of(), problems, null);
    }

    /**
     * Why this server cannot be captured by this user, in sentences that say what to change; empty when it can.
     * Registration ({@code PUT /api/databases/...}) refuses with these.
     */
    public static List<String> serverProblems(Connection c, String user, String where) throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<String, String> vars = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image')")) {
            while (rs.next()) {
                vars.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        if (!"ON".equalsIgnoreCase(vars.get("log_bin"))) {
            problems.add("the MariaDB server at " + where + " writes no binlog (log_bin is " + vars.getOrDefault("log_bin", "unknown")
                    + "), so there are no changes to capture: start it with log_bin, e.g. log_bin=binlog and server_id=1 in the [mariadbd]"
                    + " section of its configuration, and restart it");
        }
        if (!"ROW".equalsIgnoreCase(vars.get("binlog_format"))) {
            problems.add("the MariaDB server at " + where + " logs binlog_format=" + vars.get("binlog_format") + ", which carries statements,"
                    + " not rows: set binlog_format=ROW (SET GLOBAL binlog_format='ROW', and in its configuration so that it stays)");
        }
        if (!"FULL".equalsIgnoreCase(vars.get("binlog_row_image"))) {
            problems.add("the MariaDB server at " + where + " logs binlog_row_image=" + vars.get("binlog_row_image") + ": updates and"
                    + " deletes would carry only some columns (no correlation key), so Recon could not retract their facts; set"
                    + " binlog_row_image=FULL (SET GLOBAL binlog_row_image='FULL', and in its configuration)");
        }
        String grants = grants(c);
        List<String> missing = new ArrayList<>();
        if (!grants.contains("ALL PRIVILEGES ON *.*")) {
            if (!hasGlobal(grants, "REPLICATION SLAVE") && !hasGlobal(grants, "REPLICATION REPLICA")) {
                missing.add("REPLICATION SLAVE");
            }
            if (!hasGlobal(grants, "BINLOG MONITOR") && !hasGlobal(grants, "REPLICATION CLIENT") && !hasGlobal(grants, "SUPER")) {
                missing.add("BINLOG MONITOR");
            }
            if (!hasGlobal(grants, "RELOAD")) {
                missing.add("RELOAD");
            }
        }
        if (!missing.isEmpty()) {
            problems.add("user " + user + " lacks " + String.join(", ", missing) + " (it reads the binlog, its position, and locks the"
                    + " tables for a moment at the first snapshot): have an administrator run GRANT " + String.join(", ", missing)
                    + " ON *.* TO '" + user + "'@'<host>'");
        }
        return problems;
    }

    private static boolean hasGlobal(String grants, String privilege) {
        for (String line : grants.split("\n")) {
            if (line.contains(" ON *.* ") && line.contains(privilege)) {
                return true;
            }
        }
        return false;
    }

    private static String grants(Connection c) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) {
                all.append(rs.getString(1).toUpperCase(Locale.ROOT).replace("`", "")).append('\n');
            }
        }
        return all.toString();
    }

    @Override
    public Optional<String> renamed(String table, long oid) {
        return Optional.empty(); // MariaDB tables have no stable id to follow a rename by; the start checks find a missing table
    }

    @Override
    public void publishExactly() {
        // nothing to do: the binlog carries every table, Debezium filters by the include list
    }

    @Override
    public String signalTable() {
        return config.database() + ".recon_signal";
    }

    @Override
    public boolean hasSignalTable() {
        try (Connection c = connect(config)) {
            return !columns(c, config.database(), "recon_signal").isEmpty();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void ensureSignalTable() {
        try (Connection c = connect(config); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + quoted(signalTable()) + " (id VARCHAR(64) PRIMARY KEY, type VARCHAR(32) NOT NULL,"
                    + " data VARCHAR(2048))");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create Debezium's signal table " + signalTable() + " for an incremental snapshot: "
                    + masker.mask(e.getMessage()) + "; have its owner create it", e);
        }
    }

    @Override
    public void signalSnapshot(String table) {
        try (Connection c = connect(config); PreparedStatement s = c.prepareStatement("INSERT INTO " + quoted(signalTable())
                + " (id, type, data) VALUES (?, 'execute-snapshot', ?)")) {
            s.setString(1, java.util.UUID.randomUUID().toString());
            s.setString(2, "{\"data-collections\": [\"" + table + "\"], \"type\": \"incremental\"}");
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot ask for an incremental snapshot of " + table + ": " + masker.mask(e.getMessage()), e);
        }
    }

    @Override
    public String unreadable(String table) {
        try (Connection c = connect(config); Statement s = c.createStatement()) {
            s.executeQuery("SELECT * FROM " + quoted(table) + " LIMIT 0").close();
            return null;
        } catch (SQLException e) {
            return masker.mask(e.getMessage());
        }
    }

    private static Map<String, String> columns(Connection c, String schema, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns;
    }

    static String quoted(String table) {
        String[] parts = table.split("\\.", 2);
        return "`" + parts[0].replace("`", "``") + "`.`" + parts[1].replace("`", "``") + "`";
    }

    /** True when the database accepts a connection and answers within 2 s (for supervision's early restart). */
    public static boolean answers(CdcSourceConfig config) {
        try (Connection c = connect(config)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A plain JDBC connection to the database (MySQL's driver speaks MariaDB's protocol). */
    static Connection connect(CdcSourceConfig config) throws SQLException {
        return connect(config.host(), config.port(), config.database(), config.user(), config.password());
    }

    public static Connection connect(String host, int port, String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", "10000");
        return DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/" + database, props);
    }
}
