package io.recon.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parses JSON business events: one object, or an array of objects. Numbers keep full precision. */
final class JsonRecords {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonRecords() {
    }

    /** @throws IllegalArgumentException with a reason a person can act on */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        List<Map<String, Object>> records = new ArrayList<>();
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("empty message: expected a JSON object");
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                records.add(asObject(element));
            }
        } else {
            records.add(asObject(node));
        }
        return records;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object but got " + node.getNodeType().name().toLowerCase());
        }
        return JSON.convertValue(node, Map.class);
    }

    static String toJson(Object value) {
        return JSON.writeValueAsString(value);
    }
}
