package io.recon.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.recon.demo.DemoSystems;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Source commit -> stored mismatch, for AMOUNT mismatches, while the source databases take a steady
 * rate of transactions: each flow is an order insert (shop) and, 100 ms later, a payment insert (pay);
 * one payment in ten differs in amount. The figure is Recon's own metric recon.mismatch.latency
 * (Debezium's commit timestamp of the payment to the mismatch's transaction committed).
 */
final class LatencyBenchmark {

    /** Runs each rate on a fresh service and writes one table. */
    static void table(int seconds, int... rates) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("| source tx/s asked | achieved | Recon's histogram p50 / p99 (ms, bucket bound) | outside clock p50 / p99 / max (ms) | mismatches stored / expected |");
        lines.add("|---:|---:|---:|---:|---:|");
        for (int rate : rates) {
            lines.add(run(rate, seconds));
        }
        BenchResults.table("Latency: source commit -> stored AMOUNT mismatch, steady state (" + seconds + " s per rate, first "
                        + WARMUP_SECONDS + " s warm-up not counted)", lines,
                "Each flow is an order insert (shop database) and 100 ms later a payment insert (pay database); one payment in ten"
                        + " differs in amount. Recon's histogram: its metric recon.mismatch.latency (Debezium's commit timestamp to the"
                        + " mismatch's transaction committed), read as the upper bound of its histogram bucket. Outside clock: the"
                        + " writer's wall time when the payment's commit returned to the JDBC reader seeing the row (polled every 5 ms).");
    }

    private static String run(int transactionsPerSecond, int seconds) throws Exception {
        try (BenchApp app = BenchApp.start(BenchApp.freshWorkDir("latency"), "recon.demo.traffic=false");
             OutsideClock outside = new OutsideClock(app.bean(JdbcTemplate.class), "AMOUNT")) {
            DemoSystems systems = app.bean(DemoSystems.class);
            JdbcTemplate shop = systems.jdbc("shop");
            JdbcTemplate pay = systems.jdbc("pay");
            ExecutorService writers = Executors.newFixedThreadPool(16);
            var scheduler = Executors.newSingleThreadScheduledExecutor();
            AtomicLong committed = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong mismatching = new AtomicLong(); // committed payments of another amount: the mismatches due
            int flows = transactionsPerSecond / 2 * seconds;
            int warmupFlows = transactionsPerSecond / 2 * WARMUP_SECONDS;
            HistogramSnapshot afterWarmup = null;
            long warmupWall = Long.MAX_VALUE;
            long intervalNanos = 1_000_000_000L * 2 / transactionsPerSecond;
            long start = System.nanoTime();
            for (int i = 0; i < flows; i++) {
                int n = i;
                long due = start + n * intervalNanos;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                if (n == warmupFlows) {
                    afterWarmup = latencyTimer(app).takeSnapshot();
                    warmupWall = System.currentTimeMillis();
                }
                writers.submit(() -> {
                    String order = "L-" + n;
                    try {
                        shop.update("insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at)"
                                + " values (?, 'C-1', 100.00, 'EUR', 'PAID', now(), now())", order);
                        committed.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                });
                scheduler.schedule(() -> writers.submit(() -> {
                    try {
                        pay.update("insert into payments (payment_id, order_id, amount, currency, status, paid_at) values (?, ?, ?, 'EUR', 'SUCCESS', ?)",
                                "P-L-" + n, "L-" + n, n % 10 == 0 ? new BigDecimal("101.00") : new BigDecimal("100.00"), Timestamp.from(Instant.now()));
                        if (n % 10 == 0) {
                            outside.committed("L-" + n);
                            mismatching.incrementAndGet();
                        }
                        committed.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }), 100, TimeUnit.MILLISECONDS);
            }
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            writers.shutdown();
            writers.awaitTermination(60, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long expected = mismatching.get();
            JdbcTemplate recon = app.bean(JdbcTemplate.class);
            long deadline = System.currentTimeMillis() + 60_000;
            while (recon.queryForObject("select count(*) from mismatch where type = 'AMOUNT'", Long.class) < expected
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            long stored = recon.queryForObject("select count(*) from mismatch where type = 'AMOUNT'", Long.class);
            Timer latency = latencyTimer(app);
            HistogramSnapshot end = latency.takeSnapshot();
            double p50 = 0;
            double p99 = 0;
            for (ValueAtPercentile v : latency.takeSnapshot().percentileValues()) {
                if (v.percentile() == 0.5) {
                    p50 = v.value(TimeUnit.MILLISECONDS);
                } else if (v.percentile() == 0.99) {
                    p99 = v.value(TimeUnit.MILLISECONDS);
                }
            }
            Thread.sleep(200); // the reader's last poll
            long[] outsideFigures = outside.percentiles(warmupWall);
            System.out.printf("latency     %,5d source tx/s asked, %,6.0f achieved (%d commits, %d failed, %.1f s): whole run p50 %.0f ms,"
                            + " p99 %.0f ms, max %.0f ms%n", transactionsPerSecond, committed.get() / elapsed, committed.get(), failed.get(),
                    elapsed, p50, p99, latency.max(TimeUnit.MILLISECONDS));
            return String.format("| %,d | %,.0f | %s / %s | %d / %d / %d (%d rows) | %d / %d |", transactionsPerSecond,
                    committed.get() / elapsed, bucketPercentile(afterWarmup, end, 0.5), bucketPercentile(afterWarmup, end, 0.99),
                    outsideFigures[0], outsideFigures[1], outsideFigures[2], outsideFigures[3], stored, expected);
        }
    }

    private static final int WARMUP_SECONDS = 10;

    private static Timer latencyTimer(BenchApp app) {
        Timer timer = app.bean(MeterRegistry.class).find("recon.mismatch.latency").tags("type", "AMOUNT").timer();
        if (timer == null) {
            // before the first mismatch: register it the way the sessions do, so snapshots can be taken
            timer = Timer.builder("recon.mismatch.latency").tags("task", "trade", "type", "AMOUNT")
                    .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(app.bean(MeterRegistry.class));
        }
        return timer;
    }

    /** The percentile of what was recorded between two snapshots, as "<= upper bound of its histogram bucket". */
    static String bucketPercentile(HistogramSnapshot from, HistogramSnapshot to, double percentile) {
        if (from == null) {
            return "n/a";
        }
        CountAtBucket[] a = from.histogramCounts();
        CountAtBucket[] b = to.histogramCounts();
        double total = to.count() - from.count();
        if (total <= 0 || a.length != b.length) {
            return "n/a";
        }
        for (int i = 0; i < b.length; i++) {
            if (b[i].count() - a[i].count() >= percentile * total) {
                return "<= " + Math.round(b[i].bucket(TimeUnit.MILLISECONDS));
            }
        }
        return "> " + Math.round(b[b.length - 1].bucket(TimeUnit.MILLISECONDS));
    }

    private LatencyBenchmark() {
    }
}
