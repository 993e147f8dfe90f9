package io.recon.fact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a facts-topic record with Jackson's streaming parser, straight into the envelope: the sessions decode
 * every record they take, and the bean and record deserializers cost a fifth of a session's time in the
 * throughput benchmark's flight recording. Field values come out as Jackson's untyped reading gives them
 * (strings, Integer/Long/BigInteger, Double, Boolean, null, nested LinkedHashMap and ArrayList).
 *
 * <p>Only the envelope's own shape is read here; anything else (a property it does not know, a wrong token, a
 * number missing: the binder refuses an absent primitive) returns null and the caller reads the record with the data binder, which accepts or refuses it as before.
 */
final class FactDecoder {

    private FactDecoder() {
    }

    /** @return the envelope, or null when the record is not in the shape this reader knows */
    static FactEnvelope decode(JsonMapper json, byte[] bytes) {
        try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            FactEnvelope.Kind kind = null;
            String source = null;
            MappedFact fact = null;
            long committedAt = 0;
            long watermark = 0;
            int numbers = 0;
            for (String name; (name = p.nextName()) != null; ) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "kind" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        kind = kind(p.getString());
                        if (kind == null) {
                            return null;
                        }
                    }
                    case "source" -> {
                        if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                            return null;
                        }
                        source = value == JsonToken.VALUE_NULL ? null : p.getString();
                    }
                    case "fact" -> {
                        if (value == JsonToken.VALUE_NULL) {
                            fact = null;
                        } else if (value != JsonToken.START_OBJECT || (fact = fact(p)) == null) {
                            return null;
                        }
                    }
                    case "committedAt", "watermark" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return null;
                        }
                        if (name.equals("committedAt")) {
                            committedAt = p.getLongValue();
                            numbers |= 1;
                        } else {
                            watermark = p.getLongValue();
                            numbers |= 2;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (numbers != 3 || p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return new FactEnvelope(kind, source, fact, committedAt, watermark);
        } catch (RuntimeException e) {
            return null; // the data binder says what is wrong with it
        }
    }

    private static FactEnvelope.Kind kind(String name) {
        return switch (name) {
            case "UPSERT" -> FactEnvelope.Kind.UPSERT;
            case "DELETE" -> FactEnvelope.Kind.DELETE;
            case "WATERMARK" -> FactEnvelope.Kind.WATERMARK;
            default -> null;
        };
    }

    private static MappedFact fact(JsonParser p) {
        String type = null;
        String id = null;
        String key = null;
        long eventTime = 0;
        Map<String, Object> fields = null;
        boolean timed = false;
        for (String name; (name = p.nextName()) != null; ) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "type", "id", "key" -> {
                    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                        return null;
                    }
                    String text = value == JsonToken.VALUE_NULL ? null : p.getString();
                    if (name.equals("type")) {
                        type = text;
                    } else if (name.equals("id")) {
                        id = text;
                    } else {
                        key = text;
                    }
                }
                case "eventTime" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        return null;
                    }
                    eventTime = p.getLongValue();
                    timed = true;
                }
                case "fields" -> {
                    if (value == JsonToken.VALUE_NULL) {
                        fields = null;
                    } else if (value == JsonToken.START_OBJECT) {
                        fields = object(p);
                    } else {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return timed ? new MappedFact(type, id, key, eventTime, fields) : null;
    }

    /** The parser is on START_OBJECT; leaves it on the matching END_OBJECT. */
    private static Map<String, Object> object(JsonParser p) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name; (name = p.nextName()) != null; ) {
            map.put(name, value(p, p.nextToken()));
        }
        return map;
    }

    private static Object value(JsonParser p, JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case START_OBJECT -> object(p);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken next; (next = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    list.add(value(p, next));
                }
                yield list;
            }
            default -> throw new IllegalStateException("unexpected " + token);
        };
    }
}
