package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Input that cannot become a fact is kept whole as a dead letter with a reason a person can act on,
 * and the sessions and the service go on.
 */
class BadInputIT {

    private static ReconInstance recon;

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("badinput"));
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void malformedJsonIsRefusedAndKept() {
        HttpResponse<String> response = recon.post("/api/events/courier", "{\"delivery_id\": \"D-1\", ");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode letter = newestDeadLetter("courier");
        assertThat(letter.get("reason").asString()).contains("not valid JSON");
        assertThat(letter.get("payload").asString()).isEqualTo("{\"delivery_id\": \"D-1\", ");
    }

    @Test
    void aRecordWithoutCorrelationKeyIsRefusedWithTheFieldNamed() {
        HttpResponse<String> response = recon.post("/api/events/courier",
                "{\"delivery_id\":\"D-NOKEY\",\"courier\":\"X\",\"status\":\"DELIVERED\",\"delivered_at\":\"" + Instant.now() + "\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("orderId");
        JsonNode letter = newestDeadLetter("courier");
        assertThat(letter.get("reason").asString()).contains("correlation key 'orderId'");
        assertThat(letter.get("payload").asString()).contains("D-NOKEY");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWithFieldAndValue() {
        HttpResponse<String> response = recon.post("/api/events/courier",
                "{\"delivery_id\":\"D-BADTIME\",\"order_id\":\"O-1\",\"delivered_at\":\"yesterday\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode letter = newestDeadLetter("courier");
        assertThat(letter.get("reason").asString()).contains("deliveredAt").contains("yesterday");
    }

    @Test
    void anUnknownSourceIsRefusedAndKept() {
        HttpResponse<String> response = recon.post("/api/events/no-such-system", "{\"order_id\":\"O-1\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no source named 'no-such-system'");
        JsonNode letter = newestDeadLetter("no-such-system");
        assertThat(letter.get("payload").asString()).isEqualTo("{\"order_id\":\"O-1\"}");
    }

    @Test
    void aMalformedMessageOnASourceTopicIsKeptAndTheTopicGoesOn() {
        try (DemoScript script = recon.script()) {
            script.courierMessage("O-BAD", "this is not json");
            script.delivery("D-AFTER-BAD", "O-AFTER-BAD", Instant.now());
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode letter = newestDeadLetter("courier");
            assertThat(letter.get("payload").asString()).isEqualTo("this is not json");
            assertThat(letter.get("reason").asString()).contains("not valid JSON").contains("courier.deliveries");
        });
        // The good message behind the bad one reached a session.
        await().atMost(Duration.ofSeconds(20)).until(() -> liveFacts("Delivery") >= 1);
    }

    @Test
    void afterBadInputGoodInputIsStillProcessed() {
        recon.post("/api/events/courier", "][");
        long before = liveFacts("Delivery");

        HttpResponse<String> response = recon.post("/api/events/courier",
                "[{\"delivery_id\":\"D-GOOD-1\",\"order_id\":\"O-GOOD-1\",\"courier\":\"X\",\"status\":\"DELIVERED\",\"delivered_at\":\""
                        + Instant.now() + "\"},{\"delivery_id\":\"D-BAD-2\"}]");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = ReconInstance.JSON.readTree(response.body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> liveFacts("Delivery") > before);
        assertThat(recon.get("/actuator/health").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void writesNeedAUserWithTheRightRoleAndReadsNeedARole() {
        String event = "{\"delivery_id\":\"D-AUTH\",\"order_id\":\"O-AUTH\",\"delivered_at\":\"" + Instant.now() + "\"}";

        assertThat(recon.post("/api/events/courier", event, null).statusCode()).isEqualTo(401);
        assertThat(recon.post("/api/events/courier", event, "viewer").statusCode()).isEqualTo(403);
        assertThat(recon.getAnonymously("/api/mismatches").statusCode()).isEqualTo(401);
        assertThat(recon.getAnonymously("/actuator/recon").statusCode()).isEqualTo(401);
        assertThat(recon.getAnonymously("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(recon.getAnonymously("/api/releases/1.0.0/export").statusCode()).isEqualTo(401);
        assertThat(recon.getAnonymously("/api/releases").statusCode()).isEqualTo(401);
    }

    private static JsonNode newestDeadLetter(String source) {
        JsonNode items = recon.get("/api/dead-letters?source=" + source + "&size=1").get("items");
        assertThat(items.size()).as("dead letters of " + source).isEqualTo(1);
        return items.get(0);
    }

    private static long liveFacts(String type) {
        long count = 0;
        for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
            JsonNode facts = session.get("liveFactsByType");
            count += facts.has(type) ? facts.get(type).asLong() : 0;
        }
        return count;
    }
}
