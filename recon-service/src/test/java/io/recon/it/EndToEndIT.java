package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
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

        // An independent witness: the analyst's full outer joins over the same tables and topic, staged from three databases
        // and Kafka into Recon's own, report the same mismatches as the rules' live path.
        HttpResponse<String> saved = put("/api/runs/checks/trade", JSON.writeValueAsString(java.util.Map.of("sql", TRADE_CHECK,
                "types", java.util.List.of("MISSING", "AMOUNT", "DUPLICATE", "STATUS", "UNPAID_SHIPMENT", "ORPHAN_DELIVERY"))));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        JsonNode check = run("{\"task\":\"trade\",\"kind\":\"SQL\",\"from\":\"" + t0.minusSeconds(60) + "\",\"to\":\"" + Instant.now() + "\"}");
        assertThat(check.get("status").asString()).as(check.toString()).isEqualTo("DONE");
        assertThat(check.get("kind").asString()).isEqualTo("SQL");
        assertThat(check.get("recordsRead").asLong()).isGreaterThan(30);
        assertThat(check.get("comparison").get("missedByLive")).as(check.toString()).isEmpty();
        assertThat(check.get("comparison").get("onlyLive")).as(check.toString()).isEmpty();
        assertThat(check.get("comparison").get("matched").asInt()).isEqualTo(TradeDay.EXPECTED.size() - 1);
        JsonNode amountRow = null;
        for (JsonNode f : recon.get("/api/runs/" + check.get("id").asLong() + "/findings")) {
            if (f.get("key").asString().equals("AMT-1")) {
                amountRow = f;
            }
        }
        assertThat(amountRow).isNotNull();
        assertThat(amountRow.get("reason").asString()).startsWith("ordered 100").contains("paid 105");
    }

    /** Refused before anything runs: 422 with what and where, the saved check unchanged, no run started. */
    @Test
    void aCheckThatMayNotRunIsRefusedWithItsReason() throws Exception {
        int runs = recon.get("/api/runs").size();
        String before = recon.get("/api/runs/checks").toString();
        Map<String, String> refusals = Map.of(
                "select pg_read_file('/etc/passwd') as key, 'X' as type", "calls pg_read_file",
                "delete from shop_orders", "only a SELECT",
                "select order_id as key, 'X' as type from shop_orders; select 1", "2 statements",
                "select usename as key, 'X' as type from pg_user", "table pg_user",
                "select order_id as key, 'MISSING' as type from shop_orders where amount > 'lots'", "invalid input syntax",
                "select order_id as key, 'MISSING' as type\nfrom shop_orders where paid_at > 0", "column \"paid_at\" does not exist, at line 2",
                "select order_id from shop_orders", "needs at least 'key'");
        for (Map.Entry<String, String> r : refusals.entrySet()) {
            HttpResponse<String> refused = put("/api/runs/checks/trade", JSON.writeValueAsString(Map.of("sql", r.getKey())));
            assertThat(refused.statusCode()).as(r.getKey() + " -> " + refused.body()).isEqualTo(422);
            assertThat(JSON.readTree(refused.body()).get("message").asString()).as(r.getKey()).contains(r.getValue());
        }
        HttpResponse<String> handler = recon.post("/api/runs", "{}", "handler");
        assertThat(handler.statusCode()).isEqualTo(403);
        assertThat(recon.get("/api/runs").size()).isEqualTo(runs);
        assertThat(recon.get("/api/runs/checks").toString()).isEqualTo(before);
    }

    /** Each row a mismatch; the sources are staged as shop_orders, pay_payments, wms_shipments and courier. */
    private static final String TRADE_CHECK = """
            select o.order_id as key, 'MISSING' as type, 'no payment for ' || o.order_id as detail
            from shop_orders o left join pay_payments p on p.order_id = o.order_id
            where p.order_id is null and o.status <> 'CANCELLED'
            union all
            select o.order_id, 'AMOUNT', 'ordered ' || o.amount || ', paid ' || p.amount
            from shop_orders o join pay_payments p on p.order_id = o.order_id
            where p.status = 'SUCCESS' and abs(o.amount - p.amount) > 0.01
            union all
            select order_id, 'DUPLICATE', count(*) || ' successful payments'
            from pay_payments where status = 'SUCCESS' group by order_id having count(*) > 1
            union all
            select o.order_id, 'STATUS', 'paid but ' || o.status
            from shop_orders o join pay_payments p on p.order_id = o.order_id
            where p.status = 'SUCCESS' and o.status <> 'PAID'
            union all
            select s.order_id, 'UNPAID_SHIPMENT', 'shipped unpaid'
            from wms_shipments s full outer join (select order_id from pay_payments where status = 'SUCCESS') p on p.order_id = s.order_id
            where p.order_id is null
            union all
            select d.order_id, 'ORPHAN_DELIVERY', 'delivered, never shipped'
            from courier d where not exists (select 1 from wms_shipments s where s.order_id = d.order_id)
            """;

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(recon.baseUrl() + path))
                .header("Authorization", ReconInstance.basic("analyst")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode offlineRun(Instant from, Instant to) {
        return run("{\"task\":\"trade\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
    }

    private static JsonNode run(String body) {
        HttpResponse<String> started = recon.post("/api/runs", body, "analyst");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long id = JSON.readTree(started.body()).get("id").asLong();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> !recon.get("/api/runs/" + id).get("status").asString().equals("RUNNING"));
        return recon.get("/api/runs/" + id);
    }
}
