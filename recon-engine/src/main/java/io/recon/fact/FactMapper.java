package io.recon.fact;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.kie.api.definition.type.FactField;
import org.kie.api.definition.type.FactType;

/**
 * Maps a row or a JSON message onto one type declared in the rules. A field {@code orderId} is
 * filled from a value named {@code orderId} or {@code order_id}; values are converted to the field's
 * declared Java type; values the type does not declare are ignored.
 */
public final class FactMapper {

    private final FactType factType;
    private final String keyField;
    private final String idField;
    private final String eventTimeField;
    /** The declared fields, read once: instantiate runs for every record a session takes (by name, each set was a lookup). */
    private final FactField[] fields;

    public FactMapper(FactType factType, String keyField, String idField, String eventTimeField) {
        this.factType = factType;
        this.keyField = requireField(factType, keyField, "correlation key");
        this.idField = idField == null ? keyField : requireField(factType, idField, "id");
        this.eventTimeField = eventTimeField == null ? null : requireField(factType, eventTimeField, "event time");
        this.fields = factType.getFields().toArray(FactField[]::new);
    }

    public String typeName() {
        return factType.getName();
    }

    public String keyField() {
        return keyField;
    }

    /** The field holding event time, or null when the source's commit time is used. */
    public String eventTimeField() {
        return eventTimeField;
    }

    public java.util.Set<String> fieldNames() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        factType.getFields().forEach(f -> names.add(f.getName()));
        return names;
    }

    /**
     * Only what a retraction needs: the record's id, and its correlation key when the values carry
     * it (null otherwise: a delete under a replica identity that sends only the primary key). The
     * event time is the record's own when readable, else the fallback.
     */
    public MappedFact identify(Map<String, ?> values, long fallbackTime) {
        Map<String, Object> byName = indexByFieldName(values);
        Object id = byName.get(idField);
        if (id == null || id.toString().isBlank()) {
            throw new MappingException("the record has no id '" + idField + "'");
        }
        Object key = byName.get(keyField);
        long eventTime = fallbackTime;
        if (eventTimeField != null && byName.get(eventTimeField) != null) {
            try {
                eventTime = ((Number) FieldConverter.normalize(FieldConverter.convert(byName.get(eventTimeField), long.class, eventTimeField)))
                        .longValue();
            } catch (MappingException e) {
                // a retraction does not need the event time: keep the fallback
            }
        }
        return new MappedFact(factType.getName(), FieldConverter.convert(id, String.class, idField).toString(),
                key == null || key.toString().isBlank() ? null : key.toString(), eventTime, Map.of());
    }

    /**
     * @param values   column or JSON field name to value
     * @param fallbackTime event time to use when the binding names no event-time field (e.g. commit time)
     */
    public MappedFact map(Map<String, ?> values, long fallbackTime) {
        Map<String, Object> byName = indexByFieldName(values);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (FactField field : factType.getFields()) {
            if (!byName.containsKey(field.getName()) && field.getType().isPrimitive()
                    && !field.getName().equals(keyField) && !field.getName().equals(eventTimeField)) {
                continue; // an absent optional primitive keeps its default
            }
            Object converted = FieldConverter.convert(byName.get(field.getName()), field.getType(), field.getName());
            fields.put(field.getName(), FieldConverter.normalize(converted));
        }
        String key = requireValue(fields, keyField, "correlation key");
        String id = requireValue(fields, idField, "id");
        long eventTime = eventTimeField == null ? fallbackTime : ((Number) fields.get(eventTimeField)).longValue();
        return new MappedFact(factType.getName(), id, key, eventTime, fields);
    }

    /** Builds the declared fact from its mapped form (on the session's side of the topic). */
    public Object instantiate(Map<String, Object> fields) {
        try {
            Object fact = factType.newInstance();
            for (FactField field : this.fields) {
                Object value = fields.get(field.getName());
                if (value != null) {
                    field.set(fact, FieldConverter.convert(value, field.getType(), field.getName()));
                }
            }
            return fact;
        } catch (InstantiationException | IllegalAccessException e) {
            throw new MappingException("cannot create a " + factType.getName() + ": " + e.getMessage());
        }
    }

    static Map<String, Object> indexByFieldName(Map<String, ?> values) {
        Map<String, Object> byName = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            byName.put(toFieldName(entry.getKey()), entry.getValue());
        }
        return byName;
    }

    /** {@code order_id}, {@code ORDER_ID} and {@code orderId} all name field {@code orderId}. */
    public static String toFieldName(String column) {
        if (column.indexOf('_') < 0) {
            return column.equals(column.toUpperCase(Locale.ROOT)) ? column.toLowerCase(Locale.ROOT) : column;
        }
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : column.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = name.length() > 0;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    private static String requireValue(Map<String, Object> fields, String field, String what) {
        Object value = fields.get(field);
        if (value == null || value.toString().isBlank()) {
            throw new MappingException("the record has no " + what + " '" + field + "'");
        }
        return value.toString();
    }

    private static String requireField(FactType type, String field, String what) {
        if (field == null || type.getField(field) == null) {
            throw new IllegalArgumentException("the " + what + " field '" + field + "' is not declared in " + type.getName()
                    + "; declared fields: " + type.getFields().stream().map(FactField::getName).toList());
        }
        return field;
    }
}
