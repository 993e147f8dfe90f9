package recon.trade;

import static recon.trade.Scenario.at;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import recon.trade.Scenario.Row;

/**
 * Sample source records of the trade task group, with only the fields a check looks at.
 * Amounts are written as text ("100.00") so that a test shows the exact decimal it means;
 * times are seconds after the scenario's start.
 */
final class TradeRecords {

    private TradeRecords() {
    }

    /** An order as the order system records it at {@code second} (created and last updated then). */
    static Row order(String orderId, String amount, String status, double second) {
        return order(orderId, amount, status, second, second);
    }

    /** An order created at {@code createdSecond} whose latest change happened at {@code updatedSecond}. */
    static Row order(String orderId, String amount, String status, double createdSecond, double updatedSecond) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("orderId", orderId);
        fields.put("customerId", "C-" + orderId);
        fields.put("amount", new BigDecimal(amount));
        fields.put("currency", "EUR");
        fields.put("status", status);
        fields.put("createdAt", at(createdSecond));
        fields.put("updatedAt", at(updatedSecond));
        return new Row("Order", fields);
    }

    /** The same record with one field changed, e.g. a payment in USD: {@code with(payment(..), "currency", "USD")}. */
    static Row with(Row row, String field, Object value) {
        Map<String, Object> fields = new HashMap<>(row.fields());
        fields.put(field, value);
        return new Row(row.type(), fields);
    }

    static Row payment(String paymentId, String orderId, String amount, String status, double second) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("paymentId", paymentId);
        fields.put("orderId", orderId);
        fields.put("amount", new BigDecimal(amount));
        fields.put("currency", "EUR");
        fields.put("status", status);
        fields.put("paidAt", at(second));
        return new Row("Payment", fields);
    }

    static Row shipment(String shipmentId, String orderId, double second) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("shipmentId", shipmentId);
        fields.put("orderId", orderId);
        fields.put("carrier", "DHL");
        fields.put("status", "SHIPPED");
        fields.put("shippedAt", at(second));
        return new Row("Shipment", fields);
    }

    static Row delivery(String deliveryId, String orderId, double second) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("deliveryId", deliveryId);
        fields.put("orderId", orderId);
        fields.put("courier", "FastCourier");
        fields.put("status", "DELIVERED");
        fields.put("deliveredAt", at(second));
        return new Row("Delivery", fields);
    }
}
