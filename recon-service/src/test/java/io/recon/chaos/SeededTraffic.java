package io.recon.chaos;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo's order flows (order, payment, order marked PAID, shipment, courier delivery; 15 % with one fault,
 * 5 % paid late within the allowed lateness), written from outside the service so that they go on while it
 * is killed. Flow n's key, kind and amount depend only on the seed and n, so a run with kills and a run
 * without get the same traffic, and the ground truth (which key must end with which mismatch) is known
 * in advance. A write that fails (the database restarting) is retried until it succeeds, as a source system would.
 */
final class SeededTraffic implements AutoCloseable {

    enum Kind {
        NORMAL(null), LATE_IN_TIME(null), MISSING_PAYMENT("MISSING"), AMOUNT_DIFFERS("AMOUNT"), DUPLICATE_PAYMENT("DUPLICATE"),
        ORDER_NOT_MARKED_PAID("STATUS"), SHIPPED_UNPAID("UNPAID_SHIPMENT"), DELIVERY_WITHOUT_SHIPMENT("ORPHAN_DELIVERY");

        final String fault;

        Kind(String fault) {
            this.fault = fault;
        }
    }

    private static final List<Kind> FAULTS = List.of(Kind.MISSING_PAYMENT, Kind.AMOUNT_DIFFERS, Kind.DUPLICATE_PAYMENT,
            Kind.ORDER_NOT_MARKED_PAID, Kind.SHIPPED_UNPAID, Kind.DELIVERY_WITHOUT_SHIPMENT);
    /** Source transactions of a flow on average (a normal flow has five), to turn a tx rate into flows. */
    static final double TX_PER_FLOW = 5.0;

