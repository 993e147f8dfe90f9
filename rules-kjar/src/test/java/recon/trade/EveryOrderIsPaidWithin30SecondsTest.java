package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.order;
import static recon.trade.TradeRecords.payment;

import io.recon.rules.Mismatch;
import io.recon.rules.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule "Every order is paid within 30 seconds". */
class EveryOrderIsPaidWithin30SecondsTest {

    private final Scenario scenario = Scenario.trade();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void anOrderWithoutPaymentIsReportedMissingAt30Seconds() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0));

        scenario.advanceTo(29);
        assertThat(scenario.mismatches()).as("still inside the 30 s allowance").isEmpty();

        scenario.advanceTo(30);
        assertThat(scenario.mismatches())
                .extracting(Mismatch::getType, Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple("MISSING", Severity.P2, "O-1"));
        Mismatch missing = scenario.mismatches().get(0);
        assertThat(missing.getReason()).contains("O-1", "EUR 100.00", "CREATED", "no payment");
        assertThat(missing.getFacts()).singleElement()
                .satisfies(o -> assertThat(scenario.field("Order", o, "orderId")).isEqualTo("O-1"));
    }

    @Test
    void nearMissAPaymentAt29SecondsIsInTime() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0))
                .insert(payment("P-1", "O-1", "100.00", "SUCCESS", 29))
                .advanceTo(120);

        assertThat(scenario.mismatches("MISSING")).isEmpty();
    }

    @Test
    void aLatePaymentAt45SecondsHealsTheMissingMismatch() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0)).advanceTo(40);
        assertThat(scenario.mismatches("MISSING")).hasSize(1);

        scenario.insert(payment("P-1", "O-1", "100.00", "SUCCESS", 45));

        assertThat(scenario.mismatches("MISSING")).as("withdrawn: the payment arrived late").isEmpty();
    }

    @Test
    void theWindowRunsFromWhenTheOrderWasPlacedNotFromWhenItArrived() {
        scenario.advanceTo(20).insert(order("O-1", "100.00", "CREATED", 0));

        scenario.advanceTo(30);
        assertThat(scenario.mismatches("MISSING")).as("placed at 0 s: the window closed at 30 s").hasSize(1);
    }

    @Test
    void nearMissAPaymentMadeInsideTheWindowButDeliveredLateIsInTime() {
        // The clock is the watermark: it trails arrival by the allowed lateness, so a payment made at
        // 28 s and delivered when the clock reads 29 s is on time.
        scenario.insert(order("O-1", "100.00", "CREATED", 0)).advanceTo(29)
                .insert(payment("P-1", "O-1", "100.00", "SUCCESS", 28))
                .advanceTo(120);

        assertThat(scenario.mismatches("MISSING")).isEmpty();
    }

    @Test
    void aFailedPaymentStillCountsAsThePaymentRecord() {
        scenario.insert(order("O-1", "100.00", "PAYMENT_FAILED", 0))
                .insert(payment("P-1", "O-1", "100.00", "FAILED", 5))
                .advanceTo(60);

        assertThat(scenario.mismatches("MISSING")).isEmpty();
    }

    @Test
    void aCancelledOrderNeedsNoPayment() {
        scenario.insert(order("O-1", "100.00", "CANCELLED", 0)).advanceTo(60);

        assertThat(scenario.mismatches("MISSING")).isEmpty();
    }

    @Test
    void cancellingTheOrderAfterwardsWithdrawsTheMissingMismatch() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0)).advanceTo(35);
        assertThat(scenario.mismatches("MISSING")).hasSize(1);

        scenario.update(order("O-1", "100.00", "CANCELLED", 0, 40));

        assertThat(scenario.mismatches("MISSING")).isEmpty();
    }

    @Test
    void onlyTheUnpaidOrderIsReported() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0), order("O-2", "50.00", "CREATED", 0))
                .insert(payment("P-2", "O-2", "50.00", "SUCCESS", 3))
                .advanceTo(30);

        assertThat(scenario.mismatches("MISSING")).extracting(Mismatch::getKey).containsExactly("O-1");
    }
}
