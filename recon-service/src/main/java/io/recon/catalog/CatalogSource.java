package io.recon.catalog;

import java.util.Map;

/**
 * One source binding of the catalog: which table or topic feeds which declared fact type of which task.
 *
 * @param kind      TABLE (captured by Debezium), TOPIC (JSON messages on Kafka), CONNECT (Debezium change events
 *                  that a Kafka Connect worker writes to {@code topic}) or HTTP (pushed to /api/events/{name})
 * @param fields    fact field to the column or JSON path ({@code $.payload.amount}) it is filled from; unnamed fields
 *                  are filled from the value of the same name (or its snake_case form)
 * @param derived   fact field to an expression over the record's values, e.g. {@code amountCents / 100}
 * @param filter    an expression over the record's values; records where it is false are dropped before they become facts
 * @param origin    "yaml" (seeded from application.yml) or "api"
 */
public record CatalogSource(String name, Kind kind, String database, String table, String topic, String task, String type,
                            String key, String id, String eventTime, Map<String, String> fields, Map<String, String> derived,
                            String filter, Boolean enabled, String origin) {

    public enum Kind { TABLE, TOPIC, CONNECT, HTTP }

    public CatalogSource {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        derived = derived == null ? Map.of() : Map.copyOf(derived);
        enabled = enabled == null || enabled;
        filter = filter == null || filter.isBlank() ? null : filter;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public CatalogSource named(String newName, String newOrigin) {
        return new CatalogSource(newName, kind, database, table, topic, task, type, key, id, eventTime, fields, derived, filter, enabled,
                newOrigin);
    }
}
