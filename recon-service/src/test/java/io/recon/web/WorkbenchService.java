package io.recon.web;

import io.recon.ReconApplication;
import io.recon.it.ReconTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole Recon service on the embedded default (PostgreSQL, Kafka, Debezium, Drools), serving the
 * workbench; the same settings as the integration tests' ReconInstance, plus HTTP as any demo user.
 */
final class WorkbenchService implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();
    final String baseUrl;

    private WorkbenchService(ConfigurableApplicationContext context) {
        this.context = context;
        this.baseUrl = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static WorkbenchService start(String name) {
        return new WorkbenchService(new SpringApplicationBuilder(ReconApplication.class).run(
                "--recon.work-dir=" + ReconTestSupport.newWorkDir(name),
                "--recon.rules.repository=../rules-repo/repository",
                "--recon.demo.traffic=false",
                "--server.port=0"));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** A request as a demo user (password = name), or anonymously when user is null. */
    HttpResponse<String> send(String method, String path, String body, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    JsonNode get(String path, String user) {
        HttpResponse<String> response = send("GET", path, null, user);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " as " + user + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        context.close();
    }
}
