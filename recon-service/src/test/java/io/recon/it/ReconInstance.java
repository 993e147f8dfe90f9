package io.recon.it;

import io.recon.ReconApplication;
import io.recon.demo.DemoSystems;
import io.recon.system.KafkaEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A whole Recon service on the embedded default, started and stopped by a test, talked to over HTTP. */
final class ReconInstance implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    private ReconInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.baseUrl = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static ReconInstance start(Path workDir, String... extraProperties) {
        // a property given twice on the command line binds as a list: later settings replace defaults
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String p : ReconTestSupport.properties(workDir)) {
            settings.put(p.substring(0, p.indexOf('=')), p);
        }
        for (String p : extraProperties) {
            settings.put(p.substring(0, p.indexOf('=')), p);
        }
        List<String> args = new ArrayList<>();
        settings.values().forEach(p -> args.add("--" + p));
        return new ReconInstance(new SpringApplicationBuilder(ReconApplication.class).run(args.toArray(String[]::new)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    <T> java.util.Collection<T> beans(Class<T> type) {
        return context.getBeansOfType(type).values();
    }

    DemoScript script() {
        return new DemoScript(bean(DemoSystems.class), bean(KafkaEndpoint.class).bootstrap());
    }

    /** Reads as an operator, who may also read the actuator. */
    JsonNode get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", basic("operator"))
                .GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Posts as the demo's event source user. */
    HttpResponse<String> post(String path, String body) {
        return post(path, body, "source");
    }

    /** Posts as one of the demo users (password = name), or anonymously when user is null. */
    HttpResponse<String> post(String path, String body, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", basic(user));
        }
        return send(request.build());
    }

    /** Posts raw bytes as the demo's event source user (bodies that are not valid UTF-8, or very large). */
    HttpResponse<String> postBytes(String path, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .header("Authorization", basic("source")).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Reads as an operator whatever the status (health answers 503 while DOWN). */
    HttpResponse<String> getAsOperator(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", basic("operator")).GET().build());
    }

    /** Posts with no body as an operator (the dead-letter re-drive). */
    HttpResponse<String> postAsOperator(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", basic("operator"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    String getText(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", basic("operator"))
                .GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Reads raw bytes (an export) as a viewer: every read needs a role. */
    HttpResponse<byte[]> download(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", basic("viewer")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> getAnonymously(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build());
    }

    /** Deletes as one of the demo users (password = name), whatever the answer. */
    HttpResponse<String> delete(String path, String user) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", basic(user)).DELETE().build());
    }

    /** Reads as one of the demo users (password = name), whatever the answer. */
    HttpResponse<String> getAs(String path, String user) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", basic(user)).GET().build());
    }

    String baseUrl() {
        return baseUrl;
    }

    static String basic(String user) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + user).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The stored mismatches of one task as "key type", for exact comparisons with what was injected. */
    Set<String> findings(String task) {
        Set<String> found = new TreeSet<>();
        for (JsonNode item : get("/api/mismatches?size=2000&task=" + task).get("items")) {
            found.add(item.get("key").asString() + " " + item.get("type").asString());
        }
        return found;
    }

    /** The demo traffic's ground truth, every injected fault as "key type". */
    Set<String> injectedFaults() {
        Set<String> faults = new TreeSet<>();
        for (JsonNode fault : get("/api/demo/faults?size=5000").get("items")) {
            faults.add(fault.get("key").asString() + " " + fault.get("type").asString());
        }
        return faults;
    }

    /** Any request as one of the demo users (password = name), whatever the answer; a JSON body, or none. */
    HttpResponse<String> send(String method, String path, String body, String user) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", basic(user))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Every stored mismatch as "key type status", for exact comparisons. */
    Set<String> mismatches() {
        Set<String> found = new TreeSet<>();
        for (JsonNode item : get("/api/mismatches?size=500").get("items")) {
            found.add(item.get("key").asString() + " " + item.get("type").asString() + " " + item.get("status").asString());
        }
        return found;
    }

    JsonNode mismatch(String key, String type) {
        JsonNode items = get("/api/mismatches?key=" + key + "&type=" + type).get("items");
        if (items.size() != 1) {
            throw new AssertionError("expected one " + type + " mismatch for " + key + " but found " + items);
        }
        return get("/api/mismatches/" + items.get(0).get("id").asLong());
    }

    /** Waits until the session stored the one mismatch of this type for the key; @return its id. */
    long awaitMismatch(String key, String type) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> get("/api/mismatches?key=" + key + "&type=" + type).get("total").asInt() == 1);
        return mismatch(key, type).get("mismatch").get("id").asLong();
    }

    String status(long id) {
        return get("/api/mismatches/" + id).get("mismatch").get("status").asString();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
