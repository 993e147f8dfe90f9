package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.release.ReleaseRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import tools.jackson.databind.JsonNode;

/**
 * Rule releases on a running service: publish a draft, refuse what may not run, hot-deploy a version
 * that changes one rule and adds another while facts stream in, and roll back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotDeployIT {

    private static ReconInstance recon;
    private static java.nio.file.Path workDir;

    @BeforeAll
    static void start() {
        workDir = ReconTestSupport.newWorkDir("hotdeploy");
        recon = ReconInstance.start(workDir);
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    static final String LARGE_ORDER_RULE = """

            // Added in 1.1.0: large orders get a second look.
            rule "An order above 1000 is reviewed"
            when
                $order : Order( amount > 1000, $orderId : orderId, $amount : amount )
            then
                insertLogical( Mismatch.of( "LARGE", Severity.P4, $orderId, "Order " + $orderId + " is for " + $amount + ", above 1000.00; review it.", $order ) );
            end
            """;

    /** 1.1.0: the amount check allows 1.00 instead of 0.01, and large orders are reviewed. */
    static List<Map<String, String>> version110() throws IOException {
        List<Map<String, String>> files = new ArrayList<>();
        for (Map<String, String> file : RulesWorkbenchIT.sampleFiles()) {
            String content = file.get("content");
            if (file.get("name").endsWith("payments.drl")) {
                assertThat(content).contains("Tolerance.differsBy( amount, $paid, 0.01 )", "(tolerance 0.01).");
                content = content.replace("Tolerance.differsBy( amount, $paid, 0.01 )", "Tolerance.differsBy( amount, $paid, 1.00 )")
                        .replace("(tolerance 0.01).", "(tolerance 1.00).") + LARGE_ORDER_RULE;
            }
            files.add(Map.of("name", file.get("name"), "content", content));
        }
        files.add(Map.of("name", "recon/trade/large.scenario.json", "content", """
                { "name": "a large order is reviewed at once", "steps": [
                  { "at": 0, "insert": "Order", "fields": { "orderId": "BIG", "amount": "1500.00", "currency": "EUR", "status": "PAID" },
                    "expect": [ "LARGE BIG" ] } ] }
                """));
        return files;
    }

    private static String json(Object value) {
        return ReconInstance.JSON.writeValueAsString(value);
    }

    private static JsonNode body(HttpResponse<String> response) {
        return ReconInstance.JSON.readTree(response.body());
    }

    private static String activeVersion() {
        for (JsonNode release : recon.get("/api/releases")) {
            if (release.get("status").asString().equals("ACTIVE")) {
                return release.get("version").asString();
            }
        }
        return null;
    }

    private static List<String> sessionVersions() {
        List<String> versions = new ArrayList<>();
        recon.get("/actuator/recon").get("sessions").forEach(s -> versions.add(s.get("rulesVersion").asString()));
        return versions;
    }

    private static long liveFacts(String type) {
        long total = 0;
        for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
            JsonNode count = session.get("liveFactsByType").get(type);
            total += count == null ? 0 : count.asLong();
        }
        return total;
    }

    @Test
    @Order(1)
    void theRepositoryVersionIsRegisteredAndActive() {
        JsonNode releases = recon.get("/api/releases");

        assertThat(releases).hasSize(1);
        assertThat(releases.get(0).get("version").asString()).isEqualTo("1.0.0");
        assertThat(releases.get(0).get("status").asString()).isEqualTo("ACTIVE");
        assertThat(releases.get(0).get("origin").asString()).isEqualTo("REPOSITORY");
        assertThat(releases.get(0).get("diff").get("added")).hasSize(6);
    }

    @Test
    @Order(2)
    void drafts_thatDoNotBuild_breakTheSandbox_orFailTheirScenarios_areNotPublished() throws IOException {
        List<Map<String, String>> broken = new ArrayList<>(RulesWorkbenchIT.sampleFiles());
        broken.add(Map.of("name", "recon/trade/broken.drl", "content", "package recon.trade\nrule \"x\"\nwhen\n  Order( \nthen\nend\n"));
        List<Map<String, String>> leaky = new ArrayList<>(RulesWorkbenchIT.sampleFiles());
        leaky.add(Map.of("name", "recon/trade/leaky.drl", "content",
                "package recon.trade\nrule \"x\"\nwhen\n  $o : Order()\nthen\n  new java.net.Socket( \"evil\", 80 );\nend\n"));
        List<Map<String, String>> failing = new ArrayList<>(RulesWorkbenchIT.sampleFiles());
        failing.add(Map.of("name", "recon/trade/wrong.scenario.json", "content",
                "{ \"name\": \"wrong\", \"steps\": [ { \"at\": 0, \"insert\": \"Order\", \"fields\": { \"orderId\": \"W\", \"amount\": \"1\","
                        + " \"status\": \"PAID\" }, \"expect\": [ \"MISSING W\" ] } ] }"));

        HttpResponse<String> notBuilt = recon.post("/api/releases", json(Map.of("version", "2.0.0", "files", broken)), "analyst");
        HttpResponse<String> refused = recon.post("/api/releases", json(Map.of("version", "2.0.1", "files", leaky)), "analyst");
        HttpResponse<String> failed = recon.post("/api/releases", json(Map.of("version", "2.0.2", "files", failing)), "analyst");

        assertThat(notBuilt.statusCode()).isEqualTo(422);
        assertThat(body(notBuilt).get("errors").get(0).get("file").asString()).isEqualTo("recon/trade/broken.drl");
        assertThat(body(notBuilt).get("errors").get(0).get("line").asInt()).isEqualTo(6); // the parser stumbles on 'end'
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(body(refused).get("errors").get(0).get("kind").asString()).isEqualTo("SANDBOX");
        assertThat(body(refused).get("errors").get(0).get("message").asString()).contains("java.net.Socket");
        assertThat(failed.statusCode()).isEqualTo(422);
        assertThat(body(failed).get("error").asString()).contains("Scenario 'wrong'", "not reported: [MISSING W]");
        assertThat(recon.get("/api/releases")).hasSize(1);
    }

    @Test
    @Order(3)
    void versionsThatSlippedIntoTheRegistryButMayNotRunAreRefusedAtActivation() throws IOException {
        ReleaseRegistry registry = recon.bean(ReleaseRegistry.class);
        String types = RulesWorkbenchIT.sampleFiles().stream().filter(f -> f.get("name").endsWith("types.drl")).findFirst().orElseThrow().get("content");
        registry.register("6.6.6", List.of("trade"), "someone", "calls System.exit", "RELEASED", "PUBLISHED",
                kjar("6.6.6", Map.of("recon/trade/types.drl", types, "recon/trade/exit.drl",
                        "package recon.trade\nrule \"bye\"\nwhen\n  Order()\nthen\n  System.exit( 1 );\nend\n")), true);
        registry.register("6.6.7", List.of("trade"), "someone", "fails its scenario", "RELEASED", "PUBLISHED",
                kjar("6.6.7", Map.of("recon/trade/types.drl", types, "recon/trade/wrong.scenario.json",
                        "{ \"name\": \"expects too much\", \"steps\": [ { \"at\": 0, \"expect\": [ \"MISSING X\" ] } ] }")), true);
        registry.register("6.6.8", List.of("trade"), "someone", "does not compile", "RELEASED", "PUBLISHED", uncompiledKjar("6.6.8",
                "package recon.trade\nrule \"broken\"\nwhen\n  Order( \nthen\nend\n"), true);

        String withoutDelivery = types.replaceAll("(?s)declare Delivery.*?\nend\n", "");
        assertThat(withoutDelivery).doesNotContain("declare Delivery").contains("declare Shipment");
        registry.register("6.6.9", List.of("trade"), "someone", "drops a bound type", "RELEASED", "PUBLISHED",
                kjar("6.6.9", Map.of("recon/trade/types.drl", withoutDelivery)), true);
        HttpResponse<String> removed = recon.post("/api/releases/6.6.9/activate", "", "releaser");
        assertThat(removed.statusCode()).isEqualTo(409);
        assertThat(body(removed).get("error").asString()).contains("no longer declare fact type recon.trade.Delivery", "[courier]", "still 1.0.0");

        HttpResponse<String> sandbox = recon.post("/api/releases/6.6.6/activate", "", "releaser");
        HttpResponse<String> scenario = recon.post("/api/releases/6.6.7/activate", "", "releaser");
        HttpResponse<String> broken = recon.post("/api/releases/6.6.8/activate", "", "releaser");
        HttpResponse<String> analyst = recon.post("/api/releases/6.6.6/activate", "", "analyst");

        assertThat(sandbox.statusCode()).isEqualTo(409);
        assertThat(body(sandbox).get("error").asString()).contains("are refused by the sandbox check", "Rule 'bye'", "System.exit", "still 1.0.0");
        assertThat(body(sandbox).get("errors").get(0).get("line").asInt()).isEqualTo(6);
        assertThat(scenario.statusCode()).isEqualTo(409);
        assertThat(body(scenario).get("error").asString()).contains("fail their own scenarios", "expects too much");
        assertThat(broken.statusCode()).isEqualTo(409);
        assertThat(body(broken).get("error").asString()).contains("do not compile");
        assertThat(analyst.statusCode()).isEqualTo(403);
        assertThat(recon.post("/api/releases/1.0.0/retire", "", "releaser").statusCode()).as("the active version").isEqualTo(409);
        assertThat(recon.post("/api/releases/6.6.6/retire", "", "analyst").statusCode()).isEqualTo(403);
        HttpResponse<String> retired = recon.post("/api/releases/6.6.6/retire", "", "releaser");
        assertThat(body(retired).get("status").asString()).isEqualTo("RETIRED");
        HttpResponse<String> again = recon.post("/api/releases/6.6.6/activate", "", "releaser");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(body(again).get("error").asString()).contains("retired");
        assertThat(activeVersion()).isEqualTo("1.0.0");
        assertThat(sessionVersions()).containsOnly("1.0.0");
        assertThat(recon.get("/api/releases/activations")).extracting(a -> a.get("outcome").asString()).containsOnly("REFUSED");
    }

    @Test
    @Order(4)
    void aVersionIsHotDeployedUnderLoadAndRolledBack() throws Exception {
        HttpResponse<String> published = recon.post("/api/releases", json(Map.of("version", "1.1.0", "notes", "amount tolerance 1.00;"
                + " review large orders", "files", version110())), "analyst");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        JsonNode draft = body(published);
        assertThat(draft.get("status").asString()).isEqualTo("DRAFT");
        assertThat(draft.get("author").asString()).isEqualTo("analyst");
        assertThat(draft.get("diff").get("added").toString()).contains("An order above 1000 is reviewed");
        assertThat(draft.get("diff").get("changed").toString()).contains("A payment is for the amount of its order");
        assertThat(draft.get("diff").get("removed")).isEmpty();

        Instant t0 = Instant.now();
        AtomicBoolean streaming = new AtomicBoolean(true);
        AtomicInteger streamed = new AtomicInteger();
        Thread load;
        try (DemoScript script = recon.script()) {
            // Before activation, under 1.0.0.
            script.order("AMT-OLD", "100.00", t0);                                  // 0.50 off: an AMOUNT mismatch under 1.0.0
            script.payment("P-AMT-OLD", "AMT-OLD", "100.50", "SUCCESS", t0.plusMillis(100));
            script.markOrder("AMT-OLD", "PAID");
            script.order("DUP-1", "50.00", t0);                                     // paid twice: DUPLICATE, a rule 1.1.0 keeps
            script.payment("P-DUP-1a", "DUP-1", "50.00", "SUCCESS", t0.plusMillis(100));
            script.payment("P-DUP-1b", "DUP-1", "50.00", "SUCCESS", t0.plusMillis(200));
            script.markOrder("DUP-1", "PAID");
            script.happyFlow("LARGE-1", "5000.00", t0);                             // fine under 1.0.0, LARGE under 1.1.0
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recon.mismatches())
                    .containsExactlyInAnyOrder("AMT-OLD AMOUNT OPEN", "DUP-1 DUPLICATE OPEN"));

            // Shadow run: what 1.1.0 would report differently over the recent facts, without storing anything.
            JsonNode shadow = recon.get("/api/releases/1.1.0/shadow");
            assertThat(shadow.get("active").asString()).isEqualTo("1.0.0");
            assertThat(shadow.get("records").asLong()).isPositive();
            assertThat(findings(shadow.get("added"))).containsExactly("LARGE LARGE-1");
            assertThat(findings(shadow.get("removed"))).containsExactly("AMOUNT AMT-OLD");
            assertThat(recon.mismatches()).containsExactlyInAnyOrder("AMT-OLD AMOUNT OPEN", "DUP-1 DUPLICATE OPEN");

            load = new Thread(() -> {
                try (DemoScript stream = recon.script()) {
                    while (streaming.get()) {
                        int i = streamed.incrementAndGet();
                        stream.happyFlow("LOAD-" + i, "10.00", Instant.now());
                    }
                }
            }, "load");
            load.start();
            Thread.sleep(1500);

            HttpResponse<String> activated = recon.post("/api/releases/1.1.0/activate", "", "releaser");
            assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
            assertThat(body(activated).get("active").asString()).isEqualTo("1.1.0");
            assertThat(body(activated).get("sessions").asInt()).isEqualTo(2);
            Thread.sleep(1500);
            streaming.set(false);
            load.join();

            // The changed rule applies from activation on: 0.50 off is now within tolerance.
            Instant t1 = Instant.now();
            script.order("AMT-NEW", "100.00", t1);
            script.payment("P-AMT-NEW", "AMT-NEW", "100.50", "SUCCESS", t1.plusMillis(100));
            script.markOrder("AMT-NEW", "PAID");
            script.order("AMT-BIG", "100.00", t1);                                  // 2.00 off: still a mismatch, in 1.1.0's words
            script.payment("P-AMT-BIG", "AMT-BIG", "102.00", "SUCCESS", t1.plusMillis(100));
            script.markOrder("AMT-BIG", "PAID");

            // No fact lost: every order and payment streamed during the activation is in a session.
            long orders = 3 + streamed.get() + 2;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(liveFacts("Order")).isEqualTo(orders);
                assertThat(liveFacts("Payment")).isEqualTo(orders + 1);
                assertThat(recon.mismatches()).contains("AMT-BIG AMOUNT OPEN", "LARGE-1 LARGE OPEN");
            });
            assertThat(streamed.get()).as("orders streamed while activating").isGreaterThan(3);
            assertThat(recon.mismatches()).noneMatch(m -> m.startsWith("LOAD-") || m.startsWith("AMT-NEW"));
            assertThat(recon.mismatch("AMT-BIG", "AMOUNT").get("mismatch").get("reason").asString()).contains("tolerance 1.00");
            assertThat(recon.mismatch("AMT-BIG", "AMOUNT").get("mismatch").get("rulesVersion").asString()).isEqualTo("1.1.0");
            // The new rule saw a fact from before the activation; the unchanged rule's finding is not reported again.
            assertThat(recon.mismatch("LARGE-1", "LARGE").get("mismatch").get("rulesVersion").asString()).isEqualTo("1.1.0");
            assertThat(recon.mismatch("DUP-1", "DUPLICATE").get("mismatch").get("rulesVersion").asString()).isEqualTo("1.0.0");
            assertThat(recon.mismatch("DUP-1", "DUPLICATE").get("history")).hasSize(1);
            assertThat(sessionVersions()).containsOnly("1.1.0");
            assertThat(activeVersion()).isEqualTo("1.1.0");

            // Rollback: 1.0.0 again, with its 0.01 tolerance and without the large-order review.
            HttpResponse<String> rolledBack = recon.post("/api/releases/1.1.0/rollback", "", "releaser");
            assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
            assertThat(body(rolledBack).get("active").asString()).isEqualTo("1.0.0");
            Instant t2 = Instant.now();
            script.order("AMT-BACK", "100.00", t2);
            script.payment("P-AMT-BACK", "AMT-BACK", "100.50", "SUCCESS", t2.plusMillis(100));
            script.markOrder("AMT-BACK", "PAID");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recon.mismatches())
                    .contains("AMT-BACK AMOUNT OPEN", "LARGE-1 LARGE AUTO_RESOLVED"));
            assertThat(recon.mismatch("AMT-BACK", "AMOUNT").get("mismatch").get("rulesVersion").asString()).isEqualTo("1.0.0");
            assertThat(liveFacts("Order")).isEqualTo(orders + 1);
        }

        JsonNode activations = recon.get("/api/releases/activations");
        assertThat(activations.get(0).get("fromVersion").asString()).isEqualTo("1.1.0");
        assertThat(activations.get(0).get("toVersion").asString()).isEqualTo("1.0.0");
        assertThat(activations.get(1).get("fromVersion").asString()).isEqualTo("1.0.0");
        assertThat(activations.get(1).get("toVersion").asString()).isEqualTo("1.1.0");
        assertThat(activations.get(1).get("requestedBy").asString()).isEqualTo("releaser");
        assertThat(activations.get(1).get("outcome").asString()).isEqualTo("ACTIVATED");
        assertThat(activeVersion()).isEqualTo("1.0.0");
    }

    @Test
    @Order(5)
    void aVersionIsPromotedToAnotherRegistryByExportAndImport() {
        JsonNode export = recon.get("/api/releases/1.1.0/export");
        String sha = export.get("release").get("kjarSha256").asString();
        // Stand-in for a second Recon: this registry forgets 1.1.0, as one that never had it.
        recon.bean(org.springframework.jdbc.core.JdbcTemplate.class).update("delete from rule_release where version = '1.1.0'");

        HttpResponse<String> damaged = recon.post("/api/releases/import", export.toString().replace(sha, "0".repeat(64)), "releaser");
        HttpResponse<String> byAnalyst = recon.post("/api/releases/import", export.toString(), "analyst");
        HttpResponse<String> imported = recon.post("/api/releases/import", export.toString(), "releaser");
        HttpResponse<String> again = recon.post("/api/releases/import", export.toString(), "releaser");

        assertThat(damaged.statusCode()).isEqualTo(422);
        assertThat(body(damaged).get("error").asString()).contains("does not match its SHA-256");
        assertThat(byAnalyst.statusCode()).isEqualTo(403);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        assertThat(body(imported).get("origin").asString()).isEqualTo("IMPORTED");
        assertThat(body(imported).get("author").asString()).isEqualTo("analyst");
        assertThat(body(imported).get("notes").asString()).contains("review large orders", "imported by releaser");
        assertThat(body(imported).get("diff").get("added").toString()).contains("An order above 1000 is reviewed");
        assertThat(again.statusCode()).isEqualTo(200);
        HttpResponse<String> activated = recon.post("/api/releases/1.1.0/activate", "", "releaser");
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(sessionVersions()).containsOnly("1.1.0");

        // The activation outlives a restart: the sessions come back on 1.1.0, with their facts.
        long orders = liveFacts("Order");
        recon.close();
        recon = ReconInstance.start(workDir);
        assertThat(activeVersion()).isEqualTo("1.1.0");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sessionVersions()).containsOnly("1.1.0");
            assertThat(liveFacts("Order")).isEqualTo(orders);
        });
    }

    @Test
    @Order(6)
    void aCanaryRunsOnOnePartition_isCompared_outlivesARestart_andIsRolledBackOrOut() throws Exception {
        assertThat(activeVersion()).isEqualTo("1.1.0");
        String canary = json(Map.of("task", "trade", "partitions", List.of(0)));
        assertThat(recon.post("/api/releases/1.0.0/canary", canary, "analyst").statusCode()).isEqualTo(403);
        HttpResponse<String> everywhere = recon.post("/api/releases/1.0.0/canary", json(Map.of("task", "trade", "partitions", List.of(0, 1))),
                "releaser");
        assertThat(everywhere.statusCode()).isEqualTo(409);
        assertThat(body(everywhere).get("error").asString()).contains("some partitions of task group 'trade' [0, 1], not on all of them", "activate them");
        HttpResponse<String> unknown = recon.post("/api/releases/1.0.0/canary", json(Map.of("task", "trade", "partitions", List.of(7))), "releaser");
        assertThat(body(unknown).get("error").asString()).contains("has partitions [0, 1]", "not [7]");
        HttpResponse<String> noTask = recon.post("/api/releases/1.0.0/canary", json(Map.of("task", "refunds", "partitions", List.of(0))), "releaser");
        assertThat(body(noTask).get("error").asString()).contains("no task group 'refunds'");
        assertThat(recon.post("/api/releases/9.9.9/canary", canary, "releaser").statusCode()).isEqualTo(404);
        assertThat(recon.getAs("/api/releases/canary", "viewer").statusCode()).isEqualTo(404);

        // 1.0.0 on partition 0 only: its 0.01 amount tolerance there, 1.1.0's large-order review on partition 1
        HttpResponse<String> started = recon.post("/api/releases/1.0.0/canary", canary, "releaser");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        assertThat(body(started).get("candidate").get("partitions").toString()).isEqualTo("[0]");
        assertThat(recon.post("/api/releases/1.1.0/canary", json(Map.of("task", "trade", "partitions", List.of(1))), "releaser").statusCode())
                .as("one canary at a time").isEqualTo(409);
        assertThat(sessionVersionByPartition()).isEqualTo(Map.of(0, "1.0.0", 1, "1.1.0"));
        String amount0 = keyOn(0, "CAN-AMT-");
        String amount1 = keyOn(1, "CAN-AMT-");
        String large0 = keyOn(0, "CAN-BIG-");
        String large1 = keyOn(1, "CAN-BIG-");
        Instant t = Instant.now();
        try (DemoScript script = recon.script()) {
            for (String key : List.of(amount0, amount1)) {
                script.order(key, "100.00", t);
                script.payment("P-" + key, key, "100.50", "SUCCESS", t.plusMillis(100));
                script.markOrder(key, "PAID");
            }
            script.happyFlow(large0, "5000.00", t);
            script.happyFlow(large1, "5000.00", t);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recon.mismatches())
                .contains(amount0 + " AMOUNT OPEN", large1 + " LARGE OPEN"));
        assertThat(recon.mismatches()).noneMatch(m -> m.startsWith(amount1 + " ") || m.startsWith(large0 + " "));
        assertThat(recon.mismatch(amount0, "AMOUNT").get("mismatch").get("rulesVersion").asString()).isEqualTo("1.0.0");
        JsonNode report = await().atMost(Duration.ofSeconds(10)).until(() -> recon.get("/api/releases/canary"),
                r -> r.get("partitions").get(0).get("opened").asLong() >= 1 && r.get("partitions").get(1).get("opened").asLong() >= 1);
        assertThat(report.get("version").asString()).isEqualTo("1.0.0");
        assertThat(report.get("active").asString()).isEqualTo("1.1.0");
        assertThat(report.get("startedBy").asString()).isEqualTo("releaser");
        assertThat(report.get("baseline").get("version").asString()).isEqualTo("1.1.0");
        assertThat(report.get("partitions").get(0).get("rulesVersion").asString()).isEqualTo("1.0.0");
        assertThat(report.get("partitions").get(0).get("recordsRead").asLong()).isPositive();
        assertThat(report.get("partitions").get(1).get("recordsRead").asLong()).isPositive();
        assertThat(report.get("candidate").get("openedPerThousand").asDouble()).isPositive();

        // Rolled back: partition 0 returns to 1.1.0, whose tolerance heals the amount finding and whose review finds the large order.
        assertThat(recon.delete("/api/releases/canary", "analyst").statusCode()).isEqualTo(403);
        HttpResponse<String> ended = recon.delete("/api/releases/canary", "releaser");
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        assertThat(sessionVersionByPartition()).isEqualTo(Map.of(0, "1.1.0", 1, "1.1.0"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recon.mismatches())
                .contains(amount0 + " AMOUNT AUTO_RESOLVED", large0 + " LARGE OPEN"));
        assertThat(recon.getAs("/api/releases/canary", "viewer").statusCode()).isEqualTo(404);

        // Rolled out: a canary on partition 1, which outlives a restart, then the version activated; the canary's
        // session is not moved again.
        assertThat(recon.post("/api/releases/1.0.0/canary", json(Map.of("task", "trade", "partitions", List.of(1))), "releaser").statusCode())
                .isEqualTo(201);
        recon.close();
        recon = ReconInstance.start(workDir);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(sessionVersionByPartition()).isEqualTo(Map.of(0, "1.1.0", 1, "1.0.0")));
        HttpResponse<String> rolledOut = recon.post("/api/releases/1.0.0/activate", "", "releaser");
        assertThat(rolledOut.statusCode()).as(rolledOut.body()).isEqualTo(200);
        assertThat(body(rolledOut).get("sessions").asInt()).isEqualTo(1);
        assertThat(sessionVersionByPartition()).isEqualTo(Map.of(0, "1.0.0", 1, "1.0.0"));
        assertThat(recon.getAs("/api/releases/canary", "viewer").statusCode()).isEqualTo(404);
        assertThat(recon.get("/api/releases/activations")).extracting(a -> a.get("outcome").asString())
                .startsWith("ACTIVATED", "CANARY", "CANARY_ENDED", "REFUSED", "CANARY");
    }

    private static Map<Integer, String> sessionVersionByPartition() {
        Map<Integer, String> versions = new java.util.TreeMap<>();
        recon.get("/actuator/recon").get("sessions").forEach(s -> versions.put(s.get("partition").asInt(), s.get("rulesVersion").asString()));
        return versions;
    }

    /** A correlation key the facts router sends to a given partition of the two-partition trade topic (Kafka's default partitioner). */
    private static String keyOn(int partition, String prefix) {
        for (int i = 0; ; i++) {
            String key = prefix + i;
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            if (org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(bytes)) % 2 == partition) {
                return key;
            }
        }
    }

    private static List<String> findings(JsonNode list) {
        List<String> found = new ArrayList<>();
        list.forEach(f -> found.add(f.get("type").asString() + " " + f.get("key").asString()));
        return found;
    }

    /** A kjar of sources straight from files, bypassing the service's publish checks (the service builds it when it loads it). */
    private static byte[] kjar(String version, Map<String, String> files) {
        KieServices ks = KieServices.get();
        return io.recon.authoring.KjarSources.write(ks.newReleaseId("io.recon", "rules-kjar", version), "<kmodule xmlns=\"http://www.drools.org/xsd/kmodule\">"
                + "<kbase name=\"trade\" eventProcessingMode=\"stream\" default=\"true\"/></kmodule>",
                files.entrySet().stream().map(e -> new io.recon.authoring.RuleFile(e.getKey(), e.getValue())).toList());
    }

    /** A jar with a kjar's layout whose DRL does not compile (as a hand-made upload might be). */
    private static byte[] uncompiledKjar(String version, String drl) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "META-INF/kmodule.xml", "<kmodule xmlns=\"http://www.drools.org/xsd/kmodule\"><kbase name=\"trade\""
                    + " eventProcessingMode=\"stream\" default=\"true\"/></kmodule>");
            put(zip, "META-INF/maven/io.recon/rules-kjar/pom.properties", "groupId=io.recon\nartifactId=rules-kjar\nversion=" + version + "\n");
            put(zip, "META-INF/maven/io.recon/rules-kjar/pom.xml", "<project><modelVersion>4.0.0</modelVersion><groupId>io.recon</groupId>"
                    + "<artifactId>rules-kjar</artifactId><version>" + version + "</version></project>");
            put(zip, "recon/trade/broken.drl", drl);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
