package io.recon.lookup;

import io.recon.catalog.CatalogLookup;
import io.recon.targets.JsonPaths;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import tools.jackson.databind.JsonNode;

/**
 * What a lookup asks, filled from its trigger fact, and what it takes from the answer. SQL parameters are bound by
 * the driver ({@code :field} becomes a placeholder, never text in the statement); URL placeholders are URL-encoded.
 * {@code key} names the trigger's correlation key, any other name a field of the trigger.
 */
final class LookupQuestion {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private LookupQuestion() {
    }

    /** The trigger fields a lookup's SQL or URL names ({@code key} included when used), in order of first use. */
    static List<String> parameters(CatalogLookup lookup) {
        List<String> names = new ArrayList<>();
        if (lookup.kind() == CatalogLookup.Kind.SQL) {
            if (lookup.sql() != null) {
                // Spring's own parser decides what a parameter is (not inside quotes or comments; :: is a cast)
                NamedParameterUtils.buildValueArray(NamedParameterUtils.parseSqlStatement(lookup.sql()), new MapSqlParameterSource() {
                    @Override
                    public boolean hasValue(String name) {
                        return true;
                    }

                    @Override
                    public Object getValue(String name) {
                        names.add(name);
                        return null;
                    }
                }, null);
            }
        } else if (lookup.url() != null) {
            Matcher m = PLACEHOLDER.matcher(lookup.url());
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names.stream().distinct().toList();
    }

    /** The SQL's parameters, each bound from the trigger; a missing field is bound as null. */
    static MapSqlParameterSource bind(CatalogLookup lookup, String key, Map<String, Object> fields) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        for (String name : parameters(lookup)) {
            params.addValue(name, value(name, key, fields));
        }
        return params;
    }

    /** The URL with each placeholder replaced by the trigger's value, URL-encoded (a space as %20). */
    static String url(CatalogLookup lookup, String key, Map<String, Object> fields) {
        Matcher m = PLACEHOLDER.matcher(lookup.url());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = value(m.group(1), key, fields);
            String text = value == null ? "" : value.toString();
            m.appendReplacement(out, Matcher.quoteReplacement(URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object value(String name, String key, Map<String, Object> fields) {
        return "key".equals(name) && !fields.containsKey("key") ? key : fields.get(name);
    }

    /**
     * The values a JSON answer gives the answer fact: each named field picked by its path, and every top-level value
     * of the answer by its own name for the fields not named (as a row's columns).
     */
    static Map<String, Object> pick(CatalogLookup lookup, JsonNode answer) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (answer.isObject()) {
            for (var e : answer.properties()) {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    values.put(e.getKey(), JsonPaths.pick(answer, "/" + e.getKey().replace("~", "~0").replace("/", "~1")));
                }
            }
        }
        lookup.fields().forEach((field, path) -> values.put(field, JsonPaths.pick(answer, path)));
        return values;
    }

    /** A row's values under the answer's field names: named columns first, the others by their own names. */
    static Map<String, Object> fromRow(CatalogLookup lookup, Map<String, Object> row) {
        Map<String, Object> values = new LinkedHashMap<>(row);
        lookup.fields().forEach((field, column) -> {
            if (row.containsKey(column)) {
                values.put(field, row.get(column));
            }
        });
        return values;
    }
}
