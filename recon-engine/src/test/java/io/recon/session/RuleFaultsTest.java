package io.recon.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recon.fact.FactEnvelope;
import io.recon.fact.FactSpec;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;

/** A rule that throws or fires forever costs only its own firings: the record stays applied, the other rules finish it. */
class RuleFaultsTest {

    private static final long T = 1_769_860_800_000L;
    private static final String DRL = """
            package recon.faults
            import io.recon.rules.Mismatch
            import io.recon.rules.Severity

            declare Order
                @role(event) @timestamp(createdAt) @expires(1m)
                orderId : String
                status : String
                createdAt : long
            end

            rule "Every order is flagged"
            when
                $o : Order( $id : orderId )
            then
                insertLogical( Mismatch.of( "FLAGGED", Severity.P3, $id, "order " + $id, $o ) );
            end

            rule "Short ids break this rule"
            when
                $o : Order( $id : orderId, status == "BROKEN" )
            then
                insertLogical( Mismatch.of( "SUFFIX", Severity.P3, $id, $id.substring(10), $o ) );
            end

            rule "Looping orders are flagged"
            when
                $o : Order( status == "LOOP", $id : orderId )
            then
                insertLogical( Mismatch.of( "LOOPING", Severity.P3, $id, "order " + $id + " loops", $o ) );
            end

            rule "This rule never stops"
            when
                $o : Order( status == "LOOP" )
            then
                modify( $o ) { setStatus( "LOOP" ) }
            end
            """;
    private static final KieBase KIE_BASE = new KieHelper().addContent(DRL, ResourceType.DRL).build(org.drools.model.codegen.ExecutableModelProject.class, EventProcessingOption.STREAM);
    private static final TaskFacts FACTS = new TaskFacts(KIE_BASE, List.of(new FactSpec("recon.faults.Order", "orderId", "orderId", "createdAt")));

    private final List<SessionEngine> engines = new ArrayList<>();
    private final List<RuleFaults.RuleFault> faults = new ArrayList<>();
    private final Set<String> quarantined = new HashSet<>();

    /** Quarantines a rule at its second fault, as the service's breaker does at its threshold. */
    private final RuleFaults guard = new RuleFaults() {
        @Override
        public boolean quarantined(String rule) {
            return quarantined.contains(rule);
        }

        @Override
        public void fault(RuleFault fault) {
            faults.add(fault);
            if (faults.stream().filter(f -> f.rule().equals(fault.rule())).count() >= 2) {
                quarantined.add(fault.rule());
            }
        }
    };

    @AfterEach
    void dispose() {
        engines.forEach(SessionEngine::close);
    }

    @Test
    void aThrowingRuleLosesOnlyItsFiringAndTheRecordStaysApplied() {
        SessionEngine engine = engine(100);

        engine.apply(order("O-1", "BROKEN"));

        assertThat(faults).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("Short ids break this rule");
            assertThat(f.record()).contains("O-1");
            assertThat(f.cause()).contains("StringIndexOutOfBoundsException");
            assertThat(f.capped()).isFalse();
        });
        assertThat(engine.liveFactsByType()).containsEntry("Order", 1L);
        assertThat(changes(engine)).as("the other rule still sees the order").containsExactly("DETECTED FLAGGED O-1");
    }

    @Test
    void aRuleThatFiresForeverIsStoppedByTheCapAndTheOthersFinishTheRecord() {
        SessionEngine engine = engine(100);

        engine.apply(order("O-2", "LOOP"));

        assertThat(faults).singleElement().satisfies(f -> {
            assertThat(f.rule()).as("the rule that changes facts drives the loop").isEqualTo("This rule never stops");
            assertThat(f.capped()).isTrue();
            assertThat(f.cause()).contains("100 times");
        });
        assertThat(changes(engine)).as("a rule that reacts to each change is not blamed").contains("DETECTED FLAGGED O-2", "DETECTED LOOPING O-2");
    }

    @Test
    void aQuarantinedRuleNoLongerFiresWhileTheRestOfTheRuleSetDoes() {
        SessionEngine engine = engine(100);
        engine.apply(order("O-3", "BROKEN"));
        engine.apply(order("O-4", "BROKEN"));
        assertThat(quarantined).containsExactly("Short ids break this rule");
        changes(engine);
        long firedBefore = engine.rulesFired();

        engine.apply(order("O-5", "BROKEN"));

        assertThat(faults).as("no third fault: the rule did not run").hasSize(2);
        assertThat(changes(engine)).containsExactly("DETECTED FLAGGED O-5");
        assertThat(engine.rulesFired() - firedBefore).isEqualTo(1);
    }

    @Test
    void whileReplayingFaultsAreNotCountedAgain() {
        SessionEngine engine = engine(100);
        engine.setRecording(false);

        engine.apply(order("O-6", "BROKEN"));

        assertThat(faults).isEmpty();
        assertThat(engine.liveMismatches()).hasSize(1);
    }

    @Test
    void withoutAGuardAFaultStopsTheCallerAndNamesRuleAndRecord() {
        SessionEngine engine = new SessionEngine(KIE_BASE, FACTS, 5_000);
        engines.add(engine);

        assertThatThrownBy(() -> engine.apply(order("O-7", "BROKEN")))
                .hasMessageContaining("rule 'Short ids break this rule' failed on")
                .hasMessageContaining("'O-7'");
    }

    private SessionEngine engine(int cap) {
        SessionEngine engine = new SessionEngine(KIE_BASE, FACTS, 5_000, guard, cap, false);
        engines.add(engine);
        return engine;
    }

    private static List<String> changes(SessionEngine engine) {
        return engine.drainChanges().stream().map(c -> c.kind() + " " + c.mismatch().getType() + " " + c.mismatch().getKey()).toList();
    }

    private static FactEnvelope order(String id, String status) {
        return FactEnvelope.upsert("shop", new MappedFact("recon.faults.Order", id, id, T,
                Map.of("orderId", id, "status", status, "createdAt", T)), T);
    }

}
