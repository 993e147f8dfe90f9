package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The oracle of offline runs on the full service: payments lost from the live path on purpose (the binding's filter
 * drops them for a while, as a broken upstream would) show up in the T+1 comparison as exactly the mismatches that
 * loss caused, each with its facts; and a run that cannot be done is refused with a sentence.
 */
class OfflineRunIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ReconInstance recon;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("offline"));
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void recordsLostFromTheLivePathAreListedByTheComparisonWithTheirFacts() throws Exception {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.happyFlow("KEEP-1", "20.00", t0);

            JsonNode payments = recon.get("/api/sources/pay-payments");
            putSource("pay-payments", ((ObjectNode) payments.deepCopy()).put("filter", "order_id != 'LOSS-1' and order_id != 'LOSS-2'"));
            Instant t1 = Instant.now();
            script.order("LOSS-1", "40.00", t1);                                  // its payment is lost: live says MISSING
            script.payment("P-LOSS-1", "LOSS-1", "40.00", "SUCCESS", t1.plusMillis(200));
            script.markOrder("LOSS-1", "PAID");
            script.order("LOSS-2", "50.00", t1);                                  // its wrong payment is lost: live says MISSING, not AMOUNT
            script.payment("P-LOSS-2", "LOSS-2", "55.00", "SUCCESS", t1.plusMillis(200));
            script.markOrder("LOSS-2", "PAID");
            // Good flows keep the event-time clock moving (it follows the sources), until the live path has judged the loss.
            int[] flow = {2};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                script.happyFlow("KEEP-" + flow[0]++, "30.00", Instant.now());
                return recon.mismatches().containsAll(Set.of("LOSS-1 MISSING OPEN", "LOSS-2 MISSING OPEN"));
            });
            putSource("pay-payments", ((ObjectNode) payments.deepCopy()).putNull("filter"));
            Instant judged = t1.plusSeconds(40);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                script.happyFlow("KEEP-" + flow[0]++, "30.00", Instant.now());
                for (JsonNode s : recon.get("/actuator/recon").get("sessions")) {
                    if (s.get("watermark").isNull() || Instant.parse(s.get("watermark").asString()).isBefore(judged)) {
                        return false;
                    }
                }
                return true;
            });
        }

        JsonNode run = offlineRun("{\"task\":\"trade\",\"from\":\"" + t0.minusSeconds(60) + "\",\"to\":\"" + Instant.now() + "\"}");
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("DONE");
        JsonNode comparison = run.get("comparison");
        assertThat(identities(comparison.get("missedByLive"))).as(run.toString()).containsExactly("LOSS-2 AMOUNT");
        assertThat(identities(comparison.get("onlyLive"))).as(run.toString()).containsExactly("LOSS-1 MISSING", "LOSS-2 MISSING");
        JsonNode missed = comparison.get("missedByLive").get(0);
        assertThat(missed.get("facts").toString()).contains("P-LOSS-2").contains("55.0").contains("50.0");
        assertThat(missed.get("reason").asString()).contains("LOSS-2");
        JsonNode onlyLive = comparison.get("onlyLive").get(0);
        assertThat(onlyLive.get("liveId").asLong()).isEqualTo(recon.awaitMismatch("LOSS-1", "MISSING"));
        assertThat(onlyLive.get("status").asString()).isEqualTo("OPEN");
        assertThat(onlyLive.get("facts").toString()).contains("LOSS-1").contains("40.0");
        assertThat(comparison.get("matched").asInt()).isZero(); // the good flows found nothing on either path
        assertThat(recon.get("/api/runs?task=trade").get(0).get("id").asLong()).isEqualTo(run.get("id").asLong());
    }

    @Test
    void aRunThatCannotBeDoneIsRefusedWithASentence() {
        HttpResponse<String> noTask = recon.post("/api/runs", "{\"task\":\"nope\",\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-12-02T00:00:00Z\"}",
                "operator");
        assertThat(noTask.statusCode()).isEqualTo(400);
        assertThat(noTask.body()).contains("There is no task 'nope'");
        HttpResponse<String> backwards = recon.post("/api/runs", "{\"task\":\"trade\",\"from\":\"2026-12-02T00:00:00Z\",\"to\":\"2026-12-01T00:00:00Z\"}",
                "operator");
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(backwards.body()).contains("'from' before 'to'");
        HttpResponse<String> notAnInstant = recon.post("/api/runs", "{\"task\":\"trade\",\"from\":\"yesterday\",\"to\":\"2026-12-01T00:00:00Z\"}",
                "operator");
        assertThat(notAnInstant.body()).contains("'from' is not an ISO instant: yesterday");
        HttpResponse<String> viewer = recon.post("/api/runs", "{\"task\":\"trade\",\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-12-02T00:00:00Z\"}",
                "viewer");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(recon.getAsOperator("/api/runs/999999").statusCode()).isEqualTo(404);
    }

    private static Set<String> identities(JsonNode findings) {
        Set<String> out = new TreeSet<>();
        findings.forEach(f -> out.add(f.get("key").asString() + " " + f.get("type").asString()));
        return out;
    }

    private static JsonNode offlineRun(String body) {
        HttpResponse<String> started = recon.post("/api/runs", body, "analyst");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long id = JSON.readTree(started.body()).get("id").asLong();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> !recon.get("/api/runs/" + id).get("status").asString().equals("RUNNING"));
        return recon.get("/api/runs/" + id);
    }

    private void putSource(String name, JsonNode body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(recon.baseUrl() + "/api/sources/" + name))
                .header("Authorization", ReconInstance.basic("operator")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
