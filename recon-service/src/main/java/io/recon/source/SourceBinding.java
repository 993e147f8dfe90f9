package io.recon.source;

import io.recon.fact.FactSpec;

/**
 * {@code recon.sources.<name>}: which table or topic feeds which declared fact type.
 *
 * @param kind      TABLE (captured by Debezium), TOPIC (JSON business events on Kafka) or HTTP (pushed to /api/events/{name})
 * @param database  for TABLE: the logical database name (see {@code recon.databases})
 * @param table     for TABLE: schema.table
 * @param topic     for TOPIC: the Kafka topic
 * @param task      the task group whose sessions receive the facts
 * @param type      the declared fact type, with package (e.g. recon.trade.Order)
 * @param key       the fact field holding the correlation key
 * @param id        the fact field identifying the record (defaults to the key); a change with the same id replaces the fact
 * @param eventTime the fact field holding event time; when absent the source's commit time is used
 */
public record SourceBinding(Kind kind, String database, String table, String topic, String task, String type,
                            String key, String id, String eventTime) {

    public enum Kind { TABLE, TOPIC, HTTP }

    public FactSpec factSpec() {
        return new FactSpec(type, key, id, eventTime);
    }
}
