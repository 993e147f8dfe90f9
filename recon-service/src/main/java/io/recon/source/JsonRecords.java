package io.recon.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses JSON business events: one object, or an array of objects. Numbers keep full precision.
 * Nesting deeper than {@code recon.input.max-nesting} is refused while parsing, before it can cost
 * a deep recursion anywhere later.
 */
@Component
final class JsonRecords {

    private static final JsonMapper WRITER = JsonMapper.builder().build();

    private final JsonMapper json;
    private final int maxNesting;

    JsonRecords(InputLimits limits) {
        this.maxNesting = limits.maxNesting();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNesting).build())
                .build();
        this.json = JsonMapper.builder(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    /** @throws IllegalArgumentException with a reason a person can act on */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> parse(String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("not valid JSON for Recon: " + e.getOriginalMessage()
                    + (e.getOriginalMessage().contains("nesting") ? "; a business event is an object nested at most " + maxNesting
                    + " levels deep (recon.input.max-nesting)" : ""));
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
    private Map<String, Object> asObject(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object but got " + node.getNodeType().name().toLowerCase());
        }
        return json.convertValue(node, Map.class);
    }

    static String toJson(Object value) {
        return WRITER.writeValueAsString(value);
    }
}
