package io.recon.recheck;

import io.recon.recheck.RecheckProperties.Check;
import io.recon.recheck.RecheckProperties.Holds;
import io.recon.targets.HttpGet;
import io.recon.targets.TargetFailed;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP kind of second check: a GET whose JSON answer holds, at {@code path}, the value that says whether the
 * mismatch still holds. Templates take the correlation key and the fields of the mismatch's facts; a non-2xx answer,
 * a timeout or an answer that is not JSON is a failed lookup with the reason, retried as SQL failures are. Header
 * values are masked out of every reason, and a URL is shown without its query string (it may carry a key).
 */
final class HttpCheck {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern FACT_FIELD = Pattern.compile("key|[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");

    /** What the check found: whether the mismatch holds, and the value that decided it, in words. */
    record Verdict(boolean holds, String evidence) {
    }

    private final HttpGet http = new HttpGet();

    static void validate(String where, Check c) {
        if (c.url() == null || c.url().isBlank() || c.path() == null || c.path().isBlank() || c.holds() == null) {
            throw new IllegalArgumentException(where + " is an http check and needs url, path and holds"
                    + " (present, absent, true, false, equals or differs)");
        }
        if (!c.url().startsWith("http://") && !c.url().startsWith("https://")) {
            throw new IllegalArgumentException(where + ".url must start with http:// or https://, not " + c.url());
        }
        placeholders(where + ".url", c.url());
        if ((c.holds() == Holds.EQUALS || c.holds() == Holds.DIFFERS)) {
            if (c.value() == null) {
                throw new IllegalArgumentException(where + " holds when the value " + c.holds().name().toLowerCase() + " something: give it as value");
            }
            placeholders(where + ".value", c.value());
        }
        try {
            pointer(c.path());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".path: " + e.getMessage());
        }
    }

    private static void placeholders(String where, String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!FACT_FIELD.matcher(m.group(1)).matches()) {
                throw new IllegalArgumentException(where + " uses {" + m.group(1) + "}: write {key} for the correlation key or"
                        + " {Type.field} for a field of the mismatch's fact of that type, e.g. {Payment.paymentId}");
            }
        }
    }

    /** {@code $.a.b[0]} or {@code /a/b/0} as a JSON Pointer. */
    static JsonPointer pointer(String path) {
        return io.recon.targets.JsonPaths.pointer(path);
    }

    /**
     * The template with its placeholders filled from the key and the mismatch's facts
     * ({@code [{"type": "Order", "fields": {...}}, ...]}), URL-encoded when {@code encode}.
     */
    static String fill(String template, String key, JsonNode facts, boolean encode) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.equals("key") ? key : factField(facts, name);
            m.appendReplacement(out, Matcher.quoteReplacement(encode ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20") : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String factField(JsonNode facts, String name) {
        String type = name.substring(0, name.indexOf('.'));
        String field = name.substring(name.indexOf('.') + 1);
        if (facts != null) {
            for (JsonNode fact : facts) {
                JsonNode value = fact.path("fields").path(field);
                if (type.equals(fact.path("type").asString("")) && !value.isMissingNode() && !value.isNull()) {
                    return value.isValueNode() ? value.asString() : value.toString();
                }
            }
        }
        throw new TargetFailed("the mismatch has no " + type + " fact with a value for " + field + " (for {" + name + "})");
    }

    /** The URL as it may be shown: without user info and query string. */
    static String shown(URI uri) {
        return HttpGet.shown(uri);
    }

    /** GETs the URL and reads its answer as JSON (through the shared {@link HttpGet}). */
    JsonNode fetch(String checkName, Check check, URI uri) throws InterruptedException {
        return http.fetch(checkName, uri, check.headers(), check.connectTimeout(), check.readTimeout());
    }

    /** Whether the value at the check's path says the mismatch still holds. */
    static Verdict judge(Check check, JsonNode answer, String expected) {
        JsonNode value = answer.at(pointer(check.path()));
        boolean present = !value.isMissingNode() && !value.isNull();
        String found = present ? check.path() + " = " + truncate(value.isValueNode() ? value.asString() : value.toString(), 100)
                : check.path() + " has no value";
        boolean holds = switch (check.holds()) {
            case PRESENT -> present;
            case ABSENT -> !present;
            case TRUE, FALSE -> {
                if (!present || !(value.isBoolean() || value.asString().equalsIgnoreCase("true") || value.asString().equalsIgnoreCase("false"))) {
                    throw new TargetFailed("the answer's " + found + ", not true or false");
                }
                yield Boolean.parseBoolean(value.asString()) == (check.holds() == Holds.TRUE);
            }
            case EQUALS -> present && same(value, expected);
            case DIFFERS -> !present || !same(value, expected);
        };
        String rule = switch (check.holds()) {
            case EQUALS -> "holds when it equals " + expected;
            case DIFFERS -> "holds when it differs from " + expected;
            default -> "holds when it is " + check.holds().name().toLowerCase();
        };
        return new Verdict(holds, found + " (" + rule + ")");
    }

    private static boolean same(JsonNode value, String expected) {
        String text = value.isValueNode() ? value.asString() : value.toString();
        try {
            return new BigDecimal(text).compareTo(new BigDecimal(expected)) == 0;
        } catch (NumberFormatException e) {
            return text.equals(expected);
        }
    }

    private static String truncate(String text, int max) {
        return HttpGet.truncate(text, max);
    }
}
