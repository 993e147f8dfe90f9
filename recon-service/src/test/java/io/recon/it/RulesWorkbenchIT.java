package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The analyst's workbench API on a running service: validate a rule set, mock-test a draft or the
 * released version. The running sessions are untouched by either.
 */
class RulesWorkbenchIT {

    private static ReconInstance recon;

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("workbench"));
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    static List<Map<String, String>> sampleFiles() throws IOException {
        Path root = Path.of("../rules-kjar/src/main/resources");
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".drl")).sorted()
                    .map(p -> Map.of("name", root.relativize(p).toString(), "content", read(p))).toList();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) {
        return ReconInstance.JSON.writeValueAsString(value);
    }

    @Test
    void theSampleRulesValidate() throws IOException {
        HttpResponse<String> response = recon.post("/api/rules/validate", json(Map.of("files", sampleFiles())), "analyst");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = ReconInstance.JSON.readTree(response.body());
        assertThat(body.get("ok").asBoolean()).isTrue();
        assertThat(body.get("rules").toString()).contains("recon.trade.Every order is paid within 30 seconds");
        assertThat(body.get("warnings").isArray()).isTrue();
        assertThat(body.get("warnings").size()).isZero();

        // a timer past the trade task's replay horizon (30m) builds, with a warning beside it
        Map<String, String> types = sampleFiles().stream().filter(f -> f.get("name").endsWith("types.drl")).findFirst().orElseThrow();
        String late = "package recon.trade\n\nrule \"late\"\n    timer ( int: 45m )\nwhen\n    $o : Order()\nthen\nend\n";
        JsonNode warned = ReconInstance.JSON.readTree(recon.post("/api/rules/validate",
                json(Map.of("files", List.of(types, Map.of("name", "late.drl", "content", late)))), "analyst").body());
        assertThat(warned.get("ok").asBoolean()).isTrue();
        JsonNode warning = warned.get("warnings").get(0);
        assertThat(warning.get("kind").asString()).isEqualTo("WARNING");
        assertThat(warning.get("line").asInt()).isEqualTo(4);
        assertThat(warning.get("message").asString()).contains("Rule 'late'", "45m", "replays only 30m", "PUT /api/tasks/trade");

        // publishing it is not refused either, and the answer carries the same warning beside the version
        List<Map<String, String>> draft = new java.util.ArrayList<>(sampleFiles());
        draft.add(Map.of("name", "recon/trade/late.drl", "content", late));
        HttpResponse<String> published = recon.post("/api/releases", json(Map.of("version", "1.0.1-warned", "files", draft)), "analyst");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        JsonNode release = ReconInstance.JSON.readTree(published.body());
        assertThat(release.get("version").asString()).isEqualTo("1.0.1-warned");
        assertThat(release.get("kjarSha256").asString()).as("the registry entry, as GET /api/releases/{version} gives it")
                .isEqualTo(recon.get("/api/releases/1.0.1-warned").get("kjarSha256").asString());
        assertThat(release.get("warnings").get(0).get("message").asString()).contains("Rule 'late'", "replays only 30m");
    }

    @Test
    void aBrokenRuleAndASandboxViolationComeBackWithFileLineAndColumn() throws IOException {
        String broken = "package recon.trade\n\nrule \"broken\"\nwhen\n    $o : Order( status == \"X\"\nthen\nend\n";
        String leaky = "package recon.trade\n\nrule \"leaky\"\nwhen\n    $o : Order()\nthen\n    Runtime.getRuntime().exec( \"sh\" );\nend\n";

        JsonNode brokenBody = ReconInstance.JSON.readTree(recon.post("/api/rules/validate",
                json(Map.of("files", List.of(Map.of("name", "broken.drl", "content", broken)))), "analyst").body());
        // The sandbox checks compiled code, so the leaky rule comes with the types it needs to compile.
        Map<String, String> types = sampleFiles().stream().filter(f -> f.get("name").endsWith("types.drl")).findFirst().orElseThrow();
        JsonNode leakyBody = ReconInstance.JSON.readTree(recon.post("/api/rules/validate",
                json(Map.of("files", List.of(types, Map.of("name", "leaky.drl", "content", leaky)))), "analyst").body());

        assertThat(brokenBody.get("ok").asBoolean()).isFalse();
        JsonNode error = brokenBody.get("errors").get(0);
        assertThat(error.get("file").asString()).isEqualTo("broken.drl");
        assertThat(error.get("line").asInt()).isEqualTo(6);
        assertThat(error.get("column").asInt()).isEqualTo(1);
        assertThat(error.get("message").asString()).contains("found 'then'");
        JsonNode refusal = leakyBody.get("errors").get(0);
        assertThat(refusal.get("kind").asString()).isEqualTo("SANDBOX");
        assertThat(refusal.get("line").asInt()).isEqualTo(7);
        assertThat(refusal.get("column").asInt()).isEqualTo(5);
        assertThat(refusal.get("file").asString()).isEqualTo("leaky.drl");
        assertThat(refusal.get("message").asString()).contains("Rule 'leaky'", "Runtime.getRuntime", "rules may not use the JVM's System or Runtime");
        // the service keeps running and answers
        assertThat(recon.get("/actuator/health").get("status").asString()).isEqualTo("UP");
    }

    /** Part of the sandbox corpus through the real API: a mock test of a rule that would set a property is refused and sets none. */
    @Test
    void aRefusedRuleRunsNeitherInValidateNorInAMockTest() throws IOException {
        Map<String, String> types = sampleFiles().stream().filter(f -> f.get("name").endsWith("types.drl")).findFirst().orElseThrow();
        String probe = "package recon.trade\n\nrule \"probe over http\"\nwhen\n    $o : Order()\nthen\n    java.lang.\n        System.setProperty(\"sandbox.http\", \"ran\");\nend\n";
        String scenario = "{ \"name\": \"probe\", \"steps\": [ { \"at\": 0, \"insert\": \"Order\", \"fields\": { \"orderId\": \"O-1\", \"amount\": \"1.00\", \"currency\": \"EUR\", \"status\": \"CREATED\" } } ] }";
        List<Map<String, String>> files = List.of(types, Map.of("name", "probe.drl", "content", probe), Map.of("name", "probe.scenario.json", "content", scenario));

        JsonNode tested = ReconInstance.JSON.readTree(recon.post("/api/rules/test", json(Map.of("files", files)), "analyst").body());

        assertThat(tested.get("ok").asBoolean()).isFalse();
        assertThat(tested.get("errors").get(0).get("kind").asString()).isEqualTo("SANDBOX");
        assertThat(tested.get("errors").get(0).get("line").asInt()).isEqualTo(8);
        assertThat(System.getProperty("sandbox.http")).as("the probe's effect").isNull();
    }

    @Test
    void theReleasedVersionIsMockTestedWithTheServiceBindings() {
        String request = """
                { "version": "1.0.0",
                  "scenario": { "name": "an unpaid order", "steps": [
                    { "at": 0, "insert": "Order", "fields": { "orderId": "O-9", "amount": "10.00", "currency": "EUR", "status": "CREATED" } },
                    { "at": 30, "expect": [ "MISSING O-9" ] } ] } }
                """;

        HttpResponse<String> response = recon.post("/api/rules/test", request, "analyst");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = ReconInstance.JSON.readTree(response.body());
        assertThat(body.get("ok").asBoolean()).as(response.body()).isTrue();
        assertThat(body.get("results").get(0).get("fired").get("Every order is paid within 30 seconds").asLong()).isEqualTo(1);
        assertThat(recon.mismatches()).as("a mock test stores nothing").isEmpty();
    }

    @Test
    void aDraftWithItsScenarioFilesIsMockTested() throws IOException {
        List<Map<String, String>> files = new java.util.ArrayList<>(sampleFiles());
        files.add(Map.of("name", "recon/trade/double.scenario.json", "content", """
                { "name": "a payment recorded twice", "steps": [
                  { "at": 0, "insert": "Order", "fields": { "orderId": "O-5", "amount": "7.00", "currency": "EUR", "status": "PAID" } },
                  { "at": 1, "insert": "Payment", "fields": { "paymentId": "P-5a", "orderId": "O-5", "amount": "7.00", "status": "SUCCESS" } },
                  { "at": 2, "insert": "Payment", "fields": { "paymentId": "P-5b", "orderId": "O-5", "amount": "7.00", "status": "SUCCESS" },
                    "expect": [ "DUPLICATE O-5" ] } ] }
                """));

        JsonNode body = ReconInstance.JSON.readTree(recon.post("/api/rules/test", json(Map.of("files", files)), "analyst").body());

        assertThat(body.get("ok").asBoolean()).as(body.toString()).isTrue();
        assertThat(body.get("results").get(0).get("scenario").asString()).isEqualTo("a payment recorded twice");
        assertThat(body.get("results").get(0).get("steps").get(2).get("detected").get(0).get("rule").asString())
                .isEqualTo("An order is paid only once");
    }

    @Test
    void onlyAnalystsAndReleasersUseTheWorkbench() throws IOException {
        String body = json(Map.of("files", sampleFiles()));

        assertThat(recon.post("/api/rules/validate", body, null).statusCode()).isEqualTo(401);
        assertThat(recon.post("/api/rules/validate", body, "viewer").statusCode()).isEqualTo(403);
        assertThat(recon.post("/api/rules/validate", body, "releaser").statusCode()).isEqualTo(200);
    }
}
