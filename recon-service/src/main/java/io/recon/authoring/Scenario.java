package io.recon.authoring;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A mock test, as JSON: records at given times and clock steps in, expected open mismatches at any
 * point. The same format is a scenario file ({@code *.scenario.json}) in a kjar.
 *
 * <pre>
 * { "name": "A late payment heals the missing payment",
 *   "task": "trade", "start": "2026-01-01T00:00:00Z",
 *   "steps": [
 *     { "at": 0,  "insert": "Order",   "fields": { "orderId": "O-1", "amount": "100.00", "status": "CREATED" } },
 *     { "at": 30, "expect": [ "MISSING O-1" ] },
 *     { "at": 45, "insert": "Payment", "fields": { "paymentId": "P-1", "orderId": "O-1", "amount": "100.00", "status": "SUCCESS" } },
 *     { "expect": [] } ] }
 * </pre>
 *
 * @param name  what the scenario shows, in a sentence
 * @param task  the task group (KieBase); default {@code trade}
 * @param start event time of second 0 (ISO instant); default 2026-01-01T00:00:00Z
 * @param types how records of a declared type are identified, when the service's source bindings do not say
 * @param steps in order
 */
public record Scenario(String name, String task, String start, Map<String, TypeBinding> types, List<Step> steps) {

    /** @param key correlation key field, @param id record id field (default: key), @param time event-time field */
    public record TypeBinding(String key, String id, String time) {
    }

    /**
     * One step. {@code at}: seconds after start (a number), a duration ("90s", "2m") or an ISO instant; the clock
     * moves there first (never back). Then at most one of {@code insert}/{@code update}/{@code delete} with the
     * record's fields (its event-time field defaults to {@code at}), then {@code expect}: the mismatches open
     * after the step, as "TYPE KEY" (the exact set; [] means none).
     */
    public record Step(JsonNode at, String insert, String update, String delete, Map<String, Object> fields, List<String> expect) {
    }
}
