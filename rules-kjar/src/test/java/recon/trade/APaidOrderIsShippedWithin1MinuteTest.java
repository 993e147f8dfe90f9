package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.order;
import static recon.trade.TradeRecords.payment;
import static recon.trade.TradeRecords.shipment;

import io.recon.rules.Mismatch;
import io.recon.rules.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule "A paid order is shipped within 1 minute", written in the DSL (recon/trade/shipping.dslr). */
class APaidOrderIsShippedWithin1MinuteTest {

    private static final String RULE = "A paid order is shipped within 1 minute";

    private final Scenario scenario = Scenario.trade();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void aPaidOrderWithoutShipmentIsReportedAfterOneMinute() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0));

        scenario.advanceTo(59);
        assertThat(scenario.mismatches("MISSING_SHIPMENT")).isEmpty();

        scenario.advanceTo(60);
        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple("MISSING_SHIPMENT", Severity.P3, "O-1"));
        // The DSL sentence's reason is completed with the order id.
        assertThat(scenario.mismatches().get(0).getReason()).startsWith("Order O-1: it is PAID but has no shipment");
        assertThat(scenario.firings(RULE)).isEqualTo(1);
    }

    @Test
    void nearMissAShipmentAt59SecondsIsInTime() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0))
                .insert(shipment("S-1", "O-1", 59))
                .advanceTo(120);

        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void theMinuteStartsWhenTheSessionSeesTheOrderPaid() {
        // A timer counts from when the rule starts to match, here the update to PAID at 5 s,
        // not from the order's own timestamp (createdAt 0 s, which an update keeps).
        scenario.insert(order("O-1", "100.00", "CREATED", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0))
                .advanceTo(5)
                .update(order("O-1", "100.00", "PAID", 0, 5))
                .advanceTo(64);
        assertThat(scenario.mismatches("MISSING_SHIPMENT")).isEmpty();

        scenario.advanceTo(65);
        assertThat(scenario.mismatches("MISSING_SHIPMENT")).hasSize(1);
    }

    @Test
    void aLateShipmentHealsTheMismatch() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0)).advanceTo(60);
        assertThat(scenario.mismatches("MISSING_SHIPMENT")).hasSize(1);

        scenario.insert(shipment("S-1", "O-1", 90));

        assertThat(scenario.mismatches("MISSING_SHIPMENT")).isEmpty();
    }

    @Test
    void anOrderNotPaidIsNotExpectedToShip() {
        scenario.insert(order("O-1", "100.00", "CREATED", 0)).advanceTo(120);

        assertThat(scenario.mismatches("MISSING_SHIPMENT")).isEmpty();
    }
}
