package io.recon.source.cdc;

import java.util.Map;
import java.util.Objects;

/**
 * One captured row change.
 *
 * @param table            {@code schema.table}
 * @param op               what happened; {@link Op#READ} for rows read by the initial snapshot
 * @param row              column name to value: the new image, or for {@link Op#DELETE} the old
 *                         image (with {@code REPLICA IDENTITY DEFAULT} PostgreSQL sends only the
 *                         key columns of a deleted row; the others are then null). Unmodifiable,
 *                         may hold null values.
 * @param commitTimeMillis the source's {@code ts_ms}: commit time of the transaction while
 *                         streaming, the time the row was read during a snapshot
 * @param lsn              the WAL position of the change (for snapshot reads: of the snapshot)
 * @param before           for {@link Op#UPDATE}: the old image when the table's replica identity
 *                         sends it (FULL), else empty; empty for the other operations
 */
public record RowChange(String table, Op op, Map<String, Object> row, long commitTimeMillis, long lsn, Map<String, Object> before) {

    public enum Op {
        CREATE, UPDATE, DELETE, READ,
        /** the whole table was emptied: {@code row} is empty */
        TRUNCATE
    }

    public RowChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(row, "row");
        before = before == null ? Map.of() : before;
    }

    public RowChange(String table, Op op, Map<String, Object> row, long commitTimeMillis, long lsn) {
        this(table, op, row, commitTimeMillis, lsn, Map.of());
    }
}
