package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.rules.Mismatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kie.api.builder.Message;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;

/**
 * The "was once" idiom in a scenario test: the harness runs on the service's session engine, which keeps a
 * {@code WasOnce} fact for each earlier value of a field marked {@code @Remember}, so a state regression needs no
 * marker fact of the analyst's own (rules-kjar/README.md, WasOnce).
 */
class WasOnceTest {

    private static final String REFUNDS = """
            package recon.trade

            import io.recon.rules.Mismatch
            import io.recon.rules.Severity
            import io.recon.rules.Remember
            import io.recon.rules.WasOnce

            declare Refund
                @role( event )
                @timestamp( refundedAt )
                @expires( 10m )

                refundId   : String
                orderId    : String
                status     : String @Remember
                refundedAt : long
            end

            rule "A refund never goes back from PAID"
            when
                $r : Refund( status != "PAID", $id : refundId, $orderId : orderId )
                WasOnce( type == "Refund", id == $id, field == "status", value == "PAID" )
            then
                insertLogical( Mismatch.of( "REGRESSION", Severity.P2, $orderId, "Refund " + $id + " was PAID and is now " + $r.getStatus() + ".", $r ) );
            end
            """;

    private Scenario scenario;

    @AfterEach
    void close() {
        if (scenario != null) {
            scenario.close();
        }
    }

    private static Map<String, Object> refund(String status, double second) {
        return Map.of("refundId", "R-1", "orderId", "O-1", "status", status, "refundedAt", Scenario.at(second));
    }

    @Test
    void aRefundThatWasPaidAndIsNowPendingIsARegression_andOneThatWasNeverPaidIsNot() {
        KieHelper helper = new KieHelper().addContent(REFUNDS, "recon/trade/refunds.drl");
        List<Message> errors = helper.verify().getMessages(Message.Level.ERROR);
        assertThat(errors).isEmpty();
        scenario = Scenario.of(helper.build(EventProcessingOption.STREAM));

        scenario.insert("Refund", refund("PENDING", 0)).update("Refund", refund("FAILED", 1));
        assertThat(scenario.mismatches()).as("never PAID: no regression").isEmpty();

        scenario.update("Refund", refund("PAID", 2)).update("Refund", refund("PENDING", 3));
        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getKey)
                .containsExactly(org.assertj.core.api.Assertions.tuple("REGRESSION", "O-1"));
        assertThat(scenario.mismatches().get(0).getReason()).contains("was PAID and is now PENDING");
    }
}
