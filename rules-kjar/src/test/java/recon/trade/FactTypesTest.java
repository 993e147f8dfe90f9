package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.definition.type.FactType;
import org.kie.api.definition.type.FactField;

/**
 * The declared fact types are a contract with the service's source bindings (column order_id
 * fills field orderId): renaming a field or changing its type breaks the feed silently, so it
 * must break this test first.
 */
class FactTypesTest {

    private final KieBase trade = KieServices.get().getKieClasspathContainer().getKieBase("trade");

    @Test
    void theFieldsAreTheOnesTheServiceMapsOnto() {
        assertThat(fields("Order")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "orderId", String.class, "customerId", String.class, "amount", BigDecimal.class,
                "currency", String.class, "status", String.class, "createdAt", long.class, "updatedAt", long.class));
        assertThat(fields("Payment")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "paymentId", String.class, "orderId", String.class, "amount", BigDecimal.class,
                "currency", String.class, "status", String.class, "paidAt", long.class));
        assertThat(fields("Shipment")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "shipmentId", String.class, "orderId", String.class, "carrier", String.class,
                "status", String.class, "shippedAt", long.class));
        assertThat(fields("Delivery")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "deliveryId", String.class, "orderId", String.class, "courier", String.class,
                "status", String.class, "deliveredAt", long.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Order", "Payment", "Shipment", "Delivery"})
    void everyTypeIsAnEventWithItsOwnTimestampAndAnExplicitExpiry(String type) {
        Map<String, Object> meta = factType(type).getMetaData();
        assertThat(meta).containsEntry("role", "event").containsKey("timestamp").containsEntry("expires", "10m");
        assertThat(fields(type)).containsEntry(meta.get("timestamp").toString(), long.class);
    }

    private Map<String, Class<?>> fields(String type) {
        Map<String, Class<?>> fields = new LinkedHashMap<>();
        for (FactField field : factType(type).getFields()) {
            fields.put(field.getName(), field.getType());
        }
        return fields;
    }

    private FactType factType(String type) {
        FactType factType = trade.getFactType("recon.trade", type);
        assertThat(factType).as(type + " is declared in recon.trade").isNotNull();
        return factType;
    }
}
