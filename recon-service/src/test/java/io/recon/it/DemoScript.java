package io.recon.it;

import io.recon.demo.DemoSystems;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain writes into the demo systems, the way the shop, the payment service, the warehouse and the courier make them. */
final class DemoScript implements AutoCloseable {

    private final DemoSystems systems;
    private final KafkaProducer<String, String> courier;

    DemoScript(DemoSystems systems, String kafkaBootstrap) {
        this.systems = systems;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.courier = new KafkaProducer<>(props);
    }

    void order(String order, String amount, Instant createdAt) {
        systems.jdbc("shop").update("insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at) "
                + "values (?, 'C-1', ?, 'EUR', 'CREATED', ?, ?)", order, new BigDecimal(amount), ts(createdAt), ts(createdAt));
    }

    void markOrder(String order, String status) {
        systems.jdbc("shop").update("update orders set status = ?, updated_at = now() where order_id = ?", status, order);
    }

    /** Rewrites the row with the values it already has: Debezium still emits a change. */
    void touchOrder(String order) {
        systems.jdbc("shop").update("update orders set status = status where order_id = ?", order);
    }

    void payment(String payment, String order, String amount, String status, Instant paidAt) {
        systems.jdbc("pay").update("insert into payments (payment_id, order_id, amount, currency, status, paid_at) values (?, ?, ?, 'EUR', ?, ?)",
                payment, order, new BigDecimal(amount), status, ts(paidAt));
    }

    void shipment(String shipment, String order, Instant shippedAt) {
        systems.jdbc("wms").update("insert into shipments (shipment_id, order_id, carrier, status, shipped_at) values (?, ?, 'FastParcel', 'SHIPPED', ?)",
                shipment, order, ts(shippedAt));
    }

    void delivery(String delivery, String order, Instant deliveredAt) {
        courierMessage(order, "{\"delivery_id\":\"" + delivery + "\",\"order_id\":\"" + order
                + "\",\"courier\":\"FastParcel\",\"status\":\"DELIVERED\",\"delivered_at\":\"" + deliveredAt + "\"}");
    }

    void courierMessage(String key, String json) {
        try {
            courier.send(new ProducerRecord<>("courier.deliveries", key, json)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An order of 100.00 paid 105.00 and marked PAID: one AMOUNT mismatch. */
    void overpaidFlow(String order, Instant t0) {
        order(order, "100.00", t0);
        payment("P-" + order, order, "105.00", "SUCCESS", t0.plusMillis(200));
        markOrder(order, "PAID");
    }

    /** A complete, correct flow: paid, marked PAID, shipped, delivered. */
    void happyFlow(String order, String amount, Instant t0) {
        order(order, amount, t0);
        payment("P-" + order, order, amount, "SUCCESS", t0.plusMillis(300));
        markOrder(order, "PAID");
        shipment("S-" + order, order, t0.plusSeconds(1));
        delivery("D-" + order, order, t0.plusSeconds(2));
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    @Override
    public void close() {
        courier.close();
    }
}
