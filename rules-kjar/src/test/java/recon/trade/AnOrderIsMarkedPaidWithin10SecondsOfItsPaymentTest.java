package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.order;
import static recon.trade.TradeRecords.payment;

import io.recon.rules.Mismatch;
import io.recon.rules.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule "An order is marked PAID within 10 seconds of its payment". */
class AnOrderIsMarkedPaidWithin10SecondsOfItsPaymentTest {

    private final Scenario scenario = Scenario.trade();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void anOrderStillCreated10SecondsAfterItsPaymentIsAStatusMismatch() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0));

        scenario.advanceTo(9);
        assertThat(scenario.mismatches("STATUS")).isEmpty();

        scenario.advanceTo(10);
        assertThat(scenario.mismatches("STATUS"))
                .extracting(Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple(Severity.P3, "O-1"));
        assertThat(scenario.mismatches("STATUS").get(0).getReason()).contains("O-1", "CREATED", "P-1", "PAID");
    }

    @Test
    void nearMissTheOrderMarkedPaidAt9SecondsIsInTime() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0))
                .update(order("O-1", "100.00", "PAID", 0, 9))
                .advanceTo(60);

        assertThat(scenario.mismatches("STATUS")).isEmpty();
    }

    @Test
    void markingTheOrderPaidLateHealsTheMismatch() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0))
                .advanceTo(12);
        assertThat(scenario.mismatches("STATUS")).hasSize(1);

        scenario.update(order("O-1", "100.00", "PAID", 0, 15));

        assertThat(scenario.mismatches("STATUS")).isEmpty();
    }

    @Test
    void anOtherChangeOfTheOrderDoesNotRestartTheTenSeconds() {
        // The order system touched the order at 8 s without marking it PAID: the allowance still
        // counts from the payment, so the mismatch is due at 10 s, not at 18 s.
        scenario.insert(order("O-1", "100.00", "CREATED", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0))
                .update(order("O-1", "100.00", "PAYMENT_FAILED", 0, 8))
                .advanceTo(10);

        assertThat(scenario.mismatches("STATUS")).hasSize(1);
    }

    @Test
    void aFailedPaymentDoesNotRequireThePaidStatus() {
        scenario.insert(order("O-1", "100.00", "PAYMENT_FAILED", 0), payment("P-1", "O-1", "100.00", "FAILED", 0))
                .advanceTo(60);

        assertThat(scenario.mismatches("STATUS")).isEmpty();
    }
}
