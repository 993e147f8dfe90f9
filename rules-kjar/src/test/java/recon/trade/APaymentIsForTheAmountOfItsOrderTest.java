package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.order;
import static recon.trade.TradeRecords.payment;

import io.recon.rules.Mismatch;
import io.recon.rules.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule "A payment is for the amount of its order". */
class APaymentIsForTheAmountOfItsOrderTest {

    private final Scenario scenario = Scenario.trade();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void aPaymentOfADifferentAmountIsReportedAtOnce() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "90.00", "SUCCESS", 0));

        // No clock advance: the amount check has no grace period.
        assertThat(scenario.mismatches())
                .extracting(Mismatch::getType, Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple("AMOUNT", Severity.P2, "O-1"));
        Mismatch amount = scenario.mismatches().get(0);
        assertThat(amount.getReason()).contains("P-1", "90.00", "O-1", "100.00");
        assertThat(amount.getFacts()).hasSize(2);
    }

    @Test
    void nearMissAmountsOneCentApartAgree() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.01", "SUCCESS", 0));

        assertThat(scenario.mismatches("AMOUNT")).isEmpty();
    }

    @Test
    void amountsTwoCentsApartDisagree() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.02", "SUCCESS", 0));

        assertThat(scenario.mismatches("AMOUNT")).hasSize(1);
    }

    @Test
    void aFailedPaymentChargedNothingSoItsAmountDoesNotMatter() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0), payment("P-1", "O-1", "1.00", "FAILED", 0));

        assertThat(scenario.mismatches("AMOUNT")).isEmpty();
    }

    @Test
    void aPaymentArrivingBeforeItsOrderIsCheckedWhenTheOrderArrives() {
        scenario.insert(payment("P-1", "O-1", "90.00", "SUCCESS", 0));
        assertThat(scenario.mismatches("AMOUNT")).isEmpty();

        scenario.insert(order("O-1", "100.00", "PAID", 2));

        assertThat(scenario.mismatches("AMOUNT")).hasSize(1);
    }

    @Test
    void correctingTheOrderAmountHealsTheMismatch() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "90.00", "SUCCESS", 0));
        assertThat(scenario.mismatches("AMOUNT")).hasSize(1);

        scenario.update(order("O-1", "90.00", "PAID", 0, 5));

        assertThat(scenario.mismatches("AMOUNT")).isEmpty();
    }
}
