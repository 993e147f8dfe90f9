package io.recon.source;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The messages of a TOPIC source: JSON business events (one object or an array), each record a fact or a dead letter. */
final class JsonEvents implements TopicSource.Messages {

    private final FactRouter router;
    private final JsonRecords json;

    JsonEvents(FactRouter router, JsonRecords json) {
        this.router = router;
        this.json = json;
    }

    @Override
    public void route(String source, ConsumerRecord<byte[], byte[]> record, List<FactRouter.Routed> sent) {
        String where = " (topic " + record.topic() + ", partition " + record.partition() + ", offset " + record.offset() + ")";
        byte[] bytes = record.value() == null ? new byte[0] : record.value();
        String text;
        List<Map<String, Object>> parsed;
        try {
            text = Utf8.decode(bytes);
        } catch (IllegalArgumentException e) {
            router.deadLetter(source, "message is " + e.getMessage() + where, bytes, bytes.length, record.timestamp());
            return;
        }
        try {
            parsed = json.parse(text);
        } catch (IllegalArgumentException e) {
            router.deadLetter(source, e.getMessage() + where, text);
            return;
        }
        for (Map<String, Object> values : parsed) {
            FactRouter.Routed routed = router.route(source, FactRouter.Change.UPSERT, values, record.timestamp(),
                    () -> JsonRecords.toJson(values));
            if (routed.accepted()) {
                sent.add(routed);
            }
        }
    }
}
