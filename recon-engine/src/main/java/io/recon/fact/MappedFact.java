package io.recon.fact;

import java.util.Map;

/**
 * A source record mapped onto a declared fact type, in the form it travels on the facts topic.
 *
 * @param type      the declared type's full name, e.g. {@code recon.trade.Order}
 * @param id        identity of the record in its system: a later change with the same id replaces the fact
 * @param key       the correlation key: facts with the same key meet in the same session
 * @param eventTime when the business event happened (epoch millis), drives the session clock
 * @param fields    field name to JSON-safe value (amounts as plain strings, times as epoch millis)
 */
public record MappedFact(String type, String id, String key, long eventTime, Map<String, Object> fields) {
}
