package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.system.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A captured database that is not there when Recon starts: its change-data capture fails, health says so
 * with the reason, operators are alerted, the capture is retried with back-off, and once the database is
 * up it captures, the recovery is alerted, and its changes become findings.
 */
class SourceRestartIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static WebhookReceiver receiver;
    private static ReconInstance recon;
    private static int ghostPort;
    private static Path workDir;
    private static EmbeddedPostgres ghost;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            ghostPort = socket.getLocalPort();
        }
        receiver = new WebhookReceiver("/ops");
        workDir = ReconTestSupport.newWorkDir("source-restart");
        recon = ReconInstance.start(workDir,
                "recon.databases.ghost.host=127.0.0.1",
                "recon.databases.ghost.port=" + ghostPort,
                "recon.databases.ghost.database=ghost",
                "recon.databases.ghost.username=postgres",
                "recon.databases.ghost.password=postgres",
                "recon.sources.ghost-orders.kind=table",
                "recon.sources.ghost-orders.database=ghost",
                "recon.sources.ghost-orders.table=public.orders",
                "recon.sources.ghost-orders.task=trade",
                "recon.sources.ghost-orders.type=recon.trade.Order",
                "recon.sources.ghost-orders.key=orderId",
                "recon.sources.ghost-orders.id=orderId",
                "recon.sources.ghost-orders.event-time=createdAt",
                "recon.supervision.initial-backoff=1s",
                "recon.supervision.max-backoff=3s",
                "recon.supervision.stable-after=2s",
                "recon.alerts.channels.ops-hook.kind=webhook",
                "recon.alerts.channels.ops-hook.url=" + receiver.url("/ops"),
                "recon.alerts.routes.trade.P2=ops-hook",
                "recon.alerts.dispatch.initial-backoff=200ms");
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
        if (ghost != null) {
            ghost.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aCaptureThatFailsIsRetriedWithBackOffSeenInHealthAlertedAndRecovers() throws Exception {
        await().atMost(Duration.ofSeconds(120)).until(() -> ghostSource().get("restarts").asInt() >= 1
                && sources().get("status").asString().equals("DOWN"));
        assertThat(sources().get("details").get("recon_ghost").get("error").asString()).as("the reason, in health").isNotBlank();
        JsonNode stopped = awaitOpsAlert("OPENED");
        assertThat(stopped.get("title").asString()).contains("recon_ghost", "stopped");
        assertThat(stopped.get("text").asString()).contains("restarted with back-off");

        ghost = EmbeddedPostgres.builder(workDir.resolve("ghost-postgres").resolve("data")).port(ghostPort).build().start();
        ghost.ensureDatabase("ghost");
        try (Connection c = ghost.connect("ghost")) {
            c.createStatement().execute(new String(SourceRestartIT.class.getResourceAsStream("/demo/shop.sql").readAllBytes()));
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> ghostSource().get("state").asString().equals("RUNNING")
                && sources().get("status").asString().equals("UP"));
        JsonNode back = awaitOpsAlert("CLOSED");
        assertThat(back.get("title").asString()).contains("recon_ghost", "captures changes again");

        Instant t0 = Instant.now();
        try (Connection c = ghost.connect("ghost"); DemoScript script = recon.script()) {
            try (PreparedStatement insert = c.prepareStatement("insert into orders (order_id, customer_id, amount, currency, status, created_at, "
                    + "updated_at) values ('GHOST-1', 'C-1', ?, 'EUR', 'CREATED', ?, ?)")) {
                insert.setBigDecimal(1, new BigDecimal("100.00"));
                insert.setTimestamp(2, Timestamp.from(t0));
                insert.setTimestamp(3, Timestamp.from(t0));
                insert.executeUpdate();
            }
            script.payment("P-GHOST-1", "GHOST-1", "105.00", "SUCCESS", t0.plusMillis(200));
            c.createStatement().executeUpdate("update orders set status = 'PAID', updated_at = now() where order_id = 'GHOST-1'");
        }
        recon.awaitMismatch("GHOST-1", "AMOUNT");
        // however often it was retried, the capture raised one alert when it stopped and one when it came back
        // (a receiver may see a key twice when a delivery timed out: that is what the key is for)
        assertThat(opsKeys("OPENED")).hasSize(1);
        assertThat(opsKeys("CLOSED")).hasSize(1);
    }

    private static JsonNode ghostSource() {
        JsonNode detail = sources().get("details").get("recon_ghost");
        return detail == null ? ReconInstance.JSON.readTree("{\"state\":\"NONE\",\"restarts\":0}") : detail;
    }

    private static JsonNode sources() {
        String base = "http://localhost:" + recon.bean(org.springframework.core.env.Environment.class).getProperty("local.server.port");
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("operator:operator".getBytes()))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return ReconInstance.JSON.readTree(response.body()).get("components").get("sources"); // 503 while DOWN
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.Set<String> opsKeys(String state) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (WebhookReceiver.Received r : receiver.received("/ops")) {
            JsonNode details = r.body().get("details");
            if (r.body().get("kind").asString().equals("OPERATIONS") && details.get("state").asString().equals(state)
                    && details.get("subject").asString().equals("source recon_ghost")) {
                keys.add(r.idempotencyKey());
            }
        }
        return keys;
    }

    private static JsonNode awaitOpsAlert(String state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> opsAlert(state) != null);
        return opsAlert(state);
    }

    private static JsonNode opsAlert(String state) {
        for (WebhookReceiver.Received r : receiver.received("/ops")) {
            JsonNode details = r.body().get("details");
            if (r.body().get("kind").asString().equals("OPERATIONS") && details.get("state").asString().equals(state)
                    && details.get("subject").asString().equals("source recon_ghost")) {
                return r.body();
            }
        }
        return null;
    }
}
