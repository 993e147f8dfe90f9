package io.recon.targets;

import io.recon.source.cdc.SecretMasker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A GET whose answer is JSON, for second checks and lookups. A non-2xx answer, a timeout or an answer that is not
 * JSON is a {@link TargetFailed} with the reason; header values (and a credential alone, "Bearer x": also x) are
 * masked out of every reason, and a URL is shown without its query string (it may carry a key).
 */
public final class HttpGet {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    /** The URL as it may be shown: without user info and query string. */
    public static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }

    /** @param client names the connection settings (one HTTP client each) */
    public JsonNode fetch(String client, URI uri, Map<String, String> headers, Duration connectTimeout, Duration readTimeout)
            throws InterruptedException {
        SecretMasker masker = masker(headers);
        HttpClient http = clients.computeIfAbsent(client, n -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(readTimeout).header("Accept", "application/json").GET();
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new TargetFailed("GET " + shown(uri) + " failed: " + masker.mask(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
        String body = response.body() == null ? "" : response.body();
        if (response.statusCode() / 100 != 2) {
            throw new TargetFailed("GET " + shown(uri) + " answered HTTP " + response.statusCode()
                    + (body.isBlank() ? "" : ": " + masker.mask(truncate(body.strip(), 200))), response.statusCode());
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new TargetFailed("GET " + shown(uri) + " answered HTTP " + response.statusCode() + " with a body that is not JSON: "
                    + masker.mask(truncate(body.strip(), 200)));
        }
    }

    private static SecretMasker masker(Map<String, String> headers) {
        List<String> secrets = new ArrayList<>(headers.values());
        headers.values().forEach(v -> {
            int space = v.strip().lastIndexOf(' ');
            if (space > 0 && v.strip().length() - space > 8) {
                secrets.add(v.strip().substring(space + 1));
            }
        });
        return new SecretMasker(secrets);
    }

    public static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
