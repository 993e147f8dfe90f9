package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.delivery;
import static recon.trade.TradeRecords.shipment;

import io.recon.rules.Mismatch;
import io.recon.rules.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule "Every courier delivery belongs to a shipment". */
class EveryCourierDeliveryBelongsToAShipmentTest {

    private final Scenario scenario = Scenario.trade();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void aDeliveryWithoutShipmentIsAnOrphanAfter30Seconds() {
        scenario.insert(delivery("D-1", "O-1", 0));

        scenario.advanceTo(29);
        assertThat(scenario.mismatches()).isEmpty();

        scenario.advanceTo(30);
        assertThat(scenario.mismatches())
                .extracting(Mismatch::getType, Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple("ORPHAN_DELIVERY", Severity.P2, "O-1"));
        assertThat(scenario.mismatches().get(0).getReason()).contains("D-1", "O-1", "no shipment");
    }

    @Test
    void nearMissAShipmentRecordedAt29SecondsIsInTime() {
        scenario.insert(delivery("D-1", "O-1", 0), shipment("S-1", "O-1", 29)).advanceTo(90);

        assertThat(scenario.mismatches("ORPHAN_DELIVERY")).isEmpty();
    }

    @Test
    void aShipmentOfAnotherOrderDoesNotCount() {
        scenario.insert(delivery("D-1", "O-1", 0), shipment("S-2", "O-2", 0)).advanceTo(30);

        assertThat(scenario.mismatches("ORPHAN_DELIVERY")).extracting(Mismatch::getKey).containsExactly("O-1");
    }

    @Test
    void aLateShipmentRecordHealsTheOrphanDelivery() {
        scenario.insert(delivery("D-1", "O-1", 0)).advanceTo(40);
        assertThat(scenario.mismatches("ORPHAN_DELIVERY")).hasSize(1);

        scenario.insert(shipment("S-1", "O-1", 45));

        assertThat(scenario.mismatches("ORPHAN_DELIVERY")).isEmpty();
    }
}
