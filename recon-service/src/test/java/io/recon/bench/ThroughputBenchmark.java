package io.recon.bench;

import io.recon.fact.FactEnvelope;
import io.recon.fact.FactPublisher;
import io.recon.fact.MappedFact;
import io.recon.session.SessionView;
import java.math.BigDecimal;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Events per second through Kafka -> sessions -> store: orders and payments published to the facts
 * topic (1 % of payments differ in amount, so the store writes mismatches too), timed until every
 * session has consumed and checkpointed them.
 */
final class ThroughputBenchmark {

    static void run(int orders) throws InterruptedException {
        try (BenchApp app = BenchApp.start(BenchApp.freshWorkDir("throughput"), "recon.demo.traffic=false")) {
            FactPublisher publisher = app.bean(FactPublisher.class);
            int partitions = app.sessions().size();
            long base = System.currentTimeMillis(); // event times from now on: no window has closed before its payment arrives
            long started = System.nanoTime();
            long records = 0;
            for (int i = 0; i < orders; i++) {
                String id = "B-" + i;
                long t = base + i / 2000;
                String amount = "100.00";
                publisher.publish("trade", FactEnvelope.upsert("shop-orders", new MappedFact("recon.trade.Order", id, id, t,
                        Map.of("orderId", id, "customerId", "C-1", "amount", amount, "currency", "EUR", "status", "PAID",
                                "createdAt", t, "updatedAt", t)), t));
                String paid = i % 100 == 0 ? "101.00" : amount;
                publisher.publish("trade", FactEnvelope.upsert("pay-payments", new MappedFact("recon.trade.Payment", "P-" + id, id, t + 1,
                        Map.of("paymentId", "P-" + id, "orderId", id, "amount", paid, "currency", "EUR", "status", "SUCCESS", "paidAt", t + 1)), t));
                records += 2;
                if (i % 1000 == 999) {
                    for (int p = 0; p < partitions; p++) {
                        publisher.publishWatermark("trade", p, t - 5_000);
                        records++;
                    }
                }
            }
            publisher.flush();
            double produced = (System.nanoTime() - started) / 1e9;
            long total = records;
            // The service's own watermark clock adds records too: done means every partition drained.
            while (app.sessions().stream().mapToLong(SessionView::nextOffset).sum() < total
                    || app.sessions().stream().anyMatch(s -> s.queueDepth() > 0 || s.lastCheckpoint() == null)) {
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(1500); // let the last checkpoint land
            long stored = app.bean(JdbcTemplate.class).queryForObject("select count(*) from mismatch where type = 'AMOUNT'", Long.class);
            System.out.printf("throughput  %d facts (+ watermarks) through Kafka -> %d sessions -> store: %.1f s, %,.0f events/s"
                            + " (publishing alone took %.1f s); AMOUNT mismatches stored: %d of %d expected%n",
                    orders * 2L, partitions, seconds, orders * 2 / seconds, produced, stored, orders / 100);
        }
    }

    private ThroughputBenchmark() {
    }
}
