package io.recon.source;

import io.recon.catalog.CatalogSource;
import io.recon.fact.FactSpec;
import java.util.Map;

/**
 * {@code recon.sources.<name>} (the seed) or a source of the catalog: which table or topic feeds which declared fact type.
 *
 * @param kind      TABLE (captured by Debezium), TOPIC (JSON business events on Kafka), CONNECT (Debezium change
 *                  events a Kafka Connect worker writes to {@code topic}) or HTTP (pushed to /api/events/{name})
 * @param database  for TABLE: the logical database name (see {@code recon.databases})
 * @param table     for TABLE: schema.table
 * @param topic     for TOPIC and CONNECT: the Kafka topic (for CONNECT: Debezium's {@code <topic.prefix>.<schema>.<table>})
 * @param task      the task group whose sessions receive the facts
 * @param type      the declared fact type, with package (e.g. recon.trade.Order)
 * @param key       the fact field holding the correlation key
 * @param id        the fact field identifying the record (defaults to the key); a change with the same id replaces the fact
 * @param eventTime the fact field holding event time; when absent the source's commit time is used
 * @param fields    fact field to the column or JSON path it is filled from (renames)
 * @param derived   fact field to an expression over the record's values
 * @param filter    records where this expression is false are dropped before they become facts
 */
public record SourceBinding(Kind kind, String database, String table, String topic, String task, String type,
                            String key, String id, String eventTime, Map<String, String> fields, Map<String, String> derived,
                            String filter) {

    public enum Kind { TABLE, TOPIC, CONNECT, HTTP }

    public SourceBinding {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        derived = derived == null ? Map.of() : Map.copyOf(derived);
    }

    public FactSpec factSpec() {
        return new FactSpec(type, key, id, eventTime);
    }

    static SourceBinding of(CatalogSource s) {
        return new SourceBinding(Kind.valueOf(s.kind().name()), s.database(), s.table(), s.topic(), s.task(), s.type(), s.key(), s.id(),
                s.eventTime(), s.fields(), s.derived(), s.filter());
    }

    CatalogSource toCatalog(String name) {
        return new CatalogSource(name, CatalogSource.Kind.valueOf(kind.name()), database, table, topic, task, type, key, id, eventTime,
                fields, derived, filter, true, "yaml");
    }

    /** Whether the record's values pass through unchanged (no renames, derived fields or filter). */
    boolean plain() {
        return fields.isEmpty() && derived.isEmpty() && filter == null;
    }
}
