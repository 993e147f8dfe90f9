package io.recon.source.cdc;

import java.util.Optional;

/**
 * What Recon checks about, and asks of, the tables of one captured database, in that database's own terms:
 * {@link CapturedTables} for PostgreSQL, {@link MariaDbTables} for MariaDB.
 */
public interface DatabaseTables {

    static DatabaseTables of(CdcSourceConfig config) {
        return config.kind() == CdcSourceConfig.Kind.MARIADB ? new MariaDbTables(config) : new CapturedTables(config);
    }

    /** The tables' shapes, and why the database must not be captured (in words), or why it could not be inspected. */
    CapturedTables.Inspection inspect();

    /** The table's current name when it is no longer {@code table} (renamed), "(dropped)" when gone, else empty. */
    Optional<String> renamed(String table, long oid);

    /** Brings what the database streams to exactly the captured tables, where the database needs that (a publication). */
    void publishExactly();

    /** Debezium's signal table in this database (made on the first incremental snapshot asked for). */
    String signalTable();

    boolean hasSignalTable();

    void ensureSignalTable();

    /** Asks the running capture to read the table's current rows (Debezium's incremental snapshot, in chunks beside the stream). */
    void signalSnapshot(String table);

    /** Why the capture user cannot read the table, or null when it can. */
    String unreadable(String table);
}
