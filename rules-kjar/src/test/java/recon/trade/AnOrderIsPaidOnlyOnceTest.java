package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.order;
import static recon.trade.TradeRecords.payment;

import io.recon.rules.Mismatch;
import io.recon.rules.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule "An order is paid only once". */
class AnOrderIsPaidOnlyOnceTest {

    private static final String RULE = "An order is paid only once";

    private final Scenario scenario = Scenario.trade();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void twoSuccessfulPaymentsForOneOrderAreADuplicate() {
        scenario.insert(order("O-1", "100.00", "PAID", 0),
                payment("P-1", "O-1", "100.00", "SUCCESS", 1),
                payment("P-2", "O-1", "100.00", "SUCCESS", 2));

        assertThat(scenario.mismatches("DUPLICATE"))
                .extracting(Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple(Severity.P1, "O-1"));
        Mismatch duplicate = scenario.mismatches("DUPLICATE").get(0);
        assertThat(duplicate.getReason()).contains("O-1", "P-1", "P-2");
        assertThat(duplicate.getFacts()).hasSize(2);
        assertThat(scenario.firings(RULE)).as("one pair of payments, one firing").isEqualTo(1);
    }

    @Test
    void theDuplicateHealsWhenTheSecondPaymentIsDeletedAtItsSource() {
        scenario.insert(order("O-1", "100.00", "PAID", 0),
                payment("P-1", "O-1", "100.00", "SUCCESS", 1),
                payment("P-2", "O-1", "100.00", "SUCCESS", 2));
        assertThat(scenario.mismatches("DUPLICATE")).hasSize(1);

        scenario.delete(payment("P-2", "O-1", "100.00", "SUCCESS", 2));

        assertThat(scenario.mismatches("DUPLICATE")).isEmpty();
        assertThat(scenario.count("Payment")).isEqualTo(1);
    }

    @Test
    void nearMissAFailedAttemptThenASuccessIsOnePayment() {
        scenario.insert(order("O-1", "100.00", "PAID", 0),
                payment("P-1", "O-1", "100.00", "FAILED", 1),
                payment("P-2", "O-1", "100.00", "SUCCESS", 2));

        assertThat(scenario.mismatches("DUPLICATE")).isEmpty();
    }

    @Test
    void theSamePaymentDeliveredTwiceIsNotADuplicate() {
        // A replay or a retried message carries the same paymentId; the service updates the fact.
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 1))
                .update(payment("P-1", "O-1", "100.00", "SUCCESS", 3));

        assertThat(scenario.mismatches("DUPLICATE")).isEmpty();
    }

    @Test
    void paymentsForDifferentOrdersAreNotDuplicates() {
        scenario.insert(payment("P-1", "O-1", "100.00", "SUCCESS", 1), payment("P-2", "O-2", "100.00", "SUCCESS", 1));

        assertThat(scenario.mismatches("DUPLICATE")).isEmpty();
    }

    @Test
    void threePaymentsForOneOrderAreStillOneMismatch() {
        // Three payments make three pairs and three firings; the case handler must see one case.
        scenario.insert(payment("P-1", "O-1", "100.00", "SUCCESS", 1),
                payment("P-2", "O-1", "100.00", "SUCCESS", 2),
                payment("P-3", "O-1", "100.00", "SUCCESS", 3));

        assertThat(scenario.firings(RULE)).as("pairs P-1/P-2, P-1/P-3, P-2/P-3").isEqualTo(3);
        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getKey)
                .containsExactly(tuple("DUPLICATE", "O-1"));
    }

    @Test
    void aRefundedDuplicateMarkedFailedHealsTheMismatch() {
        scenario.insert(payment("P-1", "O-1", "100.00", "SUCCESS", 1), payment("P-2", "O-1", "100.00", "SUCCESS", 2));
        assertThat(scenario.mismatches("DUPLICATE")).hasSize(1);

        scenario.update(payment("P-2", "O-1", "100.00", "FAILED", 20));

        assertThat(scenario.mismatches("DUPLICATE")).isEmpty();
    }
}
