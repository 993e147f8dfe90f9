package io.recon.authoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recon.fact.FactSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;

/** The mock-test tool on the sample kjar: records and clock steps in, what fired and what is open out. */
class MockTestTest {

    private static KieContainer container;
    private static KieBase trade;
    private static final Map<String, FactSpec> BINDINGS = Map.of(
            "recon.trade.Order", new FactSpec("recon.trade.Order", "orderId", "orderId", "createdAt"),
            "recon.trade.Payment", new FactSpec("recon.trade.Payment", "orderId", "paymentId", "paidAt"));

    @BeforeAll
    static void build() throws Exception {
        container = new RuleCompiler().build(RuleCompilerTest.sampleKjar(), Set.of("trade"), null, false).container();
        trade = container.getKieBase("trade");
    }

    @AfterAll
    static void dispose() {
        container.dispose();
    }

    static Scenario scenario(String json) {
        return RulesController.JSON.readValue(json, Scenario.class);
    }

    static final String LATE_PAYMENT = """
            { "name": "A payment 45 s after the order is missing at 30 s and heals at 45 s",
              "steps": [
                { "at": 0,  "insert": "Order", "fields": { "orderId": "O-1", "amount": "100.00", "currency": "EUR", "status": "CREATED" } },
                { "at": 29, "expect": [] },
                { "at": 30, "expect": [ "MISSING O-1" ] },
                { "at": "45s", "insert": "Payment",
                  "fields": { "paymentId": "P-1", "orderId": "O-1", "amount": "100.00", "currency": "EUR", "status": "SUCCESS" } },
                { "expect": [] },
                { "at": 55, "expect": [ "STATUS O-1" ] },
                { "at": 56, "update": "Order", "fields": { "orderId": "O-1", "amount": "100.00", "currency": "EUR", "status": "PAID", "createdAt": 1767225600000 },
                  "expect": [] }
              ] }
            """;

