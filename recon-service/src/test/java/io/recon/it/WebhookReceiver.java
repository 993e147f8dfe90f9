package io.recon.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A stand-in for the systems that receive Recon's webhooks: a real HTTP server on a free port that
 * keeps every request, and can be told to answer 500 to the first requests on a path.
 */
final class WebhookReceiver implements AutoCloseable {

    record Received(String path, String idempotencyKey, JsonNode body, long atMillis) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Consumer<JsonNode>> reactions = new ConcurrentHashMap<>();

    WebhookReceiver(String... paths) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String path : paths) {
            server.createContext(path, exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                AtomicInteger fail = failuresLeft.get(path);
                int status = fail != null && fail.getAndDecrement() > 0 ? 500 : 200;
                JsonNode json = ReconInstance.JSON.readTree(new String(body, StandardCharsets.UTF_8));
                received.add(new Received(path, exchange.getRequestHeaders().getFirst("Idempotency-Key"), json, System.currentTimeMillis()));
                var reaction = reactions.get(path);
                if (status == 200 && reaction != null) {
                    reaction.accept(json);
                }
                byte[] answer = (status == 200 ? "ok" : "receiver down").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
        }
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** What the receiving system does with an accepted request before it answers (e.g. fix its data). */
    void onAccepted(String path, java.util.function.Consumer<JsonNode> reaction) {
        reactions.put(path, reaction);
    }

    /** The next {@code n} requests on {@code path} are answered with 500. */
    void failNext(String path, int n) {
        failuresLeft.put(path, new AtomicInteger(n));
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    List<Received> all() {
        return List.copyOf(received);
    }

    /** How often each idempotency key arrived. */
    Map<String, Long> keyCounts() {
        return received.stream().collect(Collectors.groupingBy(Received::idempotencyKey, Collectors.counting()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
