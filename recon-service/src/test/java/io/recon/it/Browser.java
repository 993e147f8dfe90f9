package io.recon.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workbench's page does over HTTP: keeps the cookies the service sets (as a browser would,
 * without sending any Authorization header) and, when asked, echoes the XSRF-TOKEN cookie as header
 * X-XSRF-TOKEN, as the page's script does.
 */
final class Browser {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    Browser(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null, false);
    }

    /** Sends with the CSRF header, as the page's script does. */
    HttpResponse<String> send(String method, String path, String json) {
        return send(method, path, json, true);
    }

    /** Sends like a cross-site form: the cookies go along, the CSRF header does not. */
    HttpResponse<String> sendWithoutCsrfHeader(String method, String path, String json) {
        return send(method, path, json, false);
    }

    HttpResponse<String> signIn(String user, String password) {
        if (!cookies.containsKey("XSRF-TOKEN")) {
            get("/api/session");
        }
        return send("POST", "/api/session", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    private HttpResponse<String> send(String method, String path, String json, boolean csrfHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Sec-Fetch-Mode", "cors")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (!cookies.isEmpty()) {
            request.header("Cookie", String.join("; ", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).toList()));
        }
        if (csrfHeader && cookies.containsKey("XSRF-TOKEN")) {
            request.header("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            remember(response.headers().allValues("Set-Cookie"));
            return response;
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /** Later Set-Cookie headers win; Max-Age=0 removes the cookie. */
    private void remember(List<String> setCookies) {
        for (String header : setCookies) {
            String pair = header.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('=')).strip();
            String value = pair.substring(pair.indexOf('=') + 1).strip();
            if (header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0") || value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    /** The Set-Cookie header of a response for one cookie, attributes included, or null. */
    static String setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(name + "=")).reduce((a, b) -> b).orElse(null);
    }
}
