package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole path on real parts: SQL commits in three databases and courier events on Kafka, captured
 * by Debezium, routed through the facts topic into Drools sessions on an event-time clock, stored in
 * PostgreSQL. A scripted day yields exactly the expected mismatches and nothing else.
 */
class EndToEndIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ReconInstance recon;

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("e2e"));
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void aScriptedDayYieldsExactlyTheExpectedMismatches() throws Exception {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            TradeDay.morning(script, t0);
            TradeDay.afternoon(script, t0, recon);
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(recon.mismatches()).containsExactlyInAnyOrderElementsOf(TradeDay.EXPECTED));
        // Every window of the script has closed by now; nothing else may appear later.
        Thread.sleep(TradeDay.QUIET_PERIOD.toMillis());
        assertThat(recon.mismatches()).containsExactlyInAnyOrderElementsOf(TradeDay.EXPECTED);

        JsonNode amount = recon.mismatch("AMT-1", "AMOUNT");
        assertThat(amount.get("mismatch").get("reason").asString()).contains("105").contains("100");
        assertThat(amount.get("mismatch").get("rulesVersion").asString()).isEqualTo("1.0.0");
        assertThat(amount.get("snapshot").toString()).contains("P-AMT-1").contains("AMT-1");
        // What operators watch: sessions, and the pipeline's metrics.
        JsonNode infrastructure = recon.get("/actuator/recon").get("infrastructure");
        assertThat(infrastructure.get("postgres").asString()).matches("127\\.0\\.0\\.1:[0-9]+ \\(embedded, user postgres\\)");
        assertThat(infrastructure.get("kafka").asString()).matches("127\\.0\\.0\\.1:[0-9]+ \\(embedded\\)");
        JsonNode sessions = recon.get("/actuator/recon").get("sessions");
        assertThat(sessions).hasSize(2).allSatisfy(s -> {
            assertThat(s.get("state").asString()).isEqualTo("RUNNING");
            assertThat(s.get("rulesVersion").asString()).isEqualTo("1.0.0");
        });
        String metrics = recon.getText("/actuator/prometheus");
        assertThat(metrics).contains("recon_events_in_total{source=\"pay-payments\"")
                .contains("recon_rules_fired_total{rule=\"A payment is for the amount of its order\"")
                .contains("recon_mismatches_detected_total{task=\"trade\",type=\"AMOUNT\"} 1.0")
                .contains("recon_mismatch_latency_seconds_count{task=\"trade\",type=\"AMOUNT\"} 1")
                .contains("recon_session_queue_depth{partition=\"0\",task=\"trade\"}");

        JsonNode healed = recon.mismatch("HEAL-1", "MISSING");
        assertThat(healed.get("history")).extracting(h -> h.get("to").asString()).containsExactly("OPEN", "AUTO_RESOLVED");

        // The same day at T+1: an offline run over its tables and topic finds what the live path found, nothing more.
        JsonNode run = offlineRun(t0.minusSeconds(60), Instant.now());
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("DONE");
        assertThat(run.get("recordsRead").asLong()).isGreaterThan(30);
        assertThat(run.get("comparison").get("missedByLive")).as(run.toString()).isEmpty();
        assertThat(run.get("comparison").get("onlyLive")).as(run.toString()).isEmpty();
        assertThat(run.get("comparison").get("matched").asInt()).isEqualTo(TradeDay.EXPECTED.size() - 1); // HEAL-1 healed: not a finding
        // What the run found before the live clock stopped (no record came after the day's last one) is the live findings;
        // after it, the run also closed windows the live sessions have not reached (a paid order not shipped in a minute).
        Instant compared = Instant.parse(run.get("comparison").get("comparedUntil").asString());
        Set<String> found = new TreeSet<>();
        recon.get("/api/runs/" + run.get("id").asLong() + "/findings").forEach(f -> {
            if (Instant.parse(f.get("detectedAt").asString()).isBefore(compared)) {
                found.add(f.get("key").asString() + " " + f.get("type").asString() + " OPEN");
            }
        });
        assertThat(found).containsExactlyInAnyOrderElementsOf(TradeDay.EXPECTED.stream().filter(e -> !e.startsWith("HEAL-1")).toList());
    }

    private static JsonNode offlineRun(Instant from, Instant to) {
        HttpResponse<String> started = recon.post("/api/runs", "{\"task\":\"trade\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}",
                "analyst");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long id = JSON.readTree(started.body()).get("id").asLong();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> !recon.get("/api/runs/" + id).get("status").asString().equals("RUNNING"));
        return recon.get("/api/runs/" + id);
    }
}
