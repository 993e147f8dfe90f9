package io.recon.bench;

import com.sun.net.httpserver.HttpServer;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactPublisher;
import io.recon.fact.MappedFact;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code bin/recon bench alerts}: the action outbox on this machine, delivering to a local webhook.
 * <ul>
 * <li>dispatch throughput: a backlog of actions committed at once, timed until every one is DONE;</li>
 * <li>delay from the transaction that stores a mismatch (and its alert) to the alert arriving at the
 *     receiver, at a steady rate of AMOUNT mismatches flowing through Kafka and the sessions.</li>
 * </ul>
 */
final class AlertBenchmark {

    static void run(int backlog, int mismatchesPerSecond, int seconds) throws Exception {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            arrivals.putIfAbsent(exchange.getRequestHeaders().getFirst("Idempotency-Key"), System.currentTimeMillis());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (BenchApp app = BenchApp.start(BenchApp.freshWorkDir("alerts"), "recon.demo.traffic=false",
                "recon.alerts.channels.hook.kind=webhook", "recon.alerts.channels.hook.url=" + url,
                "recon.alerts.routes.trade.P2=hook", "recon.alerts.throttle.limit=1000000")) {
            JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
            throughput(jdbc, backlog);
            delay(app, jdbc, arrivals, mismatchesPerSecond, seconds);
        } finally {
            receiver.stop(0);
        }
    }

    private static void throughput(JdbcTemplate jdbc, int backlog) throws InterruptedException {
        String payload = "{\"task\":\"trade\",\"key\":\"K\",\"type\":\"AMOUNT\",\"severity\":\"P2\",\"reason\":\"benchmark\","
                + "\"rule\":\"r\",\"since\":\"2026-01-01T00:00:00Z\",\"link\":\"http://localhost:8080/api/mismatches/0\"}";
        long started = System.nanoTime();
        jdbc.batchUpdate("insert into action (idempotency_key, kind, task, channel, severity, payload) values (?, 'ALERT', 'trade', 'hook', 'P2', ?::jsonb)",
                IntStream.range(0, backlog).mapToObj(i -> new Object[] {"bench-" + i, payload}).toList());
        long committed = System.nanoTime();
        while (jdbc.queryForObject("select count(*) from action where status = 'DONE' and idempotency_key like 'bench-%'", Long.class) < backlog) {
            Thread.sleep(20);
        }
        double secs = (System.nanoTime() - committed) / 1e9;
        System.out.printf("alerts      dispatch: %,d queued actions delivered to a local webhook in %.2f s: %,.0f actions/s (queueing took %.2f s)%n",
                backlog, secs, backlog / secs, (committed - started) / 1e9);
    }

    private static void delay(BenchApp app, JdbcTemplate jdbc, Map<String, Long> arrivals, int perSecond, int seconds) throws InterruptedException {
        FactPublisher publisher = app.bean(FactPublisher.class);
        int total = perSecond * seconds;
        long start = System.currentTimeMillis();
        for (int i = 0; i < total; i++) {
            long due = start + i * 1000L / perSecond;
            long wait = due - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            String id = "LAT-" + i;
            long t = System.currentTimeMillis();
            publisher.publish("trade", FactEnvelope.upsert("shop-orders", new MappedFact("recon.trade.Order", id, id, t,
                    Map.of("orderId", id, "customerId", "C-1", "amount", "100.00", "currency", "EUR", "status", "PAID",
                            "createdAt", t, "updatedAt", t)), t));
            publisher.publish("trade", FactEnvelope.upsert("pay-payments", new MappedFact("recon.trade.Payment", "P-" + id, id, t + 1,
                    Map.of("paymentId", "P-" + id, "orderId", id, "amount", "101.00", "currency", "EUR", "status", "SUCCESS", "paidAt", t + 1)), t));
            publisher.flush();
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (jdbc.queryForObject("select count(*) from action where status = 'DONE' and idempotency_key like 'mismatch-%'", Long.class) < total
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        // The action row is inserted by the transaction that stores the mismatch; clock_timestamp() at the
        // end of that row's insert is the closest the database records to the commit.
        List<Long> delays = new ArrayList<>();
        jdbc.query("select idempotency_key, extract(epoch from created_at) * 1000 from action where idempotency_key like 'mismatch-%'", rs -> {
            Long arrived = arrivals.get(rs.getString(1));
            if (arrived != null) {
                delays.add(arrived - (long) rs.getDouble(2));
            }
        });
        delays.sort(null);
        if (delays.isEmpty()) {
            System.out.println("alerts      delay: no alert arrived");
            return;
        }
        System.out.printf("alerts      commit -> alert delivered: %d alerts at %d mismatches/s: p50 %d ms, p99 %d ms, max %d ms%n",
                delays.size(), perSecond, percentile(delays, 0.50), percentile(delays, 0.99), delays.get(delays.size() - 1));
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private AlertBenchmark() {
    }
}
