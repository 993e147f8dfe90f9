package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import io.recon.system.KafkaEndpoint;
import io.recon.system.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Debezium on Kafka Connect as a source: a real Connect worker in distributed mode, a separate JVM, captures the shop's
 * orders from PostgreSQL with the connector configuration of {@code docker/connect/recon-postgres.json} (registered
 * through Connect's REST API, only its host and port replaced), and Recon reads the change events from the topic as the
 * CONNECT source shop-orders, beside payments captured by embedded Debezium. Deletes retract, a changed key moves the
 * order, a message that is no change event is a dead letter and the topic goes on: the day yields exactly the expected
 * mismatches.
 */
@RunsAlone
class ConnectSourceIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOPIC = "shop.public.orders";
    private static final Path CONNECTOR = Path.of("../docker/connect/recon-postgres.json");

    /** What Recon must report for the day, and nothing else. */
    private static final Set<String> EXPECTED = Set.of(
            "MISS-1 MISSING OPEN",     // never paid
            "BARE-1 MISSING OPEN",     // an event without schemas on the same topic, never paid
            "STAT-1 STATUS OPEN",      // paid, never marked PAID
            "AMT-1 AMOUNT OPEN");      // paid 105.00 for 100.00

    private static ReconInstance recon;
    private static ConnectWorker connect;
    private static Path workDir;

    @BeforeAll
    static void start() throws Exception {
        workDir = ReconTestSupport.newWorkDir("connect");
        // a fixed port: the worker, another process, must reach the broker of this JVM
        int kafkaPort = Ports.freePort();
        recon = ReconInstance.start(workDir, "recon.embedded.kafka-port=" + kafkaPort,
                "recon.sources.shop-orders.kind=connect", "recon.sources.shop-orders.topic=" + TOPIC);
        EmbeddedPostgres postgres = recon.bean(EmbeddedPostgres.class);
        Path dir = Files.createDirectories(workDir.resolve("connect"));
        long started = System.nanoTime();
        connect = ConnectWorker.start(dir, recon.bean(KafkaEndpoint.class).bootstrap(),
                Map.of("RECON_CAPTURE_PASSWORD", postgres.password() == null || postgres.password().isEmpty() ? "unused" : postgres.password()));
        connect.awaitReady(Duration.ofSeconds(60));
        long ready = System.nanoTime();
        ObjectNode connector = (ObjectNode) JSON.readTree(Files.readString(CONNECTOR));
        ObjectNode config = (ObjectNode) connector.get("config");
        config.put("database.hostname", postgres.host());
        config.put("database.port", Integer.toString(postgres.port()));
        connect.register(JSON.writeValueAsString(connector));
        connect.awaitRunning(connector.get("name").asString(), Duration.ofSeconds(60));
        System.out.printf("Connect worker: REST up after %d ms, connector running %d ms later (log %s)%n",
                (ready - started) / 1_000_000, (System.nanoTime() - ready) / 1_000_000, connect.log());
    }

    @AfterAll
    static void stop() {
        try {
            if (connect != null) {
                connect.close();
            }
        } finally {
            if (recon != null) {
                recon.close();
            }
        }
    }

    @Test
    void aScriptedDayCapturedByKafkaConnectYieldsExactlyTheExpectedMismatches() throws Exception {
        assertThat(recon.get("/api/sources/shop-orders").toString()).contains("CONNECT").contains(TOPIC);
        JdbcTemplate shop = recon.bean(DemoSystems.class).jdbc("shop");
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script(); KafkaProducer<String, String> producer = producer()) {
            script.happyFlow("OK-1", "20.00", t0);
            script.order("MISS-1", "10.00", t0);
            script.order("STAT-1", "70.00", t0);
            script.payment("P-STAT-1", "STAT-1", "70.00", "SUCCESS", t0.plusMillis(200));
            // deleted before its payment window closed: the delete retracts the order, nothing is missing
            script.order("DEL-1", "15.00", t0);
            shop.update("delete from orders where order_id = 'DEL-1'");
            // the order's key corrected after it was placed: the fact moves, nothing is missing under the old key
            script.order("MOVE-1", "25.00", t0);
            shop.update("update orders set order_id = 'MOVED-1' where order_id = 'MOVE-1'");
            script.payment("P-MOVED-1", "MOVED-1", "25.00", "SUCCESS", t0.plusMillis(300));
            script.markOrder("MOVED-1", "PAID");
            // on the same topic: two messages that are no change events, then one written without schemas
            send(producer, "{\"op\":\"c\",\"after\":");
            send(producer, "{\"order_id\":\"NOT-AN-EVENT\",\"amount\":\"1.00\"}");
            send(producer, """
                    {"before":null,"after":{"order_id":"BARE-1","customer_id":"C-2","amount":"40.00","currency":"EUR","status":"CREATED",
                     "created_at":"%s","updated_at":"%s"},"source":{"connector":"postgresql","name":"shop","ts_ms":%d,"db":"shop",
                     "schema":"public","table":"orders","lsn":1},"op":"c","ts_ms":%d}"""
                    .formatted(t0, t0, System.currentTimeMillis(), System.currentTimeMillis()));
            // last, and timed: from the commits of an overpaid order to its mismatch in Recon
            script.overpaidFlow("AMT-1", t0);
        }
        long committed = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> recon.mismatches().contains("AMT-1 AMOUNT OPEN"));
        System.out.printf("commit to AMOUNT mismatch through Kafka Connect: %d ms%n", (System.nanoTime() - committed) / 1_000_000);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(recon.mismatches()).containsExactlyInAnyOrderElementsOf(EXPECTED));
        // MISSING is the last window of the day (30 s after t0): once it closed nothing else may come
        Thread.sleep(3_000);
        assertThat(recon.mismatches()).containsExactlyInAnyOrderElementsOf(EXPECTED);

        List<String> reasons = new ArrayList<>();
        recon.get("/api/dead-letters?source=shop-orders&size=10").get("items").forEach(i -> reasons.add(i.get("reason").asString()));
        assertThat(reasons).hasSize(2).anySatisfy(r -> assertThat(r).contains("not JSON").contains("topic " + TOPIC))
                .anySatisfy(r -> assertThat(r).contains("not a Debezium change event"));
        JsonNode amount = recon.mismatch("AMT-1", "AMOUNT");
        assertThat(amount.get("snapshot").toString()).contains("P-AMT-1").contains("\"amount\":100.0");
    }

    /** A binding of a topic no connector writes yet is refused before it applies, saying what to do first. */
    @Test
    void aConnectSourceOfATopicThatDoesNotExistIsRefusedWithWhatToDo() throws Exception {
        String body = "{\"kind\":\"CONNECT\",\"topic\":\"shop.public.refunds\",\"task\":\"trade\",\"type\":\"recon.trade.Order\","
                + "\"key\":\"orderId\",\"id\":\"orderId\",\"eventTime\":\"createdAt\"}";
        java.net.http.HttpResponse<String> refused = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(recon.baseUrl() + "/api/sources/shop-refunds"))
                .header("Authorization", ReconInstance.basic("operator")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("message").asString()).contains("shop.public.refunds does not exist")
                .contains("register the connector on Kafka Connect first");
        assertThat(recon.getAs("/api/sources/shop-refunds", "operator").statusCode()).isEqualTo(404);
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, recon.bean(KafkaEndpoint.class).bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static void send(KafkaProducer<String, String> producer, String value) throws Exception {
        producer.send(new ProducerRecord<>(TOPIC, value)).get();
    }
}
