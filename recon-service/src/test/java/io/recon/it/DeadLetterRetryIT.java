package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7, section 2: a dead letter is re-driven after a fix. A courier system pushes to a source
 * nobody bound yet; its deliveries are dead letters. The operator binds the source and restarts;
 * the retry turns the kept delivery into a fact, which is then checked (no shipment: ORPHAN_DELIVERY),
 * and the dead letter stays, marked REDRIVEN. A record that still cannot map keeps failing, with
 * its reason, and the batch retry says so.
 */
class DeadLetterRetryIT {

    private static final String[] COURIER2 = {
            "recon.sources.courier2.kind=http",
            "recon.sources.courier2.task=trade",
            "recon.sources.courier2.type=recon.trade.Delivery",
            "recon.sources.courier2.key=orderId",
            "recon.sources.courier2.id=deliveryId",
            "recon.sources.courier2.event-time=deliveredAt"};

    @Test
    void aDeadLetterThatMapsAfterAFixBecomesAFactAndItsMismatchIsFound() {
        Path workDir = ReconTestSupport.newWorkDir("retry");
        long unbound;
        long stillBad;
        try (ReconInstance recon = ReconInstance.start(workDir)) {
            HttpResponse<String> refused = recon.post("/api/events/courier2", "{\"delivery_id\":\"D-RT-1\",\"order_id\":\"RT-1\","
                    + "\"courier\":\"NewCo\",\"status\":\"DELIVERED\",\"delivered_at\":\"" + Instant.now() + "\"}");
            assertThat(refused.statusCode()).isEqualTo(404);
            recon.post("/api/events/courier", "{\"delivery_id\":\"D-RT-NUL\",\"order_id\":\"RT-NUL\",\"courier\":\"A\\u0000B\","
                    + "\"delivered_at\":\"" + Instant.now() + "\"}");
            unbound = only(recon.get("/api/dead-letters?source=courier2")).get("id").asLong();
            stillBad = only(recon.get("/api/dead-letters?source=courier&reason=nul")).get("id").asLong();

            HttpResponse<String> notYet = recon.postAsOperator("/api/dead-letters/" + unbound + "/retry");
            assertThat(notYet.statusCode()).isEqualTo(422);
            assertThat(notYet.body()).contains("no source named 'courier2'");
        }

        try (ReconInstance recon = ReconInstance.start(workDir, COURIER2)) {
            HttpResponse<String> retried = recon.postAsOperator("/api/dead-letters/" + unbound + "/retry");
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(retried.body()).contains("REDRIVEN");

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(recon.get("/api/mismatches?key=RT-1&type=ORPHAN_DELIVERY").get("total").asInt()).isEqualTo(1));
            JsonNode letter = recon.get("/api/dead-letters/" + unbound);
            assertThat(letter.get("status").asString()).isEqualTo("REDRIVEN");
            assertThat(letter.get("attempts").asInt()).isEqualTo(2);
            assertThat(recon.postAsOperator("/api/dead-letters/" + unbound + "/retry").statusCode()).isEqualTo(409);

            JsonNode batch = recon.get("/api/dead-letters?source=courier&reason=nul&status=NEW");
            assertThat(batch.get("total").asInt()).isEqualTo(1);
            HttpResponse<String> again = recon.postAsOperator("/api/dead-letters/retry?source=courier&reason=nul");
            assertThat(again.statusCode()).isEqualTo(200);
            JsonNode answer = ReconInstance.JSON.readTree(again.body());
            assertThat(answer.get("redriven").asInt()).isZero();
            assertThat(answer.get("stillFailing").asInt()).isEqualTo(1);
            assertThat(answer.get("items").get(0).get("reason").asString()).contains("field 'courier'").contains("NUL");
            assertThat(recon.get("/api/dead-letters/" + stillBad).get("attempts").asInt()).isEqualTo(1);

            HttpResponse<String> viewer = recon.post("/api/dead-letters/" + stillBad + "/retry", "", "viewer");
            assertThat(viewer.statusCode()).isEqualTo(403);
            assertThat(recon.get("/api/dead-letters?size=1&page=0").get("items").size()).isEqualTo(1);
            for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
                assertThat(session.get("state").asString()).isEqualTo("RUNNING");
            }
        }
    }

    private static JsonNode only(JsonNode page) {
        assertThat(page.get("total").asInt()).as(page.toString()).isEqualTo(1);
        return page.get("items").get(0);
    }
}
