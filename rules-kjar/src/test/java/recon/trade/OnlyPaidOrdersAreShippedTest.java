package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.payment;
import static recon.trade.TradeRecords.shipment;

import io.recon.rules.Mismatch;
import io.recon.rules.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule "Only paid orders are shipped". */
class OnlyPaidOrdersAreShippedTest {

    private final Scenario scenario = Scenario.trade();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void aShipmentWithoutPaymentIsReportedAfter10Seconds() {
        scenario.insert(shipment("S-1", "O-1", 0));

        scenario.advanceTo(9);
        assertThat(scenario.mismatches()).isEmpty();

        scenario.advanceTo(10);
        assertThat(scenario.mismatches())
                .extracting(Mismatch::getType, Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple("UNPAID_SHIPMENT", Severity.P1, "O-1"));
        assertThat(scenario.mismatches().get(0).getReason()).contains("S-1", "O-1", "SUCCESS payment");
    }

    @Test
    void nearMissAPaymentRecordedAt9SecondsIsInTime() {
        scenario.insert(shipment("S-1", "O-1", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 9))
                .advanceTo(60);

        assertThat(scenario.mismatches("UNPAID_SHIPMENT")).isEmpty();
    }

    @Test
    void aFailedPaymentDoesNotPayForTheShipment() {
        scenario.insert(payment("P-1", "O-1", "100.00", "FAILED", 0), shipment("S-1", "O-1", 1))
                .advanceTo(11);

        assertThat(scenario.mismatches("UNPAID_SHIPMENT")).hasSize(1);
    }

    @Test
    void aLatePaymentHealsTheUnpaidShipment() {
        scenario.insert(shipment("S-1", "O-1", 0)).advanceTo(15);
        assertThat(scenario.mismatches("UNPAID_SHIPMENT")).hasSize(1);

        scenario.insert(payment("P-1", "O-1", "100.00", "SUCCESS", 20));

        assertThat(scenario.mismatches("UNPAID_SHIPMENT")).isEmpty();
    }
}
