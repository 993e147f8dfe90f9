package io.recon.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Writes realistic order -> payment -> shipment -> delivery flows into the demo systems with plain
 * SQL (and courier events to Kafka), injecting known faults and recording each in the fault ledger.
 */
@org.springframework.core.annotation.Order(3)
public class TrafficGenerator implements SmartLifecycle, io.recon.cluster.ClusterSingleton {

    private static final Logger log = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final List<FlowKind> FAULTS = List.of(FlowKind.MISSING_PAYMENT, FlowKind.AMOUNT_DIFFERS,
            FlowKind.DUPLICATE_PAYMENT, FlowKind.ORDER_NOT_MARKED_PAID, FlowKind.SHIPPED_UNPAID, FlowKind.DELIVERY_WITHOUT_SHIPMENT);

    private final DemoSystems systems;
    private final FaultLedger ledger;
    private final DemoProperties properties;
    private final String kafkaBootstrap;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong flows = new AtomicLong();
    private ScheduledExecutorService scheduler;
    private KafkaProducer<String, String> courier;
    private double owed;
    private volatile boolean running;
    private volatile boolean startingFlows = true;

    private final io.recon.cluster.ClusterProperties cluster;

    public TrafficGenerator(DemoSystems systems, FaultLedger ledger, DemoProperties properties, String kafkaBootstrap,
                            io.recon.cluster.ClusterProperties cluster) {
        this.cluster = cluster;
        this.systems = systems;
        this.ledger = ledger;
        this.properties = properties;
        this.kafkaBootstrap = kafkaBootstrap;
    }

    @Override
    public synchronized void start() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        courier = new KafkaProducer<>(props);
        scheduler = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-traffic");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::startFlows, 0, 100, TimeUnit.MILLISECONDS);
        running = true;
        log.info("demo traffic: {} order flows/s, {}% with a fault", properties.rate(), Math.round(properties.faultRatio() * 100));
    }

    private void startFlows() {
        if (!startingFlows) {
            return;
        }
        owed += properties.rate() / 10.0;
        while (owed >= 1) {
            owed -= 1;
            startFlow(pickKind());
        }
    }

    private FlowKind pickKind() {
        double roll = ThreadLocalRandom.current().nextDouble();
        if (roll < properties.faultRatio()) {
            return FAULTS.get(ThreadLocalRandom.current().nextInt(FAULTS.size()));
        }
        if (roll < properties.faultRatio() + properties.lateRatio()) {
            return FlowKind.LATE_IN_TIME;
        }
        return FlowKind.NORMAL;
    }

    void startFlow(FlowKind kind) {
        long n = flows.incrementAndGet();
        String order = "O-" + runId + "-" + n;
        BigDecimal amount = BigDecimal.valueOf(ThreadLocalRandom.current().nextInt(500, 50_000)).movePointLeft(2);
        Instant created = Instant.now();
        safely(() -> {
            insertOrder(order, amount, created);
            if (kind.faultType != null) {
                ledger.injected(order, kind.faultType);
            }
        });
        int payDelay = ThreadLocalRandom.current().nextInt(200, 800);
        switch (kind) {
            case NORMAL -> paidShippedDelivered(order, amount, payDelay, true, true);
            case LATE_IN_TIME -> later(32_000, () -> {
                insertPayment("P-" + order, order, amount, "SUCCESS", created.plusSeconds(28));
                markOrder(order, "PAID");
            });
            case MISSING_PAYMENT -> { }
            case AMOUNT_DIFFERS -> paidShippedDelivered(order, amount.add(new BigDecimal("5.00")), payDelay, true, true);
            case DUPLICATE_PAYMENT -> {
                paidShippedDelivered(order, amount, payDelay, true, true);
                later(payDelay + 300, () -> insertPayment("P-" + order + "-retry", order, amount, "SUCCESS", Instant.now()));
            }
            case ORDER_NOT_MARKED_PAID -> later(payDelay, () -> insertPayment("P-" + order, order, amount, "SUCCESS", Instant.now()));
            case SHIPPED_UNPAID -> {
                later(payDelay, () -> {
                    insertPayment("P-" + order, order, amount, "FAILED", Instant.now());
                    markOrder(order, "PAYMENT_FAILED");
                });
                later(payDelay + 1000, () -> insertShipment(order));
            }
            case DELIVERY_WITHOUT_SHIPMENT -> paidShippedDelivered(order, amount, payDelay, false, true);
        }
    }

    private void paidShippedDelivered(String order, BigDecimal paid, int payDelay, boolean ship, boolean deliver) {
        later(payDelay, () -> {
            insertPayment("P-" + order, order, paid, "SUCCESS", Instant.now());
            markOrder(order, "PAID");
        });
        if (ship) {
            later(payDelay + 1000, () -> insertShipment(order));
        }
        if (deliver) {
            later(payDelay + 2500, () -> courier.send(new ProducerRecord<>(properties.courierTopic(), order,
                    "{\"delivery_id\":\"D-" + order + "\",\"order_id\":\"" + order + "\",\"courier\":\"FastParcel\","
                            + "\"status\":\"DELIVERED\",\"delivered_at\":\"" + Instant.now() + "\"}")));
        }
    }

    private void insertOrder(String order, BigDecimal amount, Instant at) {
        systems.jdbc("shop").update("insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at) "
                        + "values (?, ?, ?, 'EUR', 'CREATED', ?, ?)", order, "C-" + ThreadLocalRandom.current().nextInt(1, 2000),
                amount.setScale(2, RoundingMode.HALF_UP), Timestamp.from(at), Timestamp.from(at));
    }

    private void markOrder(String order, String status) {
        systems.jdbc("shop").update("update orders set status = ?, updated_at = now() where order_id = ?", status, order);
    }

    private void insertPayment(String payment, String order, BigDecimal amount, String status, Instant paidAt) {
        systems.jdbc("pay").update("insert into payments (payment_id, order_id, amount, currency, status, paid_at) values (?, ?, ?, 'EUR', ?, ?)",
                payment, order, amount, status, Timestamp.from(paidAt));
    }

    private void insertShipment(String order) {
        systems.jdbc("wms").update("insert into shipments (shipment_id, order_id, carrier, status, shipped_at) values (?, ?, 'FastParcel', 'SHIPPED', now())",
                "S-" + order, order);
    }

    private void later(long delayMillis, Runnable step) {
        scheduler.schedule(() -> safely(step), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void safely(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (running) {
                log.warn("demo traffic step failed: {}", e.toString());
            }
        }
    }

    /** Starts no new flow; the flows under way run to their end (for a clean comparison with the ground truth). */
    public void stopStartingFlows() {
        startingFlows = false;
    }

    public long flowsStarted() {
        return flows.get();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (courier != null) {
            courier.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the sources (200): traffic starts once everything listens, and stops first. */
    @Override
    public int getPhase() {
        return 300;
    }

    /** With several instances ({@code recon.cluster.enabled}) only the one that runs the singletons starts this. */
    @Override
    public boolean isAutoStartup() {
        return !cluster.enabled();
    }
}
