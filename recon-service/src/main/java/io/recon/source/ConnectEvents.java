package io.recon.source;

import io.recon.source.cdc.ChangeEvents;
import io.recon.source.cdc.RowChange;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The messages of a CONNECT source: Debezium change events a Kafka Connect worker wrote with the JSON converter (with or
 * without schemas), turned into facts by {@link RowChanges} as embedded capture turns its changes. Tombstones and
 * messages without a row are skipped; a message that is no change event is a dead letter with the reason, and the
 * topic goes on. Recon cannot see the table behind the topic, so there is no shape check at capture start: a column
 * that disappears shows as the field's own mapping error.
 */
final class ConnectEvents implements TopicSource.Messages {

    private final FactRouter router;
    private final RowChanges rowChanges;

    ConnectEvents(FactRouter router, RowChanges rowChanges) {
        this.router = router;
        this.rowChanges = rowChanges;
    }

    @Override
    public void route(String source, ConsumerRecord<byte[], byte[]> record, List<FactRouter.Routed> sent) {
        if (record.value() == null) {
            return; // the tombstone Debezium writes after a delete, for compaction; the delete itself retracted
        }
        String where = " (topic " + record.topic() + ", partition " + record.partition() + ", offset " + record.offset() + ")";
        byte[] bytes = record.value();
        String text;
        try {
            text = Utf8.decode(bytes);
        } catch (IllegalArgumentException e) {
            router.deadLetter(source, "message is " + e.getMessage() + where, bytes, bytes.length, record.timestamp());
            return;
        }
        RowChange change;
        try {
            change = ChangeEvents.ofConnectJson(record.topic(), bytes);
        } catch (IllegalArgumentException e) {
            router.deadLetter(source, "cannot read this change event: " + e.getMessage() + where
                    + "; it cannot be re-driven, fix the connector's converter or have it send the change again", text);
            return;
        }
        if (change == null) {
            return;
        }
        try {
            rowChanges.route(source, change, null, List.of(), sent);
        } catch (RuntimeException e) {
            router.deadLetterRecord(source, "cannot take this change of " + change.table() + where + ": unexpected " + e,
                    () -> JsonRecords.toJson(change.row()), FactRouter.Change.UPSERT, change.commitTimeMillis());
        }
    }
}
