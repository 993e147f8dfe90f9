package io.recon.chaos;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * The system that receives Recon's alert webhooks, on a free port of 127.0.0.1. It counts each
 * idempotency key, and can pull the plug on the service while a delivery is in flight: the alert
 * has left Recon but Recon never hears that it arrived.
 */
final class AlertReceiver implements AutoCloseable {

    /** An alert as the receiver saw it: which mismatch (task, key, type) and which occurrence of it. */
    record Alert(String idempotencyKey, String identity) {
    }

    private final HttpServer server;
    /** Daemon threads: a finished chaos command must end its JVM by itself. */
    private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "chaos-alert-receiver");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicLong> byKey = new ConcurrentHashMap<>();
    private final Map<String, String> identityByKey = new ConcurrentHashMap<>();
    private final AtomicReference<Runnable> killOnNext = new AtomicReference<>();

    AlertReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/alerts", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            JsonNode json = ServiceProcess.JSON.readTree(new String(body, StandardCharsets.UTF_8));
            Runnable kill = killOnNext.getAndSet(null);
            if (kill != null) {
                kill.run(); // the service dies waiting for this answer; the alert counts as received
            }
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                JsonNode details = json.has("details") ? json.get("details") : json;
                identityByKey.put(key, text(json, "kind") + " " + text(details, "task") + " " + text(details, "key") + " "
                        + text(details, "type") + " #" + text(details, "occurrence"));
            }
            byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (IOException e) {
                // the sender is gone
            }
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null ? "?" : value.asString();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }

    /** The next alert that arrives runs {@code kill} before it is answered. */
    void killOnNextAlert(Runnable kill) {
        killOnNext.set(kill);
    }

    boolean killPending() {
        return killOnNext.get() != null;
    }

    /** Deliveries per idempotency key. */
    Map<String, Long> deliveries() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        byKey.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Alert identity ("task key type #occurrence") per idempotency key; the same across runs of the same traffic. */
    Map<String, String> identities() {
        return new java.util.TreeMap<>(identityByKey);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow(); // its threads would keep a command's JVM alive
    }
}
