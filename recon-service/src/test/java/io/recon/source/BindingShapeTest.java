package io.recon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindingShapeTest {

    private static SourceBinding binding(Map<String, String> fields, Map<String, String> derived, String filter) {
        return new SourceBinding(SourceBinding.Kind.TOPIC, null, null, "t", "trade", "recon.trade.Payment", "orderId", "paymentId", "paidAt",
                fields, derived, filter);
    }

    @Test
    void renamesAndJsonPathsFillTheFactFields() {
        BindingShape shape = new BindingShape(binding(Map.of("orderId", "order_ref", "amount", "$.money.value", "sku", "$.items[1].sku"),
                Map.of(), null));
        Map<String, Object> out = shape.apply(Map.of("order_ref", "ORD-1", "money", Map.of("value", 12.5),
                "items", List.of(Map.of("sku", "A"), Map.of("sku", "B"))), true);
        assertThat(out).containsEntry("orderId", "ORD-1").containsEntry("amount", 12.5).containsEntry("sku", "B");
    }

    @Test
    void derivedFieldsAreComputedAndTheFilterDropsRecords() {
        BindingShape shape = new BindingShape(binding(Map.of(), Map.of("amount", "amountCents / 100.0"), "status != 'TEST'"));
        assertThat(shape.apply(Map.of("amountCents", 1250, "status", "PAID"), true)).containsEntry("amount", 12.5);
        assertThat(shape.apply(Map.of("amountCents", 1250, "status", "TEST"), true)).isNull();
        assertThat(shape.apply(Map.of("amountCents", 1250, "status", "TEST"), false)).as("a delete is never filtered").isNotNull();
    }

    @Test
    void anExpressionThatCallsTypesIsRefused() {
        BindingShape shape = new BindingShape(binding(Map.of(), Map.of("amount", "T(java.lang.System).exit(1)"), null));
        assertThatThrownBy(() -> shape.apply(Map.of("x", 1), true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("derived field amount cannot be computed");
    }
}
