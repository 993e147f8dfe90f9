package io.recon.bench;

import io.recon.demo.DemoSystems;
import io.recon.offline.OfflineBenchSupport;
import io.recon.offline.OfflineRuns;
import io.recon.source.CdcSources;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@code bin/recon bench offline}: a batch run of the trade task over one day with {@code rows} rows in each of its three
 * tables (orders, payments, shipments; one payment in 1,000 for another amount), seeded with COPY while capture is stopped
 * (the live path would otherwise take the same rows at once); then the same day with the payments read from a
 * {@code rows}-row CSV statement file instead. Prints records/s, wall time and the peak heap sampled during each run.
 */
final class OfflineBenchmark {

    private static final Instant DAY = Instant.parse("2026-01-05T00:00:00Z");
    private static final long DAY_MS = 86_400_000L;

    private OfflineBenchmark() {
    }

    static void run(int rows) throws Exception {
        try (BenchApp app = BenchApp.start(BenchApp.freshWorkDir("offline"), "recon.demo.traffic=false")) {
            app.bean(CdcSources.class).stop(); // the bench measures the batch run alone
            DemoSystems systems = app.bean(DemoSystems.class);
            long seedStart = System.nanoTime();
            copy(systems.jdbc("shop").getDataSource(), "copy orders (order_id, customer_id, amount, currency, status, created_at, updated_at)"
                    + " from stdin (format csv)", rows, i -> "B-" + i + ",C-" + (i % 1000) + ",100.00,EUR,PAID," + at(i, rows, 0) + "," + at(i, rows, 1500) + "\n");
            copy(systems.jdbc("pay").getDataSource(), "copy payments (payment_id, order_id, amount, currency, status, paid_at) from stdin (format csv)",
                    rows, i -> "P-B-" + i + ",B-" + i + "," + amount(i) + ",EUR,SUCCESS," + at(i, rows, 200) + "\n");
            copy(systems.jdbc("wms").getDataSource(), "copy shipments (shipment_id, order_id, carrier, status, shipped_at) from stdin (format csv)",
                    rows, i -> "S-B-" + i + ",B-" + i + ",DHL,SHIPPED," + at(i, rows, 1000) + "\n");
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            Path csv = BenchApp.freshWorkDir("offline-csv").resolve("settlement.csv");
            try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                w.write("Reference,Order,Amount,Currency,Status,Paid at\n");
                for (int i = 0; i < rows; i++) {
                    w.write("P-B-" + i + ",B-" + i + "," + amount(i) + ",EUR,SUCCESS," + at(i, rows, 200) + "\n");
                }
            }
            OfflineRuns runs = app.bean(OfflineRuns.class);
            List<String> lines = new ArrayList<>(List.of(
                    "| sources | records read | wall time (s) | records/s | service JVM CPU (s) | records per CPU second | peak heap used (MB) | peak heap after a GC (MB) | findings (AMOUNT expected " + rows / 1000 + ") |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|---:|"));
            lines.add(measure(runs, "3 tables (orders, payments, shipments)", Map.of()));
            long file = OfflineBenchSupport.upload(app.context, csv, "bench");
            OfflineBenchSupport.map(app.context, "pay-payments", Map.of("paymentId", "Reference", "orderId", "Order", "amount", "Amount",
                    "currency", "Currency", "status", "Status", "paidAt", "Paid at"), "bench");
            lines.add(measure(runs, "2 tables + payments from a CSV file (" + (Files.size(csv) >> 20) + " MB)", Map.of("pay-payments", file)));
            BenchResults.table(String.format("Offline batch run: %,d rows per source over one day (seeded with COPY in %.1f s)", rows, seedSeconds),
                    lines, "One run at a time, rules 1.0.0 on fresh sessions (one per partition of the task), event-time clock stepped by the second; max heap "
                            + (Runtime.getRuntime().maxMemory() >> 20) + " MB. Heap sampled every 50 ms: used (garbage included) and"
                            + " what the latest collection left. CPU: the whole service JVM during the run (its sessions, the reading ahead, GC; PostgreSQL's side not in it).");
        }
    }

    private static String measure(OfflineRuns runs, String what, Map<String, Long> files) throws Exception {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        AtomicLong peakAfterGc = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                peakAfterGc.accumulateAndGet(afterLastGc(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        long cpuBefore = jvmCpu();
        long id = runs.start("trade", DAY, DAY.plusMillis(DAY_MS), null, files, "bench");
        OfflineRuns.RunView run = runs.find(id).orElseThrow();
        while (run.status().equals("RUNNING")) {
            Thread.sleep(100);
            run = runs.find(id).orElseThrow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (jvmCpu() - cpuBefore) / 1e9;
        sampler.interrupt();
        if (!run.status().equals("DONE")) {
            throw new IllegalStateException("the run ended " + run.status() + ": " + run.error());
        }
        long findings = runs.findings(id).stream().filter(f -> f.type().equals("AMOUNT")).count();
        return String.format("| %s | %,d | %.1f | %,.0f | %.1f | %,.0f | %,d | %,d | %,d AMOUNT, %,d in all |", what, run.recordsRead(), seconds,
                run.recordsRead() / seconds, cpu, run.recordsRead() / cpu, peak.get() >> 20, peakAfterGc.get() >> 20, findings,
                runs.findings(id).size());
    }

    /** The heap in use right after the latest collection (what survived it: the live set, not garbage not yet collected). */
    private static long afterLastGc() {
        long most = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean g && g.getLastGcInfo() != null) {
                long sum = 0;
                for (var usage : g.getLastGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (!usage.getKey().contains("Metaspace") && !usage.getKey().contains("CodeHeap") && !usage.getKey().contains("Class")) {
                        sum += usage.getValue().getUsed();
                    }
                }
                most = Math.max(most, sum);
            }
        }
        return most;
    }

    /**
     * CPU time of this JVM so far (ns), the service's run included: on a machine shared with other builds the wall time
     * says more about them; this says what the run itself costs (PostgreSQL's side of the reading is not in it).
     */
    private static long jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Rows in batches of 10,000 through one COPY. */
    private static void copy(DataSource ds, String sql, int rows, IntFunction<String> line) throws Exception {
        try (Connection c = ds.getConnection()) {
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < rows; i++) {
                batch.append(line.apply(i));
                if (i % 10_000 == 9_999 || i == rows - 1) {
                    byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
                    in.writeToCopy(bytes, 0, bytes.length);
                    batch.setLength(0);
                }
            }
            in.endCopy();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** The i-th order's moment plus an offset, spread evenly over the day. */
    private static String at(int i, int rows, long plusMillis) {
        return DAY.plusMillis(i * (DAY_MS / rows) + plusMillis).toString();
    }

    private static String amount(int i) {
        return i % 1000 == 500 ? "101.00" : "100.00"; // not the first: its detection falls before the day (the clock runs the allowed lateness behind)
    }
}
