package io.recon.source;

import io.recon.source.cdc.RowChange;
import io.recon.source.cdc.TableShape;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * How a captured row change becomes facts, whoever captured it: the embedded Debezium engine ({@link CdcSources}) or a
 * Kafka Connect worker whose topic Recon reads (a CONNECT source). A delete retracts; an update that moves a row to
 * another correlation key first retracts the fact under the old key (whose partition may belong to another session);
 * a TRUNCATE is kept as a notice, because it names no rows to retract; a change that no longer fits its table's shape
 * at capture start is a dead letter naming the column.
 */
@Component
class RowChanges {

    private final FactRouter router;
    private final SourceCatalog catalog;

    RowChanges(FactRouter router, SourceCatalog catalog) {
        this.router = router;
        this.catalog = catalog;
    }

    /**
     * @param shape      the table's shape when capture started, or null when Recon could not look (a Connect topic)
     * @param fedColumns the columns of {@code shape} that fill a declared field
     * @param sent       receives what was sent to the facts topic, to await before acknowledging the change
     */
    void route(String source, RowChange change, TableShape shape, List<String> fedColumns, List<FactRouter.Routed> sent) {
        long committed = change.commitTimeMillis();
        if (change.op() == RowChange.Op.TRUNCATE) {
            SourceBinding binding = catalog.binding(source);
            router.notice(source, "TRUNCATE of table " + change.table() + " committed at " + java.time.Instant.ofEpochMilli(committed)
                    + " (LSN " + change.lsn() + "): Recon keeps the facts it already has from this table"
                    + (binding == null ? "" : " (" + binding.type() + ")") + " until they expire by @expires, since a truncate names"
                    + " no rows; to retract facts, delete their rows with DELETE", "{\"op\":\"TRUNCATE\",\"table\":\"" + change.table()
                    + "\",\"lsn\":" + change.lsn() + "}", committed);
            return;
        }
        if (change.op() == RowChange.Op.DELETE) {
            sent.add(router.route(source, FactRouter.Change.DELETE, change.row(), committed, () -> JsonRecords.toJson(change.row())));
            return;
        }
        String misfit = shape == null ? null : shape.misfit(change.row(), fedColumns);
        if (misfit != null) {
            router.deadLetterRecord(source, "cannot take this change of " + change.table() + ": " + misfit,
                    () -> JsonRecords.toJson(change.row()), FactRouter.Change.UPSERT, committed);
            return;
        }
        if (change.op() == RowChange.Op.UPDATE && !change.before().isEmpty()) {
            String oldKey = router.keyOf(source, change.before());
            if (oldKey != null && !oldKey.equals(router.keyOf(source, change.row()))) {
                sent.add(router.route(source, FactRouter.Change.DELETE, change.before(), committed, () -> JsonRecords.toJson(change.before())));
            }
        }
        sent.add(router.route(source, FactRouter.Change.UPSERT, change.row(), committed, () -> JsonRecords.toJson(change.row())));
    }
}
