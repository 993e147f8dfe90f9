package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7 §1 on a running service: analyst rules that throw or never stop, run by a mock test, by a version's own
 * scenarios at publish, and by a shadow run, come back as a rule problem (file, rule, line, the cause in words) in a
 * 200 or 4xx body, never as a bare 500; the service goes on answering.
 */
class RuleRunBudgetIT {

    /** A rule that changes what it matches, so it matches again: without the firing cap it would never stop. */
    static final String LOOP_DRL = """
            package recon.trade;

            // touches its order again and again
            rule "Touch every order"
            when
                $o : Order( orderId str[startsWith] "LOOP-" )
            then
                update( $o );
            end
            """;

    /** A rule whose consequence throws (a division by zero) for one order. */
    static final String BOOM_DRL = """
            package recon.trade;

            rule "Divide the order"
            when
                $o : Order( orderId == "BOOM-1" )
            then
                int zero = $o.getOrderId().length() - 6;
                int share = 100 / zero;
            end
            """;

    private static ReconInstance recon;

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("rule-budget"));
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    private static List<Map<String, String>> files(String name, String drl) throws IOException {
        List<Map<String, String>> files = new ArrayList<>(RulesWorkbenchIT.sampleFiles());
        files.add(Map.of("name", name, "content", drl));
        return files;
    }

    private static String json(Object value) {
        return ReconInstance.JSON.writeValueAsString(value);
    }

    private static Map<String, Object> scenario(String order) {
        return Map.of("name", "order " + order, "steps", List.of(
                Map.of("at", 0, "insert", "Order", "fields", Map.of("orderId", order, "amount", "10.00", "currency", "EUR", "status", "CREATED"))));
    }

    @Test
    void anEndlessRuleInAMockTestIsARuleProblemAtItsLine() throws IOException {
        HttpResponse<String> response = recon.post("/api/rules/test", json(Map.of("files", files("recon/trade/loop.drl", LOOP_DRL),
                "scenario", scenario("LOOP-1"))), "analyst");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = ReconInstance.JSON.readTree(response.body());
        assertThat(body.get("ok").asBoolean()).isFalse();
        JsonNode problem = body.get("errors").get(0);
        assertThat(problem.get("kind").asString()).isEqualTo("RUNTIME");
        assertThat(problem.get("rule").asString()).isEqualTo("Touch every order");
        assertThat(problem.get("file").asString()).isEqualTo("recon/trade/loop.drl");
        assertThat(problem.get("line").asInt()).isEqualTo(4);
        assertThat(problem.get("message").asString()).contains("keeps firing", "step 1", "10000 times");
    }

    @Test
    void aThrowingRuleInAMockTestIsARuleProblemWithTheCauseInWords() throws IOException {
        HttpResponse<String> response = recon.post("/api/rules/test", json(Map.of("files", files("recon/trade/boom.drl", BOOM_DRL),
                "scenario", scenario("BOOM-1"))), "analyst");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode problem = ReconInstance.JSON.readTree(response.body()).get("errors").get(0);
        assertThat(problem.get("kind").asString()).as(response.body()).isEqualTo("RUNTIME");
        assertThat(problem.get("rule").asString()).isEqualTo("Divide the order");
        assertThat(problem.get("file").asString()).isEqualTo("recon/trade/boom.drl");
        assertThat(problem.get("line").asInt()).isEqualTo(3);
        assertThat(problem.get("message").asString()).contains("failed", "ArithmeticException", "/ by zero");
        // the service goes on: the next test runs
        assertThat(recon.post("/api/rules/test", json(Map.of("files", RulesWorkbenchIT.sampleFiles(), "scenario", scenario("O-OK"))),
                "analyst").statusCode()).isEqualTo(200);
    }

    @Test
    void aVersionWhoseScenarioMakesARuleThrowIsNotPublishedAndSaysWhichRule() throws IOException {
        List<Map<String, String>> files = files("recon/trade/boom.drl", BOOM_DRL);
        files.add(Map.of("name", "recon/trade/boom.scenario.json", "content", json(scenario("BOOM-1"))));

        HttpResponse<String> response = recon.post("/api/releases", json(Map.of("version", "9.0.1", "files", files)), "analyst");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode body = ReconInstance.JSON.readTree(response.body());
        assertThat(body.get("error").asString()).contains("nothing was published", "Divide the order", "/ by zero");
        assertThat(body.get("errors").get(0).get("rule").asString()).isEqualTo("Divide the order");
        assertThat(body.get("errors").get(0).get("file").asString()).isEqualTo("recon/trade/boom.drl");
        assertThat(recon.getAs("/api/releases/9.0.1", "viewer").statusCode()).isEqualTo(404);
    }

    @Test
    void aShadowRunOfAnEndlessCandidateStopsWithTheRuleProblem() throws IOException {
        HttpResponse<String> published = recon.post("/api/releases", json(Map.of("version", "9.0.2", "files",
                files("recon/trade/loop.drl", LOOP_DRL))), "analyst");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        try (DemoScript script = recon.script()) {
            script.order("LOOP-SHADOW-1", "10.00", Instant.now());
        }
        // once the order is on the facts topic, the candidate's rule loops on it in the shadow run
        HttpResponse<String>[] shadow = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            shadow[0] = recon.getAs("/api/releases/9.0.2/shadow", "releaser");
            return shadow[0].statusCode() != 200;
        });
        assertThat(shadow[0].statusCode()).as(shadow[0].body()).isEqualTo(422);
        JsonNode body = ReconInstance.JSON.readTree(shadow[0].body());
        assertThat(body.get("error").asString()).contains("shadow run of rules 9.0.2 stopped", "Touch every order", "keeps firing");
        JsonNode problem = body.get("errors").get(0);
        assertThat(problem.get("rule").asString()).isEqualTo("Touch every order");
        assertThat(problem.get("file").asString()).endsWith("loop.drl");
        assertThat(problem.get("line").asInt()).isEqualTo(4);
        // the active version's shadow of itself still runs
        assertThat(recon.getAs("/api/releases/1.0.0/shadow", "releaser").statusCode()).isEqualTo(200);
    }
}
