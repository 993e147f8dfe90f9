package io.recon.recheck;

import io.recon.recheck.RecheckProperties.Check;
import io.recon.recheck.RecheckProperties.Holds;
import io.recon.source.cdc.SecretMasker;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP kind of second check: a GET whose JSON answer holds, at {@code path}, the value that says whether the
 * mismatch still holds. Templates take the correlation key and the fields of the mismatch's facts; a non-2xx answer,
 * a timeout or an answer that is not JSON is a failed lookup with the reason, retried as SQL failures are. Header
 * values are masked out of every reason, and a URL is shown without its query string (it may carry a key).
 */
final class HttpCheck {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern FACT_FIELD = Pattern.compile("key|[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A lookup that did not give an answer to judge; the message says why and is safe to show. */
    static final class LookupFailed extends RuntimeException {
        LookupFailed(String message) {
            super(message);
        }
    }

    /** What the check found: whether the mismatch holds, and the value that decided it, in words. */
    record Verdict(boolean holds, String evidence) {
    }

    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

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
        if (path.startsWith("/")) {
            return JsonPointer.compile(path);
        }
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("'" + path + "' is neither a JSON path ($.a.b[0]) nor a JSON Pointer (/a/b/0)");
        }
        StringBuilder pointer = new StringBuilder();
        for (String step : path.substring(1).split("\\.")) {
            if (step.isEmpty()) {
                continue;
            }
            Matcher m = Pattern.compile("([^\\[\\]]*)((?:\\[\\d+])*)").matcher(step);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + path + "': step '" + step + "' is not a name followed by [index]es");
            }
            if (!m.group(1).isEmpty()) {
                pointer.append('/').append(m.group(1).replace("~", "~0").replace("/", "~1"));
            }
            Matcher index = Pattern.compile("\\[(\\d+)]").matcher(m.group(2));
            while (index.find()) {
                pointer.append('/').append(index.group(1));
            }
        }
        return JsonPointer.compile(pointer.toString());
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
        throw new LookupFailed("the mismatch has no " + type + " fact with a value for " + field + " (for {" + name + "})");
    }

    /** The URL as it may be shown: without user info and query string. */
    static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }

    /** Masks each header value, and its credential alone ("Bearer x": also x), as a target may echo either. */
    private static SecretMasker masker(Check check) {
        java.util.List<String> secrets = new java.util.ArrayList<>(check.headers().values());
        check.headers().values().forEach(v -> {
            int space = v.strip().lastIndexOf(' ');
            if (space > 0 && v.strip().length() - space > 8) {
                secrets.add(v.strip().substring(space + 1));
            }
        });
        return new SecretMasker(secrets);
    }

    /** GETs the URL and reads its answer as JSON. */
    JsonNode fetch(String checkName, Check check, URI uri) throws InterruptedException {
        SecretMasker masker = masker(check);
        HttpClient client = clients.computeIfAbsent(checkName, n -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(check.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(check.readTimeout()).header("Accept", "application/json").GET();
        check.headers().forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new LookupFailed("GET " + shown(uri) + " failed: " + masker.mask(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
        String body = response.body() == null ? "" : response.body();
        if (response.statusCode() / 100 != 2) {
            throw new LookupFailed("GET " + shown(uri) + " answered HTTP " + response.statusCode()
                    + (body.isBlank() ? "" : ": " + masker.mask(truncate(body.strip(), 200))));
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new LookupFailed("GET " + shown(uri) + " answered HTTP " + response.statusCode() + " with a body that is not JSON: "
                    + masker.mask(truncate(body.strip(), 200)));
        }
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
                    throw new LookupFailed("the answer's " + found + ", not true or false");
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
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
