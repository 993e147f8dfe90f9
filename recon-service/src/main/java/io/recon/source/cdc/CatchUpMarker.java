package io.recon.source.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves that a CDC source has delivered everything committed so far: every second it writes a
 * transactional logical-decoding message ({@code pg_logical_emit_message}) into the source database's
 * WAL and watches it come back through the replication stream. WAL order makes it exact: every change
 * committed before a marker arrives before it. The source is caught up from the first marker that comes
 * back (after a restart: once what was committed while Recon was down is delivered), and behind again as
 * soon as a marker cannot be written (the database is down) or is not back within {@link #STALE_MS}
 * (the stream is stuck or far behind). Only a caught-up source may count as idle, with wall time.
 *
 * <p>A MariaDB binlog carries no such message: there the marker is the capture's row of a small table in the captured
 * database ({@link MariaDbTables#MARKER_TABLE}, created when missing), updated every second; binlog order makes it as
 * exact. Only a streamed update counts, not the row as a snapshot reads it: the snapshot may read other tables after it.
 *
 * <p>If the database refuses the function itself, the source counts as caught up after {@link #GIVE_UP_MS}
 * and a warning says what to grant.
 */
final class CatchUpMarker implements AutoCloseable {

    /** What the marker proves, as it changes. */
    interface Listener {
        /** @param provenUpTo wall time when the marker that came back was written: everything committed before it is delivered */
        void caughtUp(long provenUpTo);

        void behind(String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(CatchUpMarker.class);
    static final String PREFIX = "recon-caught-up-";
    private static final long EVERY_MS = 1_000;
    private static final long STALE_MS = 5_000;
    private static final long GIVE_UP_MS = 30_000;

    private final CdcSourceConfig config;
    private final Listener listener;
    private final String prefix = PREFIX + UUID.randomUUID() + "-";
    private final ScheduledExecutorService timer;
    private Connection connection;
    private long sequence;
    /** Wall time each marker was written, by sequence number; the oldest unconfirmed one decides staleness. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Long> outstanding = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile boolean caughtUp;
    private volatile boolean everConfirmed;
    private volatile boolean refused;
    private volatile boolean closed;
    private volatile boolean refusedForGood;
    private long started;
    private boolean markerTableMade;

    CatchUpMarker(CdcSourceConfig config, Listener listener) {
        this.config = config;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cdc-" + config.name() + "-catch-up");
            t.setDaemon(true);
            return t;
        });
    }

    /** Called once the engine polls: from now on the slot exists or is about to. */
    void start() {
        started = System.currentTimeMillis();
        timer.scheduleWithFixedDelay(this::tick, 0, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        if (closed) {
            return;
        }
        long now = System.currentTimeMillis();
        String failure = emit(now);
        if (failure != null) {
            if (refused && !everConfirmed && now - started > GIVE_UP_MS) {
                log.warn("CDC source {}: counting it as caught up without proof after {} s", config.name(), GIVE_UP_MS / 1000);
                everConfirmed = true;
                refusedForGood = true;
                changeTo(true, null);
            } else if (!refused) {
                changeTo(false, "its database cannot be reached (" + failure + ")");
            }
            return;
        }
        var oldest = outstanding.firstEntry();
        if (oldest != null && now - oldest.getValue() > STALE_MS) {
            changeTo(false, "its change stream is more than " + STALE_MS / 1000 + " s behind the database");
        }
    }

    /** @return null when a marker was written, else why not */
    private String emit(long now) {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connect();
            }
            long n = ++sequence;
            if (config.kind() == CdcSourceConfig.Kind.MARIADB) {
                writeRow(prefix + n);
            } else {
                try (PreparedStatement ps = connection.prepareStatement("select pg_logical_emit_message(true, ?, '')")) {
                    ps.setString(1, prefix + n);
                    ps.execute();
                }
            }
            outstanding.put(n, now);
            return null;
        } catch (SQLException e) {
            closeConnection();
            if ("42883".equals(e.getSQLState()) || "42501".equals(e.getSQLState()) // PostgreSQL: no such function, not allowed
                    || "42000".equals(e.getSQLState()) || "42S02".equals(e.getSQLState())) { // MariaDB: not allowed, no table
                if (!refused) {
                    // the message names the function or table and the database, never the password
                    log.warn("CDC source {}: cannot write its catch-up marker into database {} ({}); {} so that a restart knows when"
                            + " the backlog is read", config.name(), config.database(), e.getMessage(), config.kind() == CdcSourceConfig.Kind.MARIADB
                            ? "create table " + config.database() + "." + MariaDbTables.MARKER_TABLE + " (source VARCHAR(80) PRIMARY KEY,"
                                    + " marker VARCHAR(120) NOT NULL) and grant INSERT, UPDATE on it to " + config.user()
                            : "grant EXECUTE on pg_logical_emit_message to " + config.user());
                }
                refused = true;
            }
            return e.getMessage();
        }
    }

    /**
     * MariaDB: makes the marker table before the capture starts, so that the connector's first snapshot of the schema
     * knows it. Made after the start, its rows came before its DDL was in the connector's history now and then ("table
     * ... whose schema isn't known to this connector"), and the capture stopped again at each restart. A user who may
     * not create it gets the table from its owner (README); the capture then proves itself as before.
     */
    static void prepare(CdcSourceConfig config) {
        if (config.kind() != CdcSourceConfig.Kind.MARIADB) {
            return;
        }
        try (Connection c = MariaDbTables.connect(config)) {
            makeMarkerTable(c, config);
        } catch (SQLException e) {
            // not ours to create, or the server is away: the capture's own start says what is wrong
        }
    }

    private static void makeMarkerTable(Connection c, CdcSourceConfig config) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + MariaDbTables.quoted(config.database() + "." + MariaDbTables.MARKER_TABLE)
                    + " (source VARCHAR(80) PRIMARY KEY, marker VARCHAR(120) NOT NULL)");
        }
    }

    private Connection connect() throws SQLException {
        if (config.kind() == CdcSourceConfig.Kind.MARIADB) {
            return MariaDbTables.connect(config);
        }
        Properties props = new Properties();
        props.setProperty("user", config.user());
        props.setProperty("password", config.password());
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + config.host() + ":" + config.port() + "/" + config.database(), props);
    }

    /**
     * MariaDB has no message in its binlog that is not a row: the marker is a row of a small table in the captured database,
     * one per capture, whose update comes back through the binlog in commit order like any other change.
     */
    private void writeRow(String marker) throws SQLException {
        String table = MariaDbTables.quoted(config.database() + "." + MariaDbTables.MARKER_TABLE);
        if (!markerTableMade) {
            try {
                makeMarkerTable(connection, config);
            } catch (SQLException e) {
                // perhaps made by its owner and only writable for us: the insert says
            }
            markerTableMade = true;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table + " (source, marker) VALUES (?, ?)"
                + " ON DUPLICATE KEY UPDATE marker = VALUES(marker)")) {
            ps.setString(1, config.name());
            ps.setString(2, marker);
            ps.execute();
        }
    }

    /** True for a marker of this run coming back through the stream. */
    boolean isMarker(SourceRecord record) {
        return sequenceOf(record) > 0;
    }

    /** Called after the batch that carried the marker was handed on: everything committed before it is delivered. */
    void arrived(SourceRecord record) {
        long n = sequenceOf(record);
        if (n <= 0) {
            return;
        }
        Long writtenAt = outstanding.get(n);
        outstanding.headMap(n, true).clear();
        everConfirmed = true;
        if (writtenAt != null) {
            report(writtenAt);
        }
    }

    private synchronized void report(long provenUpTo) {
        if (!closed) {
            caughtUp = true;
            listener.caughtUp(provenUpTo);
        }
    }

    private long sequenceOf(SourceRecord record) {
        String p = config.kind() == CdcSourceConfig.Kind.MARIADB ? markerRow(record) : markerMessage(record);
        if (p == null || !p.startsWith(prefix)) {
            return 0;
        }
        try {
            return Long.parseLong(p.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String markerMessage(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null || value.schema().field("message") == null
                || !"m".equals(value.getString("op"))) {
            return null;
        }
        Struct message = value.getStruct("message");
        return message == null ? null : message.getString("prefix");
    }

    private static String markerRow(SourceRecord record) {
        if (!isMarkerTable(record) || !(record.value() instanceof Struct value) || value.schema().field("after") == null
                || value.schema().field("op") == null || !("c".equals(value.getString("op")) || "u".equals(value.getString("op")))) {
            return null;
        }
        Struct after = value.getStruct("after");
        return after == null || after.schema().field("marker") == null ? null : after.getString("marker");
    }

    /** A change of MariaDB's marker table, of this run or an earlier one: never business data. */
    static boolean isMarkerTable(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("source") == null) {
            return false;
        }
        Struct source = value.getStruct("source");
        return source.schema().field("table") != null && MariaDbTables.MARKER_TABLE.equals(source.getString("table"))
                && source.schema().field("connector") != null && "mysql".equals(source.getString("connector"));
    }

    private synchronized void changeTo(boolean nowCaughtUp, String reason) {
        if (closed || nowCaughtUp == caughtUp) {
            return;
        }
        caughtUp = nowCaughtUp;
        if (nowCaughtUp) {
            listener.caughtUp(Long.MAX_VALUE); // no proof possible: wall time stands in, as for other sources
        } else {
            listener.behind(reason);
        }
    }

    private void closeConnection() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // already broken
        }
        connection = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        timer.shutdownNow();
        closeConnection();
    }
}
