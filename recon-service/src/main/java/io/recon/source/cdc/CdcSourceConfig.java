package io.recon.source.cdc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and what one {@link CdcSource} captures.
 *
 * @param name              unique per source; also the Debezium engine name and topic prefix, and
 *                          part of the offset table name, so keep it stable across restarts
 * @param tables            {@code schema.table} names (matched exactly, not as patterns)
 * @param slotName          replication slot, one per source
 * @param publicationName   created on first start for exactly {@code tables}
 * @param pollInterval      how long the engine waits for more changes before handing over a batch;
 *                          null means 50 ms
 * @param offsetJdbcUrl     database that keeps the source's offsets (table
 *                          {@code recon_cdc_offsets_<name>})
 * @param offsetPassword    must be non-empty (the JDBC offset store refuses an empty one); with
 *                          trust authentication any value works
 * @param snapshot          what to read at the very first start; null means {@link Snapshot#INITIAL}
 * @param kind              the database's kind; null means {@link Kind#POSTGRESQL}. For {@link Kind#MARIADB} a table is
 *                          written {@code database.table} and slot and publication names are unused
 */
public record CdcSourceConfig(
        String name,
        String host,
        int port,
        String database,
        String user,
        String password,
        List<String> tables,
        String slotName,
        String publicationName,
        Duration pollInterval,
        String offsetJdbcUrl,
        String offsetUser,
        String offsetPassword,
        Snapshot snapshot,
        Kind kind) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_$]+\\.[A-Za-z0-9_$]+");

    /** How the database's changes are read: PostgreSQL's logical decoding, or MariaDB's (or MySQL's) row-based binlog. */
    public enum Kind { POSTGRESQL, MARIADB }

    public enum Snapshot {
        /**
         * Read every existing row (as {@link RowChange.Op#READ}) before streaming. The default:
         * rows written before Recon first watched a table are the counterparts that events arriving
         * later must match; without them those events look orphaned.
         */
        INITIAL,
        /** Stream changes from now on only; for tables too large to read, or history that does not matter. */
        NO_DATA
    }

    public CdcSourceConfig {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("source name must match " + NAME + ": " + name);
        }
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        tables = List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a CDC source needs at least one table");
        }
        for (String t : tables) {
            if (!TABLE.matcher(t).matches()) {
                throw new IllegalArgumentException("table must be written schema.table: " + t);
            }
        }
        Objects.requireNonNull(slotName, "slotName");
        Objects.requireNonNull(publicationName, "publicationName");
        pollInterval = pollInterval == null ? Duration.ofMillis(50) : pollInterval;
        Objects.requireNonNull(offsetJdbcUrl, "offsetJdbcUrl");
        Objects.requireNonNull(offsetUser, "offsetUser");
        if (offsetPassword == null || offsetPassword.isEmpty()) {
            throw new IllegalArgumentException("offsetPassword must not be empty (Debezium's JDBC offset store"
                    + " requires one; with trust authentication any value works)");
        }
        snapshot = snapshot == null ? Snapshot.INITIAL : snapshot;
        kind = kind == null ? Kind.POSTGRESQL : kind;
    }

    /** A PostgreSQL database. */
    public CdcSourceConfig(String name, String host, int port, String database, String user, String password,
                           List<String> tables, String slotName, String publicationName, Duration pollInterval,
                           String offsetJdbcUrl, String offsetUser, String offsetPassword, Snapshot snapshot) {
        this(name, host, port, database, user, password, tables, slotName, publicationName, pollInterval,
                offsetJdbcUrl, offsetUser, offsetPassword, snapshot, Kind.POSTGRESQL);
    }

    /** Without a snapshot setting: {@link Snapshot#INITIAL}. */
    public CdcSourceConfig(String name, String host, int port, String database, String user, String password,
                           List<String> tables, String slotName, String publicationName, Duration pollInterval,
                           String offsetJdbcUrl, String offsetUser, String offsetPassword) {
        this(name, host, port, database, user, password, tables, slotName, publicationName, pollInterval,
                offsetJdbcUrl, offsetUser, offsetPassword, Snapshot.INITIAL, Kind.POSTGRESQL);
    }

    /** Keeps passwords out of logs and exception messages. */
    @Override
    public String toString() {
        return "CdcSourceConfig[name=" + name + ", host=" + host + ", port=" + port + ", database=" + database
                + ", user=" + user + ", password=****, tables=" + tables + ", slotName=" + slotName
                + ", publicationName=" + publicationName + ", pollInterval=" + pollInterval
                + ", offsetJdbcUrl=" + new SecretMasker(List.of()).mask(offsetJdbcUrl) + ", offsetUser=" + offsetUser + ", offsetPassword=****"
                + ", snapshot=" + snapshot + ", kind=" + kind + "]";
    }
}