    private final long seed;
    private final Function<String, String> jdbcUrl;
    private final KafkaProducer<String, String> courier;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(8, r -> {
        Thread t = new Thread(r, "chaos-traffic");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ExecutorService courierThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chaos-courier");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong flows = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final Set<String> expected = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> paidAt = new ConcurrentHashMap<>();
    private final Map<String, Long> markedPaidAt = new ConcurrentHashMap<>();
    private final Set<String> heldBack = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** The moment the step being written was due, on the writing thread (see {@link #stampWhenDue}). */
    private final ThreadLocal<Instant> due = new ThreadLocal<>();
    private volatile boolean stampWhenDue;

    SeededTraffic(long seed, Function<String, String> jdbcUrl, String kafkaBootstrap) {
        this.seed = seed;
        this.jdbcUrl = jdbcUrl;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000"); // the broker is down while the service restarts
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.courier = new KafkaProducer<>(props);
    }

    /**
     * Event times become the moments the writes were due instead of the moments they succeeded: a source system whose
     * database is down stamps its business events when they happen and stores them once it is back. The traffic (and
     * with it the ground truth) is then the same whether a database was down or not.
     */
    void stampWhenDue() {
        stampWhenDue = true;
    }

    private Instant stamp() {
        Instant at = due.get();
        return stampWhenDue && at != null ? at : Instant.now();
    }

    /** Starts {@code flowsPerSecond} flows a second (in 10 steps a second) for {@code seconds}. */
    void run(double flowsPerSecond, int seconds) {
        long total = Math.round(flowsPerSecond * seconds);
        long started = System.currentTimeMillis();
        for (long n = 1; n <= total; n++) {
            long due = started + Math.round((n - 1) * 1000.0 / flowsPerSecond / 100) * 100;
            long flow = n;
            pending.incrementAndGet();
            scheduler.schedule(() -> startFlow(flow), Math.max(0, due - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        }
    }

    /** Whether every step of every flow has been written. */
    boolean done() {
        return pending.get() == 0;
    }

    long flows() {
        return flows.get();
    }

    /** Facts written: rows inserted or changed in the shop, pay and wms databases, and courier events. */
    long writes() {
        return writes.get();
    }

    /** "key type" of every fault injected: what Recon must report, and nothing else. */
    Set<String> expected() {
        return new TreeSet<>(expected);
    }

    static Kind kindOf(SplittableRandom random) {
        double roll = random.nextDouble();
        if (roll < 0.15) {
            return FAULTS.get(random.nextInt(FAULTS.size()));
        }
        return roll < 0.20 ? Kind.LATE_IN_TIME : Kind.NORMAL;
    }

    private void startFlow(long n) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + n);
        Kind kind = kindOf(random);
        String order = "O-" + seed + "-" + n;
        BigDecimal amount = BigDecimal.valueOf(random.nextInt(500, 50_000)).movePointLeft(2);
        int payDelay = random.nextInt(200, 800);
        Instant created = Instant.now();
        flows.incrementAndGet();
        if (kind.fault != null) {
            expected.add(order + " " + kind.fault);
        }
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(0, () -> sql("shop", "insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at)"
                + " values (?, 'C-1', ?, 'EUR', 'CREATED', ?, ?)", order, amount, ts(created), ts(created))));
        switch (kind) {
            case NORMAL -> paidShippedDelivered(steps, order, amount, payDelay, true);
            case LATE_IN_TIME -> {
                steps.add(new Step(32_000, () -> payment("P-" + order, order, amount, "SUCCESS", created.plusSeconds(28))));
                steps.add(new Step(32_000, () -> markOrder(order, "PAID")));
            }
            case MISSING_PAYMENT -> { }
            case AMOUNT_DIFFERS -> paidShippedDelivered(steps, order, amount.add(new BigDecimal("5.00")), payDelay, true);
            case DUPLICATE_PAYMENT -> {
                paidShippedDelivered(steps, order, amount, payDelay, true);
                steps.add(new Step(payDelay + 300, () -> payment("P-" + order + "-retry", order, amount, "SUCCESS", stamp())));
            }
            case ORDER_NOT_MARKED_PAID -> steps.add(new Step(payDelay, () -> payment("P-" + order, order, amount, "SUCCESS", stamp())));
            case SHIPPED_UNPAID -> {
                steps.add(new Step(payDelay, () -> payment("P-" + order, order, amount, "FAILED", stamp())));
                steps.add(new Step(payDelay, () -> markOrder(order, "PAYMENT_FAILED")));
                steps.add(new Step(payDelay + 1000, () -> shipment(order, stamp())));
            }
            case DELIVERY_WITHOUT_SHIPMENT -> paidShippedDelivered(steps, order, amount, payDelay, false);
        }
        runInOrder(steps, 0, created.toEpochMilli(), order);
    }

    private record Step(long atMillis, Runnable write) {
    }

    /**
     * Each step after the previous one has been written (a retried write delays the rest of its flow). A step that is
     * already due is written at once on the same thread: queued behind every other flow's retries instead (after a
     * database outage, hundreds of them), an order was marked PAID up to 30 s after its payment was written, a STATUS
     * that was real in the data as written but the generator's doing, not the outage's.
     */
    private void runInOrder(List<Step> steps, int i, long flowStart, String order) {
        if (i == steps.size()) {
            pending.decrementAndGet();
            return;
        }
        long wait = flowStart + steps.get(i).atMillis() - System.currentTimeMillis();
        if (wait > 0) {
            scheduler.schedule(() -> writeStep(steps, i, flowStart, order), wait, TimeUnit.MILLISECONDS);
        } else {
            writeStep(steps, i, flowStart, order);
        }
    }

    private void writeStep(List<Step> steps, int i, long flowStart, String order) {
        if (closed) {
            return;
        }
        Step step = steps.get(i);
        due.set(Instant.ofEpochMilli(flowStart + step.atMillis()));
        if (!attempt(step.write())) {
            heldBack.add(order);
            scheduler.schedule(() -> writeStep(steps, i, flowStart, order), 500, TimeUnit.MILLISECONDS);
            return;
        }
        writes.incrementAndGet();
        runInOrder(steps, i + 1, flowStart, order);
    }

    /**
     * Orders with a write that failed at least once (its database away) and was stored later, stamped when it was due:
     * late data as the source system wrote it, which the markers of the capture cannot know of before it is committed.
     * The clock may pass its event time meanwhile, so a check on it may open and heal once (see OutageAssertions).
     */
    Set<String> heldBack() {
        return new TreeSet<>(heldBack);
    }

    /**
     * Per order marked PAID after a successful payment: when (wall time) the payment's write and the PAID mark's write
     * returned, as the generator did them. Their distance is the source systems' own lateness, which the rule judges.
     */
    Map<String, long[]> paidThenMarked() {
        Map<String, long[]> both = new java.util.TreeMap<>();
        markedPaidAt.forEach((order, marked) -> {
            Long paid = paidAt.get(order);
            if (paid != null) {
                both.put(order, new long[] {paid, marked});
            }
        });
        return both;
    }

    /**
     * Event times are the moments of the writes, as the demo's generator does: a write that had to wait (the
     * database restarting) is a later event, consistent with its commit order across all systems.
     */
    private void paidShippedDelivered(List<Step> steps, String order, BigDecimal paid, int payDelay, boolean ship) {
        steps.add(new Step(payDelay, () -> payment("P-" + order, order, paid, "SUCCESS", stamp())));
        steps.add(new Step(payDelay, () -> markOrder(order, "PAID")));
        if (ship) {
            steps.add(new Step(payDelay + 1000, () -> shipment(order, stamp())));
        }
        // The courier is a system of its own: its events go out on its own thread, in order. KafkaProducer.send blocks
        // while the broker (which lives in the killed JVM) is down and the producer lacks the topic's metadata; on
        // the traffic's threads that held every other system's writes until the restarted broker answered, so a
        // payment made just before a kill was marked PAID half a minute later: a STATUS (or MISSING) that is real in
        // the source data, opens and heals, and exists only in the run with kills.
        steps.add(new Step(payDelay + 2500, () -> {
            ProducerRecord<String, String> delivery = new ProducerRecord<>("courier.deliveries", order, "{\"delivery_id\":\"D-"
                    + order + "\",\"order_id\":\"" + order + "\",\"courier\":\"FastParcel\",\"status\":\"DELIVERED\","
                    + "\"delivered_at\":\"" + stamp() + "\"}");
            pending.incrementAndGet();
            courierThread.execute(() -> {
                try {
                    courier.send(delivery, (metadata, error) -> pending.decrementAndGet());
                } catch (RuntimeException e) {
                    pending.decrementAndGet(); // closing
                }
            });
        }));
    }

    private void payment(String payment, String order, BigDecimal amount, String status, Instant paidAt) {
        sql("pay", "insert into payments (payment_id, order_id, amount, currency, status, paid_at) values (?, ?, ?, 'EUR', ?, ?)"
                + " on conflict do nothing", payment, order, amount, status, ts(paidAt));
        if (status.equals("SUCCESS")) {
            this.paidAt.putIfAbsent(order, System.currentTimeMillis());
        }
    }

    private void markOrder(String order, String status) {
        // a retried update finds the status already set and changes nothing: one fact change per step. The mark is
        // stamped like the payment beside it: with now() a mark held up by a database outage was 17 s later than its
        // payment (stamped when due), a STATUS and an UNPAID_SHIPMENT real in the data as written, the harness's doing
        sql("shop", "update orders set status = ?, updated_at = ? where order_id = ? and status <> ?", status, ts(stamp()), order, status);
        if (status.equals("PAID")) {
            markedPaidAt.putIfAbsent(order, System.currentTimeMillis());
        }
    }

    private void shipment(String order, Instant shippedAt) {
        sql("wms", "insert into shipments (shipment_id, order_id, carrier, status, shipped_at) values (?, ?, 'FastParcel', 'SHIPPED', ?)"
                + " on conflict do nothing", "S-" + order, order, ts(shippedAt));
    }

    private boolean attempt(Runnable write) {
        try {
            write.run();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** One statement on a connection of the calling thread; a broken connection is dropped and the write retried. */
    private void sql(String database, String sql, Object... args) {
        String name = database + "@" + Thread.currentThread().getId();
        try {
            Connection c = connections.get(name);
            if (c == null || c.isClosed()) {
                c = DriverManager.getConnection(jdbcUrl.apply(database), "postgres", "postgres");
                connections.put(name, c);
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                connections.remove(name);
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(database + ": " + e.getMessage(), e);
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        courierThread.shutdownNow();
        courier.close(java.time.Duration.ofSeconds(5));
        connections.values().forEach(c -> {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        });
    }
}
