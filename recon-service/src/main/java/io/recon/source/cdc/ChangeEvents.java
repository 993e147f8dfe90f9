package io.recon.source.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Debezium change events as {@link RowChange}s: the same event whether the embedded engine hands it over as a Kafka
 * Connect {@link Struct} or a Kafka Connect worker wrote it to a topic with the JSON converter. Both paths end in
 * {@link #of(Object)} and {@link ValueConverter}, so a row becomes the same values either way.
 *
 * <p>A Connect topic's value is read with Kafka Connect's own {@link JsonConverter}, record by record in either
 * shape: an envelope of exactly {@code schema} and {@code payload} ({@code schemas.enable=true}) gives typed values,
 * converted as embedded capture converts them; a bare payload ({@code schemas.enable=false}) carries JSON scalars only,
 * which the binding's field types convert as they convert a topic's JSON (ISO times, epoch milliseconds, decimal
 * strings - hence {@code decimal.handling.mode=string} and {@code time.precision.mode=connect} in the connector).
 */
public final class ChangeEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonConverter WITH_SCHEMAS = converter(true);
    private static final JsonConverter WITHOUT_SCHEMAS = converter(false);

    private ChangeEvents() {
    }

    /** A change event's value (the envelope with {@code op}, {@code source}, {@code before}, {@code after}); null for anything else. */
    public static RowChange of(Object value) {
        if (!(value instanceof Struct struct) || struct.schema().field("op") == null || struct.schema().field("source") == null) {
            return null;
        }
        RowChange.Op op = op(struct.getString("op"));
        if (op == null) {
            return null;
        }
        Struct source = struct.getStruct("source");
        // PostgreSQL names schema.table; MariaDB's binlog (the MySQL connector) database.table
        boolean binlog = source.schema().field("schema") == null;
        String table = (binlog ? source.getString("db") : source.getString("schema")) + "." + source.getString("table");
        Struct image = op == RowChange.Op.TRUNCATE ? null
                : op == RowChange.Op.DELETE ? struct.getStruct("before") : struct.getStruct("after");
        Struct before = op == RowChange.Op.UPDATE ? struct.getStruct("before") : null;
        Long tsMs = source.getInt64("ts_ms");
        Object lsn = binlog ? source.get("pos") : source.get("lsn");
        return new RowChange(table, op, ValueConverter.row(image), tsMs == null ? 0L : tsMs, lsn instanceof Long l ? l : 0L,
                ValueConverter.row(before));
    }

    /**
     * One message of a topic a Kafka Connect worker fills with Debezium's PostgreSQL connector and the JSON converter.
     *
     * @return the row change, or null when the message carries none (a tombstone after a delete, a heartbeat, a
     *         logical-decoding message): those are acknowledged and skipped
     * @throws IllegalArgumentException when the message is no change event, saying what is wrong with it
     */
    public static RowChange ofConnectJson(String topic, byte[] message) {
        if (message == null || message.length == 0) {
            return null; // tombstone: the delete event before it did the retraction
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || tree.isNull()) {
            return null;
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException("a change event is a JSON object, this message is " + tree.getNodeType().name().toLowerCase());
        }
        boolean enveloped = tree.size() == 2 && tree.has("schema") && tree.has("payload");
        Object value;
        try {
            value = (enveloped ? WITH_SCHEMAS : WITHOUT_SCHEMAS).toConnectData(topic, message).value();
        } catch (DataException e) {
            throw new IllegalArgumentException("its schema and payload do not fit: " + firstLine(e.getMessage()));
        }
        if (enveloped) {
            if (value == null) {
                return null;
            }
            requireEvent(value instanceof Struct s ? s.schema().field("op") != null && s.schema().field("source") != null : false);
            RowChange change = of(value);
            if (change == null) {
                requireKnownOp(((Struct) value).getString("op"));
            }
            return change;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) value;
        return ofPayload(payload);
    }

    /** A bare payload: the event without its schema, values as JSON gives them. */
    private static RowChange ofPayload(Map<String, Object> payload) {
        requireEvent(payload.get("op") instanceof String && payload.get("source") instanceof Map);
        String opName = (String) payload.get("op");
        RowChange.Op op = op(opName);
        if (op == null) {
            requireKnownOp(opName);
            return null;
        }
        Map<?, ?> source = (Map<?, ?>) payload.get("source");
        if (!(source.get("schema") instanceof String schema) || !(source.get("table") instanceof String table)) {
            throw new IllegalArgumentException("its source names no schema and table");
        }
        Map<String, Object> image = op == RowChange.Op.TRUNCATE ? Map.of()
                : image(payload, op == RowChange.Op.DELETE ? "before" : "after");
        if (op != RowChange.Op.TRUNCATE && image.isEmpty()) {
            throw new IllegalArgumentException("a change with op '" + opName + "' needs its row in '"
                    + (op == RowChange.Op.DELETE ? "before" : "after") + "', which is empty");
        }
        Map<String, Object> before = op == RowChange.Op.UPDATE ? image(payload, "before") : Map.of();
        return new RowChange(schema + "." + table, op, image, number(source.get("ts_ms")), number(source.get("lsn")), before);
    }

    private static Map<String, Object> image(Map<String, Object> payload, String which) {
        Object row = payload.get(which);
        if (row == null) {
            return Map.of();
        }
        if (!(row instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("its '" + which + "' is not a row (a JSON object)");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return Collections.unmodifiableMap(copy);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }

    private static RowChange.Op op(String op) {
        return switch (op == null ? "" : op) {
            case "c" -> RowChange.Op.CREATE;
            case "u" -> RowChange.Op.UPDATE;
            case "d" -> RowChange.Op.DELETE;
            case "r" -> RowChange.Op.READ;
            case "t" -> RowChange.Op.TRUNCATE;
            default -> null;
        };
    }

    private static void requireEvent(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("not a Debezium change event: it needs 'op' and 'source' (as Debezium's PostgreSQL"
                    + " connector writes them with the JSON converter, with or without schemas)");
        }
    }

    /** Logical-decoding messages ({@code m}) carry no row; any other op is not Debezium's. */
    private static void requireKnownOp(String op) {
        if (!"m".equals(op)) {
            throw new IllegalArgumentException("op '" + op + "' is none of Debezium's (c, u, d, r, t, m)");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static JsonConverter converter(boolean schemas) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", Boolean.toString(schemas), "converter.type", "value"), false);
        return c;
    }
}
