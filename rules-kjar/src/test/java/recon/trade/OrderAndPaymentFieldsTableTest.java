package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.order;
import static recon.trade.TradeRecords.payment;
import static recon.trade.TradeRecords.with;

import io.recon.rules.Mismatch;
import io.recon.rules.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.KieServices;

/**
 * The decision table recon/trade/order-payment-fields.drl.csv: one row per field check between an
 * order and its payment, no hand-written DRL. Each check has its near miss next to its failure.
 */
class OrderAndPaymentFieldsTableTest {

    private static final String CURRENCY = "A payment is in the currency of its order";
    private static final String STATUS = "An order's status corresponds to its payment's status";
    private static final String FAR = "A successful payment is within 10 percent of its order";

    private final Scenario scenario = Scenario.trade();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void theTableIsPartOfTheTradeKieBase() {
        // The same lookup the service does: if the table were not compiled into the kjar, its
        // rules would silently be missing from the task group.
        KieBase trade = KieServices.get().getKieClasspathContainer().getKieBase("trade");
        for (String rule : new String[] {CURRENCY, STATUS, FAR}) {
            assertThat(trade.getRule("recon.trade", rule)).as(rule).isNotNull();
        }
    }

    // --- row "A payment is in the currency of its order": must be the same ---

    @Test
    void nearMissAPaymentInTheOrdersCurrencyAgrees() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0));

        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void aPaymentInAnotherCurrencyIsReported() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), with(payment("P-1", "O-1", "100.00", "SUCCESS", 0), "currency", "USD"));

        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple("FIELD_CURRENCY", Severity.P2, "O-1"));
        assertThat(scenario.mismatches().get(0).getReason()).contains("O-1", "EUR", "P-1", "USD");
        assertThat(scenario.mismatches().get(0).getFacts()).hasSize(2);
    }

    @Test
    void correctingThePaymentCurrencyHealsTheMismatch() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), with(payment("P-1", "O-1", "100.00", "SUCCESS", 0), "currency", "USD"));
        assertThat(scenario.mismatches("FIELD_CURRENCY")).hasSize(1);

        scenario.update(payment("P-1", "O-1", "100.00", "SUCCESS", 1));

        assertThat(scenario.mismatches("FIELD_CURRENCY")).isEmpty();
    }

    // --- row "An order's status corresponds to its payment's status": PAID=SUCCESS, PAYMENT_FAILED=FAILED ---

    @Test
    void nearMissAPaidOrderWithASuccessfulPaymentAgrees() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0));

        assertThat(scenario.mismatches("FIELD_STATUS")).isEmpty();
    }

    @Test
    void aPaidOrderWhosePaymentFailedIsReported() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "FAILED", 0));

        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple("FIELD_STATUS", Severity.P2, "O-1"));
        assertThat(scenario.mismatches().get(0).getReason()).contains("O-1", "PAID", "P-1", "FAILED");
    }

    @Test
    void anOrderMarkedPaymentFailedAlthoughThePaymentSucceededIsReported() {
        scenario.insert(order("O-1", "100.00", "PAYMENT_FAILED", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0));

        assertThat(scenario.mismatches("FIELD_STATUS")).hasSize(1);
    }

    @Test
    void nearMissAFailedOrderWithAFailedPaymentAgrees() {
        scenario.insert(order("O-1", "100.00", "PAYMENT_FAILED", 0), payment("P-1", "O-1", "100.00", "FAILED", 0));

        assertThat(scenario.mismatches("FIELD_STATUS")).isEmpty();
    }

    @Test
    void aFailedAttemptFollowedByASuccessIsNotAContradiction() {
        // Customers retry: the failed attempt disagrees with PAID, but the successful one agrees,
        // and the "unless another payment agrees" column withdraws the finding.
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "FAILED", 1));
        assertThat(scenario.mismatches("FIELD_STATUS")).hasSize(1);

        scenario.insert(payment("P-2", "O-1", "100.00", "SUCCESS", 2));

        assertThat(scenario.mismatches("FIELD_STATUS")).isEmpty();
    }

    @Test
    void anOrderStillCreatedIsLeftToTheTimedStatusRule() {
        // CREATED is not in the map: the order system may simply not have caught up yet, which is
        // what "An order is marked PAID within 10 seconds of its payment" judges, with its grace period.
        scenario.insert(order("O-1", "100.00", "CREATED", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0));

        assertThat(scenario.mismatches("FIELD_STATUS")).isEmpty();
        scenario.advanceTo(10);
        assertThat(scenario.mismatches()).extracting(Mismatch::getType).containsExactly("STATUS");
    }

    // --- row "A successful payment is within 10 percent of its order": percentage tolerance ---

    @Test
    void nearMissAPaymentExactly10PercentOffIsWithinTheTolerance() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "110.00", "SUCCESS", 0));

        assertThat(scenario.mismatches("FIELD_AMOUNT_FAR")).isEmpty();
        // The cent-exact amount rule still reports the 10.00 difference, at its own severity.
        assertThat(scenario.mismatches()).extracting(Mismatch::getType).containsExactly("AMOUNT");
    }

    @Test
    void aPaymentMoreThan10PercentOffIsReportedAsUrgent() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "110.01", "SUCCESS", 0));

        // Two findings of different types for one order: P2 "wrong amount" and P1 "probably the
        // wrong order"; equal key and type would have merged them into one.
        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getSeverity)
                .containsExactly(tuple("AMOUNT", Severity.P2), tuple("FIELD_AMOUNT_FAR", Severity.P1));
        assertThat(scenario.mismatches("FIELD_AMOUNT_FAR").get(0).getReason()).contains("100.00", "110.01", "P-1");
    }

    @Test
    void theToleranceIsAPercentOfTheOrderNotOfThePayment() {
        // 90.00 is 10 % below the order but 11.1 % of the payment: measured against the payment,
        // this near miss would be reported.
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "89.99", "SUCCESS", 0));
        assertThat(scenario.mismatches("FIELD_AMOUNT_FAR")).hasSize(1);

        scenario.update(payment("P-1", "O-1", "90.00", "SUCCESS", 1));
        assertThat(scenario.mismatches("FIELD_AMOUNT_FAR")).isEmpty();
    }

    @Test
    void aFailedPaymentChargedNothingSoItsAmountIsNotCompared() {
        scenario.insert(order("O-1", "100.00", "PAYMENT_FAILED", 0), payment("P-1", "O-1", "1.00", "FAILED", 0));

        assertThat(scenario.mismatches()).isEmpty();
    }
}
