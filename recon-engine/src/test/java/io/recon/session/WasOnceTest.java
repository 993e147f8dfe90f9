package io.recon.session;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;

/**
 * "Was once": a field declared {@code @Remember} keeps its earlier values as {@code WasOnce} facts, so a rule can
 * report a state regression (a payment FAILED after it was SUCCESS) without inserting a marker fact of its own, and
 * the remembered values leave the session with their fact.
 */
class WasOnceTest {

    private static final long T = 1_769_860_800_000L;
    private static final KieBase KIE_BASE = new KieHelper().addContent("""
            package recon.regress
            import io.recon.rules.Mismatch
            import io.recon.rules.Severity
            import io.recon.rules.WasOnce
            import io.recon.rules.Remember

            declare Payment
                @role(event) @timestamp(paidAt) @expires(1m)
                paymentId : String
                orderId : String
                status : String @Remember
                paidAt : long
            end

            declare Shipment
                @role(event) @timestamp(shippedAt) @expires(1m)
                shipmentId : String
                orderId : String
                status : String
                shippedAt : long
            end

            rule "A successful payment never turns failed"
            when
                $p : Payment( status == "FAILED", $id : paymentId, $order : orderId )
                $was : WasOnce( type == "Payment", id == $id, field == "status", value == "SUCCESS" )
            then
                insertLogical( Mismatch.of( "STATUS_REGRESSION", Severity.P1, $order, "Payment " + $id + " is FAILED but was SUCCESS", $p, $was ) );
            end
            """, ResourceType.DRL).build(org.drools.model.codegen.ExecutableModelProject.class, EventProcessingOption.STREAM);
    private static final TaskFacts FACTS = new TaskFacts(KIE_BASE, List.of(
            new FactSpec("recon.regress.Payment", "orderId", "paymentId", "paidAt"),
            new FactSpec("recon.regress.Shipment", "orderId", "shipmentId", "shippedAt")));

    private final List<SessionEngine> engines = new ArrayList<>();
    private long committed = T;

    @AfterEach
    void dispose() {
        engines.forEach(SessionEngine::close);
    }

    @Test
    void aPaymentFailedAfterItSucceededIsReportedWithTheEarlierValueAsEvidence() {
        SessionEngine engine = engine();
        engine.apply(payment("P-1", "SUCCESS", T));
        engine.apply(payment("P-1", "FAILED", T));

        assertThat(engine.drainChanges()).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(MismatchChange.Kind.DETECTED);
            assertThat(change.mismatch().getType()).isEqualTo("STATUS_REGRESSION");
            assertThat(change.mismatch().getFacts()).extracting(String::valueOf).contains("Payment P-1 once had status = SUCCESS");
        });
    }

    @Test
    void nearMissAFailedPaymentRetriedToSuccessIsNoRegression() {
        SessionEngine engine = engine();
        engine.apply(payment("P-1", "FAILED", T));
        engine.apply(payment("P-1", "SUCCESS", T));
        engine.apply(payment("P-2", "FAILED", T));

        assertThat(engine.drainChanges()).isEmpty();
    }

    @Test
    void eachEarlierValueIsRememberedOnceAndOnlyForRememberedFields() {
        SessionEngine engine = engine();
        engine.apply(payment("P-1", "SUCCESS", T));
        engine.apply(payment("P-1", "FAILED", T));
        engine.apply(payment("P-1", "SUCCESS", T));
        engine.apply(payment("P-1", "FAILED", T));
        engine.apply(shipment("S-1", "PACKED"));
        engine.apply(shipment("S-1", "SHIPPED"));

        // the payment, its two earlier values (SUCCESS, FAILED: each once), the finding, the shipment (status not remembered)
        assertThat(engine.factCount()).isEqualTo(5);
    }

    @Test
    void theEarlierValuesLeaveWithTheirFactWhetherDeletedOrExpired() {
        SessionEngine engine = engine();
        engine.apply(payment("P-1", "SUCCESS", T));
        engine.apply(payment("P-1", "FAILED", T));
        engine.apply(FactEnvelope.delete("pay", fact("P-1", "FAILED", T), ++committed));
        assertThat(engine.factCount()).as("deleted: the payment, its WasOnce and the finding it justified are gone").isZero();

        engine.apply(payment("P-2", "SUCCESS", T));
        engine.apply(payment("P-2", "FAILED", T));
        engine.apply(FactEnvelope.watermark(T + 61_000));
        engine.apply(FactEnvelope.watermark(T + 62_000));
        assertThat(engine.factCount()).as("expired: the finding stays reported, but nothing is left in the session").isZero();
    }

    private SessionEngine engine() {
        SessionEngine engine = new SessionEngine(KIE_BASE, FACTS, 5_000);
        engines.add(engine);
        return engine;
    }

    private FactEnvelope payment(String id, String status, long at) {
        return FactEnvelope.upsert("pay", fact(id, status, at), ++committed);
    }

    private static MappedFact fact(String id, String status, long at) {
        return new MappedFact("recon.regress.Payment", id, "O-1", at, Map.of("paymentId", id, "orderId", "O-1", "status", status, "paidAt", at));
    }

    private FactEnvelope shipment(String id, String status) {
        return FactEnvelope.upsert("wms", new MappedFact("recon.regress.Shipment", id, "O-1", T,
                Map.of("shipmentId", id, "orderId", "O-1", "status", status, "shippedAt", T)), ++committed);
    }
}
