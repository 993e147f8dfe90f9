package io.recon.authoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.recon.fact.FactSpec;
import io.recon.session.RunBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;

/**
 * The budget of a mock test (issue 7 §1): a rule that never stops, a rule that throws, a run past its time, its
 * records or its facts each stop the run with a sentence that names the rule or the limit, and the run's thread
 * is never the caller's.
 */
class RuleRunBudgetTest {

    private static final Map<String, FactSpec> BINDINGS = Map.of(
            "recon.trade.Order", new FactSpec("recon.trade.Order", "orderId", "orderId", "createdAt"));
    private static KieContainer container;
    private static KieBase trade;

    /** The sample rules plus a rule that re-triggers itself on LOOP- orders. */
    @BeforeAll
    static void build() throws Exception {
        List<RuleFile> files = new ArrayList<>(RuleCompilerTest.sampleKjar());
        files.add(new RuleFile("recon/trade/loop.drl", """
                package recon.trade;

                rule "Touch every order"
                when
                    $o : Order( orderId str[startsWith] "LOOP-" )
                then
                    update( $o );
                end

                """));
        RuleCompiler.Build build = new RuleCompiler().build(files, Set.of("trade"), null, false);
        assertThat(build.problems()).isEmpty();
        container = build.container();
        trade = container.getKieBase("trade");
    }

    @AfterAll
    static void dispose() {
        container.dispose();
    }

    private static Scenario orders(String prefix, int count, int secondsApart) {
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < count; i++) {
            steps.append(i == 0 ? "" : ",").append("{ \"at\": ").append(i * secondsApart).append(", \"insert\": \"Order\", \"fields\": { \"orderId\": \"")
                    .append(prefix).append(i).append("\", \"amount\": \"1.00\", \"currency\": \"EUR\", \"status\": \"CREATED\" } }");
        }
        return MockTestTest.scenario("{ \"name\": \"" + prefix + "\", \"steps\": [" + steps + "] }");
    }

    private static RunBudget budget(Duration time, long records, long facts, long firings) {
        return new RunBudget(time, records, facts, firings, 10_000);
    }

    @Test
    void aRuleThatRetriggersItselfStopsAtTheCapAndIsNamed() {
        assertThatThrownBy(() -> new MockTest().run(trade, orders("LOOP-", 1, 1), BINDINGS, budget(Duration.ofSeconds(30), 100, 1000, 1_000_000).start()))
                .isInstanceOfSatisfying(RuleRunFailure.class, e -> {
                    assertThat(e.rule()).isEqualTo("Touch every order");
                    assertThat(e.capped()).isTrue();
                    assertThat(e.getMessage()).contains("scenario 'LOOP-', step 1", "10000 times");
                    RuleProblem problem = e.problem(Map.of("recon/trade/loop.drl", "package recon.trade;\n\nrule \"Touch every order\"\nwhen"));
                    assertThat(problem.file()).isEqualTo("recon/trade/loop.drl");
                    assertThat(problem.line()).isEqualTo(3);
                    assertThat(problem.kind()).isEqualTo(RuleProblem.Kind.RUNTIME);
                });
    }

    @Test
    void aRunOverItsTimeStopsAndSaysSo() {
        // a clock step of a year is 200,000 watermark ticks: far more than 50 ms
        Scenario year = MockTestTest.scenario("""
                { "name": "a year", "steps": [
                  { "at": 0, "insert": "Order", "fields": { "orderId": "O-1", "amount": "1.00", "currency": "EUR", "status": "CREATED" } },
                  { "at": "8760h", "expect": [] } ] }""");
        assertThatThrownBy(() -> new MockTest().run(trade, year, BINDINGS, budget(Duration.ofMillis(50), 100, 100_000, 10_000_000).start()))
                .isInstanceOfSatisfying(RuleRunFailure.class, e -> {
                    assertThat(e.limit()).isEqualTo("time");
                    assertThat(e.getMessage()).contains("took longer than 50 ms", "step 2");
                });
    }

    @Test
    void aRunOverItsRecordsOrFactsStopsAndSaysWhich() {
        assertThatThrownBy(() -> new MockTest().run(trade, orders("O-", 20, 1), BINDINGS, budget(Duration.ofSeconds(30), 10, 1000, 1_000_000).start()))
                .isInstanceOfSatisfying(RuleRunFailure.class, e -> assertThat(e.getMessage()).contains("after 10 records", "step 11"));
        assertThatThrownBy(() -> new MockTest().run(trade, orders("O-", 20, 1), BINDINGS, budget(Duration.ofSeconds(30), 100, 10, 1_000_000).start()))
                .isInstanceOfSatisfying(RuleRunFailure.class, e -> {
                    assertThat(e.limit()).isEqualTo("facts");
                    assertThat(e.getMessage()).contains("more than 10 facts", "step 11");
                });
    }

    @Test
    void aCallerRightAfterAFinishedRunIsNeverToldTheThreadsAreBusy() {
        RuleRunsProperties properties = new RuleRunsProperties(Duration.ofSeconds(5), Duration.ofSeconds(5), 10, 10, 10, 10, 10, 1);
        try (RuleRuns runs = new RuleRuns(properties)) {
            for (int i = 0; i < 2_000; i++) {
                int n = i;
                Integer ran = runs.run(properties.test(), "run " + i, meter -> n);
                assertThat(ran).isEqualTo(n);
            }
        }
    }

    @Test
    void aRunIsOffTheCallersThreadAndAnsweredAtItsTimeEvenIfItDoesNotStop() throws Exception {
        RuleRunsProperties properties = new RuleRunsProperties(Duration.ofMillis(200), Duration.ofSeconds(1), 10, 10, 10, 10, 10, 1);
        CountDownLatch release = new CountDownLatch(1);
        try (RuleRuns runs = new RuleRuns(properties)) {
            Thread caller = Thread.currentThread();
            Boolean elsewhere = runs.run(properties.test(), "x", meter -> Thread.currentThread() != caller);
            assertThat(elsewhere).isTrue();

            long started = System.nanoTime();
            assertThatThrownBy(() -> runs.run(properties.test(), "the stuck test", meter -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (release.getCount() > 0 && System.nanoTime() < deadline) {
                    try {
                        release.await(30, TimeUnit.SECONDS); // a consequence that ignores the budget and its interruption
                    } catch (InterruptedException ignored) {
                        // goes on waiting, as a rule stuck in a library call would
                    }
                }
                return null;
            })).isInstanceOfSatisfying(RuleRunFailure.class, e -> assertThat(e.getMessage()).contains("took longer than 200 ms", "the stuck test"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

            // the stuck run still holds the only thread: the next caller is told so at once, not queued behind it
            assertThatThrownBy(() -> runs.run(properties.test(), "the next test", meter -> null))
                    .isInstanceOf(RuleRuns.BusyException.class).hasMessageContaining("recon.rule-runs.threads");
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String ran = runs.run(properties.test(), "after", meter -> "ran");
                assertThat(ran).isEqualTo("ran");
            });
        } finally {
            release.countDown();
        }
    }
}
