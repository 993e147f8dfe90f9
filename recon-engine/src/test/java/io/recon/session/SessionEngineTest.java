package io.recon.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.TestRules;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactSpec;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import io.recon.mismatch.MismatchChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

class SessionEngineTest {

    private static final long T = 1_769_860_800_000L; // 2026-01-31T12:00:00Z
    private static final KieBase KIE_BASE = TestRules.kieBase();
    private static final List<FactSpec> SPECS = List.of(
            new FactSpec("recon.test.Order", "orderId", "orderId", "createdAt"),
            new FactSpec("recon.test.Payment", "orderId", "paymentId", "paidAt"));
    private static final TaskFacts FACTS = new TaskFacts(KIE_BASE, SPECS);

    private final List<SessionEngine> engines = new ArrayList<>();

    @AfterEach
    void dispose() {
        engines.forEach(SessionEngine::close);
    }

    @Test
    void aMissingPaymentIsDetectedOnceTheWatermarkPassesTheWindow() {
        SessionEngine engine = engine();
        engine.apply(order("O-1", T, T + 50));
        engine.apply(watermark(T + 9_000));
        assertThat(engine.drainChanges()).isEmpty();

        engine.apply(watermark(T + 10_001));

        List<MismatchChange> changes = engine.drainChanges();
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(MismatchChange.Kind.DETECTED);
            assertThat(change.mismatch().getKey()).isEqualTo("O-1");
            assertThat(change.rule()).isEqualTo("An order is paid within 10 seconds");
            assertThat(change.lastCommitTime()).as("commit time of the order, for latency").isEqualTo(T + 50);
            assertThat(change.evidence().get(0)).containsEntry("type", "Order");
        });
    }

    @Test
    void aLatePaymentHealsTheMismatch() {
        SessionEngine engine = engine();
        engine.apply(order("O-1", T, T));
        engine.apply(watermark(T + 11_000));
        engine.drainChanges();

        engine.apply(payment("P-1", "O-1", T + 15_000));

        assertThat(engine.drainChanges()).extracting(MismatchChange::kind).containsExactly(MismatchChange.Kind.HEALED);
        assertThat(engine.liveMismatches()).isEmpty();
    }

    @Test
    void aMismatchWhoseEvidenceExpiresIsNotHealed() {
        SessionEngine engine = engine();
        engine.apply(order("O-1", T, T));
        engine.apply(watermark(T + 11_000));
        engine.drainChanges();

        engine.apply(watermark(T + 120_000)); // past the order's @expires(1m)

        assertThat(engine.liveFactsByType()).doesNotContainKey("Order");
        assertThat(engine.liveMismatches()).isEmpty();
        assertThat(engine.drainChanges()).as("forgetting the order does not make it paid").isEmpty();
    }

    @Test
    void aRedeliveredIdenticalRecordChangesNothing() {
        SessionEngine engine = engine();
        engine.apply(order("O-1", T, T));
        engine.apply(payment("P-1", "O-1", T + 1_000));
        long fired = engine.rulesFired();

        engine.apply(payment("P-1", "O-1", T + 1_000));
        engine.apply(order("O-1", T, T));

        assertThat(engine.rulesFired()).isEqualTo(fired);
        assertThat(engine.liveFactsByType()).containsEntry("Order", 1L).containsEntry("Payment", 1L);
    }

    @Test
    void anOlderVersionRedeliveredAfterANewerOneChangesNothing() {
        SessionEngine engine = engine();
        engine.apply(order("O-1", T, T));
        assertThat(engine.apply(order("O-1", T, T + 500, "PAID"))).isEqualTo(1);
        long fired = engine.rulesFired();

        // after a crash the source re-reads its last batch: the CREATED version, then the PAID one again
        assertThat(engine.apply(order("O-1", T, T))).as("the older version is stale, not news").isZero();
        assertThat(engine.apply(order("O-1", T, T + 500, "PAID"))).as("the current version again").isZero();
        assertThat(engine.rulesFired()).isEqualTo(fired);

        assertThat(engine.apply(order("O-1", T, T + 900, "CANCELLED"))).as("a newer version still applies").isEqualTo(1);
        assertThat(engine.liveFactsByType()).containsEntry("Order", 1L);
    }

    @Test
    void replayingTheSameLogGivesTheSameConclusionsAtTheSameEventTimes() {
        List<FactEnvelope> log = List.of(order("O-1", T, T), order("O-2", T + 500, T), watermark(T + 5_000),
                payment("P-2", "O-2", T + 6_000), watermark(T + 12_000), order("O-3", T + 13_000, T),
                watermark(T + 30_000), payment("P-1", "O-1", T + 31_000), watermark(T + 40_000));

        assertThat(run(log)).isEqualTo(run(log)).isNotEmpty();
    }

    @Test
    void aPartitionsFirstFactStartsTheClockNearItsEventTimeNotIn1970() {
        SessionEngine engine = engine();

        engine.apply(order("O-1", T, T));

        assertThat(engine.clock()).isEqualTo(T - 5_000);
        assertThat(engine.drainChanges()).isEmpty();
    }

    @Test
    void whileReplayingStoredRecordsNothingIsReported() {
        SessionEngine engine = engine();
        engine.setRecording(false);
        engine.apply(order("O-1", T, T));
        engine.apply(watermark(T + 11_000));

        assertThat(engine.drainChanges()).isEmpty();
        assertThat(engine.liveMismatches()).as("the state is rebuilt all the same").hasSize(1);
    }

    @Test
    void aRebuildOnAVersionThatNoLongerFindsAMismatchWithdrawsIt() {
        SessionEngine old = engine();
        old.apply(order("O-1", T, T));
        old.apply(order("O-2", T + 100_000, T + 100_000));
        old.apply(watermark(T + 111_000)); // O-1 has expired, O-2 is missing its payment
        assertThat(old.liveMismatches()).extracting(m -> m.getKey()).containsExactly("O-2");
        var held = old.heldFindings();
        held.put(io.recon.rules.Mismatch.of("MISSING", io.recon.rules.Severity.P2, "O-1", "held before O-1 expired"),
                java.util.Set.of(TaskFacts.identity("recon.test.Order", "O-1")));

        KieBase withoutTheRule = TestRules.declarationsOnly();
        SessionEngine rebuilt = new SessionEngine(withoutTheRule, new TaskFacts(withoutTheRule, SPECS), 5_000);
        engines.add(rebuilt);
        rebuilt.setRecording(false);
        rebuilt.apply(order("O-2", T + 100_000, T + 100_000));
        rebuilt.apply(watermark(T + 111_000));
        rebuilt.setRecording(true);

        assertThat(rebuilt.reportLive(held)).isEqualTo(new SessionEngine.Reported(0, 1));
        assertThat(rebuilt.drainChanges()).as("only O-2, whose order is still there: O-1's finding stands on expired evidence")
                .singleElement().satisfies(change -> {
                    assertThat(change.kind()).isEqualTo(MismatchChange.Kind.WITHDRAWN);
                    assertThat(change.mismatch().getKey()).isEqualTo("O-2");
                });
    }

    private List<String> run(List<FactEnvelope> log) {
        SessionEngine engine = engine();
        List<String> out = new ArrayList<>();
        for (FactEnvelope record : log) {
            engine.apply(record);
            engine.drainChanges().forEach(c -> out.add(c.kind() + " " + c.mismatch().getKey() + " @" + c.sessionTime()));
        }
        return out;
    }

    @Test
    void aFactFarAheadOfTheClockWaitsForItAndKeepsItsOrderWithLaterVersions() {
        SessionEngine engine = new SessionEngine(KIE_BASE, FACTS, 5_000, RuleFaults.RETHROW, SessionEngine.DEFAULT_MAX_FIRINGS, true);
        engines.add(engine);
        engine.apply(watermark(T));
        // its source runs a minute ahead of the others (their backlog is still being read)
        assertThat(engine.apply(payment("P-1", "O-1", T + 60_000))).as("waits: more than twice the lateness ahead").isZero();
        assertThat(engine.apply(payment("P-1", "O-1", T + 60_000, "20.00"))).as("a later version waits behind it").isZero();
        assertThat(engine.apply(payment("P-2", "O-2", T + 9_000))).as("near the clock: applied at once").isEqualTo(1);
        assertThat(engine.liveFactsByType()).containsEntry("Payment", 1L);

        assertThat(engine.apply(watermark(T + 49_999))).isZero();
        assertThat(engine.apply(watermark(T + 50_000))).as("both versions enter, in order, when the clock is 10 s short of them")
                .isEqualTo(2);
        assertThat(engine.liveFactsByType()).containsEntry("Payment", 2L);
        assertThat(engine.clock()).isEqualTo(T + 50_000);
    }

    @Test
    void mockTestsAndSimulationsApplyEveryFactAtOnce() {
        SessionEngine engine = engine();
        engine.apply(watermark(T));
        assertThat(engine.apply(payment("P-1", "O-1", T + 60_000))).isEqualTo(1);
    }

    private static FactEnvelope payment(String id, String order, long paidAt, String amount) {
        return FactEnvelope.upsert("pay", new MappedFact("recon.test.Payment", id, order, paidAt,
                Map.of("paymentId", id, "orderId", order, "amount", amount, "paidAt", paidAt)), paidAt);
    }

    private SessionEngine engine() {
        SessionEngine engine = new SessionEngine(KIE_BASE, FACTS, 5_000);
        engines.add(engine);
        return engine;
    }

    private static FactEnvelope order(String id, long createdAt, long committedAt) {
        return FactEnvelope.upsert("shop", new MappedFact("recon.test.Order", id, id, createdAt,
                Map.of("orderId", id, "amount", "10.00", "status", "CREATED", "createdAt", createdAt)), committedAt);
    }

    private static FactEnvelope order(String id, long createdAt, long committedAt, String status) {
        return FactEnvelope.upsert("shop", new MappedFact("recon.test.Order", id, id, createdAt,
                Map.of("orderId", id, "amount", "10.00", "status", status, "createdAt", createdAt)), committedAt);
    }

    private static FactEnvelope payment(String id, String order, long paidAt) {
        return FactEnvelope.upsert("pay", new MappedFact("recon.test.Payment", id, order, paidAt,
                Map.of("paymentId", id, "orderId", order, "amount", "10.00", "paidAt", paidAt)), paidAt);
    }

    private static FactEnvelope watermark(long time) {
        return FactEnvelope.watermark(time);
    }
}
