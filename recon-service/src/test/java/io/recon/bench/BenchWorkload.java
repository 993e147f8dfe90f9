package io.recon.bench;

import io.recon.fact.FactEnvelope;
import io.recon.fact.MappedFact;
import java.util.Map;

/**
 * The records every throughput contender reads: orders and payments in the service's own facts-topic
 * format (as the shop and payment sources write them), with the watermarks the service's clock would
 * write, in event-time order. Order {@code i} is placed at {@code base + i * spacingMs}; its payment
 * follows {@code paymentLag} orders later (inside the 30 s window). One order in 200 is paid a different
 * amount (AMOUNT) and one in 200 is never paid (MISSING): 1 % mismatches.
 *
 * <p>The sample rules keep every fact for 10 minutes of event time ({@code @expires(10m)}), so the
 * spacing sets the live state: 600 ms per order holds about 2k live facts, 12 ms about 100k.
 *
 * @param name        what the tables call it
 * @param orders      how many orders
 * @param spacingMs   event time between two orders
 * @param paymentLag  orders between an order and its payment
 */
record BenchWorkload(String name, int orders, double spacingMs, int paymentLag) {

    static final String TASK = "trade";
    static final long LATENESS_MS = 5_000;
    static final long WINDOW_MS = 30_000;
    static final long EXPIRES_MS = 600_000;
    /** Watermarks at most this far apart in event time: a fact more than 2 x lateness ahead of the clock would wait. */
    private static final long WATERMARK_STEP_MS = 4_000;

    static BenchWorkload smallState(int orders) {
        return new BenchWorkload("small state (600 ms between orders: ~2k live facts)", orders, 600, 2);
    }

    static BenchWorkload largeState(int orders) {
        return new BenchWorkload("large state (12 ms between orders: ~100k live facts from 50k orders on, ~1.7k open 30 s windows)", orders, 12, 1_700);
    }

    static boolean amountDiffers(int order) {
        return order % 200 == 0;
    }

    static boolean unpaid(int order) {
        return order % 200 == 100;
    }

    long expectedAmount() {
        return (orders + 199) / 200;
    }

    long expectedMissing() {
        return orders > 100 ? (orders - 101) / 200 + 1 : 0;
    }

    long facts() {
        return 2L * orders - expectedMissing();
    }

    /**
     * Writes the workload to the task group's facts topic and waits until the broker has it.
     * Event times start a day ahead of the wall clock, so the service's own wall-time watermarks
     * (written while its demo sources are idle) stay behind and change nothing.
     *
     * @return the records written (facts and watermarks)
     */
    long publish(TopicWriter publisher, int partitions) throws InterruptedException {
        return publish(publisher, partitions, System.currentTimeMillis() + 24 * 3600_000L, "B-");
    }

    /**
     * As {@link #publish(TopicWriter, int)}, from event time {@code base}, with order ids {@code prefix + i}: a second load
     * into the same service starts after the first one's {@link #span} and has ids of its own (a mismatch is stored once).
     */
    long publish(TopicWriter publisher, int partitions, long base, String prefix) throws InterruptedException {
        long records = 0;
        long lastWatermark = base;
        for (int p = 0; p < partitions; p++) {
            publisher.publishWatermarkWhenAccepted(TASK, p, base - LATENESS_MS);
            records++;
        }
        for (int i = 0; i < orders + paymentLag; i++) {
            long t = time(base, i);
            if (i < orders) {
                String id = prefix + i;
                publisher.publish(TASK, FactEnvelope.upsert("shop-orders", new MappedFact("recon.trade.Order", id, id, t,
                        Map.of("orderId", id, "customerId", "C-1", "amount", "100.00", "currency", "EUR", "status", "PAID",
                                "createdAt", t, "updatedAt", t)), t));
                records++;
            }
            int paid = i - paymentLag;
            if (paid >= 0 && !unpaid(paid)) {
                String id = prefix + paid;
                publisher.publish(TASK, FactEnvelope.upsert("pay-payments", new MappedFact("recon.trade.Payment", "P-" + id, id, t,
                        Map.of("paymentId", "P-" + id, "orderId", id, "amount", amountDiffers(paid) ? "101.00" : "100.00",
                                "currency", "EUR", "status", "SUCCESS", "paidAt", t)), t));
                records++;
            }
            if (t - lastWatermark >= WATERMARK_STEP_MS) {
                for (int p = 0; p < partitions; p++) {
                    publisher.publishWatermark(TASK, p, t - LATENESS_MS);
                    records++;
                }
                lastWatermark = t;
            }
        }
        // the last windows close: every MISSING is due inside the workload
        long end = base + span();
        for (int p = 0; p < partitions; p++) {
            publisher.publishWatermark(TASK, p, end);
            records++;
        }
        publisher.flush();
        return records;
    }

    /** The event time from the first record to the last watermark. */
    long span() {
        return time(0, orders + paymentLag) + WINDOW_MS + LATENESS_MS + 1_000;
    }

    private long time(long base, int i) {
        return base + (long) (i * spacingMs);
    }
}