    @Test
    void aLatePaymentIsMissingAtThirtySecondsAndHealsWhenItArrives() {
        MockTest.Result result = new MockTest().run(trade, scenario(LATE_PAYMENT), BINDINGS);

        assertThat(result.failures()).isEmpty();
        assertThat(result.passed()).isTrue();
        MockTest.StepResult atThirty = result.steps().get(2);
        assertThat(atThirty.detected()).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo("MISSING");
            assertThat(c.rule()).isEqualTo("Every order is paid within 30 seconds");
            assertThat(c.reason()).startsWith("Order O-1 (EUR 100.00, status CREATED) has no payment 30 seconds after it was placed");
        });
        assertThat(atThirty.fired()).containsEntry("Every order is paid within 30 seconds", 1L);
        MockTest.StepResult payment = result.steps().get(3);
        assertThat(payment.did()).isEqualTo("insert Payment P-1");
        assertThat(payment.healed()).extracting(MockTest.Change::type).containsExactly("MISSING");
        assertThat(result.steps().get(5).detected()).extracting(MockTest.Change::type).containsExactly("STATUS"); // 10 s after the payment
        assertThat(result.open()).isEmpty();
        assertThat(result.fired()).containsKeys("Every order is paid within 30 seconds", "An order is marked PAID within 10 seconds of its payment");
    }

    @Test
    void theKjarsScenarioFilesPassOnTheServicesSessions() throws java.io.IOException {
        java.nio.file.Path folder = java.nio.file.Path.of("../rules-kjar/src/main/resources/recon/trade/scenarios");
        List<RuleFile> files;
        try (var list = java.nio.file.Files.list(folder)) {
            files = list.filter(p -> p.toString().endsWith(".scenario.json")).sorted()
                    .map(p -> new RuleFile(p.getFileName().toString(), read(p))).toList();
        }
        assertThat(files).isNotEmpty();

        for (Scenario scenario : RulesController.scenarios(files)) {
            assertThat(new MockTest().run(trade, scenario, BINDINGS).failures()).as(scenario.name()).isEmpty();
        }
    }

    private static String read(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWrongExpectationFailsWithASentenceThatSaysWhatDiffers() {
        Scenario wrong = scenario("""
                { "steps": [
                    { "at": 0, "insert": "Order", "fields": { "orderId": "O-2", "amount": "5.00", "currency": "EUR", "status": "CREATED" } },
                    { "at": 20, "expect": [ "MISSING O-2" ] } ] }
                """);

        MockTest.Result result = new MockTest().run(trade, wrong, BINDINGS);

        assertThat(result.passed()).isFalse();
        assertThat(result.failures()).containsExactly(
                "Step 2 (at 20s): expected open mismatches [MISSING O-2] but found []; not reported: [MISSING O-2].");
    }

    @Test
    void aTypeTheRulesDoNotDeclareIsRefusedByName() {
        Scenario unknown = scenario("""
                { "steps": [ { "at": 0, "insert": "Refund", "fields": { "orderId": "O-1" } } ] }
                """);

        assertThatThrownBy(() -> new MockTest().run(trade, unknown, BINDINGS))
                .hasMessage("Step 1: the rules declare no fact type Refund.");
    }

    @Test
    void aTypeWithoutBindingAsksForOne() {
        Scenario unbound = scenario("""
                { "steps": [ { "at": 0, "insert": "Shipment", "fields": { "orderId": "O-1", "shipmentId": "S-1" } } ] }
                """);

        assertThatThrownBy(() -> new MockTest().run(trade, unbound, BINDINGS))
                .hasMessageContaining("no source binding says how Shipment records are identified")
                .hasMessageContaining("\"types\": { \"Shipment\"");
        Scenario bound = scenario("""
                { "types": { "Shipment": { "key": "orderId", "id": "shipmentId", "time": "shippedAt" } },
                  "steps": [ { "at": 0, "insert": "Shipment", "fields": { "orderId": "O-1", "shipmentId": "S-1", "carrier": "DHL" } },
                             { "at": 10, "expect": [ "UNPAID_SHIPMENT O-1" ] } ] }
                """);
        assertThat(new MockTest().run(trade, bound, BINDINGS).failures()).isEmpty();
    }

    @Test
    void anAnalystsWasOnceRuleRunsInTheSandboxAndFindsAStatusRegression() {
        RuleFile regressions = new RuleFile("recon/trade/regressions.drl", """
                package recon.trade
                import io.recon.rules.Mismatch
                import io.recon.rules.Remember
                import io.recon.rules.Severity
                import io.recon.rules.WasOnce

                declare Payment
                    @role( event ) @timestamp( paidAt ) @expires( 10m )
                    paymentId : String
                    orderId : String
                    status : String @Remember
                    paidAt : long
                end

                rule "A successful payment never turns failed"
                when
                    $p : Payment( status == "FAILED", $id : paymentId, $orderId : orderId )
                    WasOnce( type == "Payment", id == $id, field == "status", value == "SUCCESS" )
                then
                    insertLogical( Mismatch.of( "STATUS_REGRESSION", Severity.P1, $orderId, "Payment " + $id + " is FAILED after SUCCESS", $p ) );
                end
                """);
        RuleCompiler.Build build = new RuleCompiler().build(List.of(regressions), Set.of("trade"), null, false);
        try {
            assertThat(build.problems()).isEmpty();
            Scenario regression = scenario("""
                    { "types": { "Payment": { "key": "orderId", "id": "paymentId", "time": "paidAt" } },
                      "steps": [
                        { "at": 0, "insert": "Payment", "fields": { "paymentId": "P-1", "orderId": "O-1", "status": "SUCCESS" } },
                        { "at": 1, "insert": "Payment", "fields": { "paymentId": "P-2", "orderId": "O-2", "status": "FAILED" } },
                        { "at": 2, "update": "Payment", "fields": { "paymentId": "P-2", "orderId": "O-2", "status": "SUCCESS", "paidAt": 1767225601000 } },
                        { "at": 3, "update": "Payment", "fields": { "paymentId": "P-1", "orderId": "O-1", "status": "FAILED", "paidAt": 1767225600000 },
                          "expect": [ "STATUS_REGRESSION O-1" ] } ] }
                    """);
            assertThat(new MockTest().run(build.container().getKieBase("trade"), regression, Map.of()).failures()).isEmpty();
        } finally {
            build.container().dispose();
        }
    }

    /** README "Your first reconciliation task": its rules and its mock test, as the README shows them, pass here. */
    @Test
    void theReadmesFirstTaskRulesPassTheReadmesMockTest() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        String drl = between(readme, "cat > refunds.drl <<'DRL'\n", "\nDRL\n");
        String scenario = between(readme, "cat > refunds.scenario.json <<'JSON'\n", "\nJSON\n");
        RuleCompiler.Build build = new RuleCompiler().build(List.of(new RuleFile("recon/refunds/refunds.drl", drl)),
                RuleCompiler.taskGroups(Set.of("trade"), List.of(new RuleFile("recon/refunds/refunds.drl", drl))), null, false);
        try {
            assertThat(build.problems()).isEmpty();
            MockTest.Result result = new MockTest().run(build.container().getKieBase("refunds"), scenario(scenario), Map.of());
            assertThat(result.failures()).isEmpty();
            assertThat(result.passed()).isTrue();
        } finally {
            build.container().dispose();
        }
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertThat(start).as("README shows " + from.strip()).isNotNegative();
        return text.substring(start + from.length(), text.indexOf(to, start + from.length()));
    }
}
