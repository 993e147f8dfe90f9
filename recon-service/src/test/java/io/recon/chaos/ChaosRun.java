package io.recon.chaos;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One run of the demo traffic against a service JVM, with or without SIGKILLs: starts the service, drives
 * the seeded traffic, kills and restarts the service at random moments (every second kill while an alert
 * is being delivered), waits until every window of the traffic has closed and every alert is out, and
 * reads what Recon stored and what the alert receiver got.
 */
final class ChaosRun {

    /**
     * @param seed    the traffic and the kill moments
     * @param txRate  source transactions per second
     * @param seconds how long new flows start
     * @param kills   SIGKILLs during the run
     * @param outageSeconds how long {@code outage} is stopped once during the traffic (0: no outage, but the layout of
     *                that outage, for a run to compare with)
     * @param jar     the service jar, or null for this JVM's class path
     * @param outage  which dependency goes away
     */
    record Options(long seed, int txRate, int seconds, int kills, int outageSeconds, Path jar, Path rulesRepository, Outage outage) {

        /** A run with kills, or an outage of the results PostgreSQL when {@code outageSeconds > 0}. */
        Options(long seed, int txRate, int seconds, int kills, int outageSeconds, Path jar, Path rulesRepository) {
            this(seed, txRate, seconds, kills, outageSeconds, jar, rulesRepository, outageSeconds > 0 ? Outage.PG : Outage.NONE);
        }
    }

    /** One restart: from the SIGKILL until the service answered UP, and until its clock passed the moment of the kill. */
    record Restart(boolean duringAlert, long upMillis, long liveMillis) {
    }

    /**
     * @param findings  "task key type" -> "final status, opened N×" from the mismatch table and its history
     * @param alerts    alert identity ("ALERT task key type #occurrence") -> deliveries the receiver counted
     * @param checked   facts checked in /api/stats (all buckets)
     * @param heldBack  orders with a source write that failed and was stored later (see {@link SeededTraffic#heldBack})
     */
    record Outcome(Map<String, String> findings, Map<String, Long> alerts, long duplicateDeliveries, long checked, long writes,
                   long flows, java.util.Set<String> expected, List<Restart> restarts, long pendingActions, long resumeMillis,
                   String healthDuringOutage, Map<String, Long> paidToMarkedMillis, java.util.Set<String> markedAcrossOutage,
                   java.util.Set<String> heldBack) {
    }

    /** How long a start or a catch-up may take; a machine shared with other work needs more (-Dchaos.timeout-minutes). */
    private static final Duration PATIENCE = Duration.ofMinutes(Long.getLong("chaos.timeout-minutes", 8));

    /** Allowed lateness of the demo task group: the clock trails the newest event by this. */
    private static final long LATENESS_MS = 5_000;

    private ChaosRun() {
    }

    static Outcome run(Options o, Path workDir, java.util.function.Consumer<String> progress) throws Exception {
        SplittableRandom random = new SplittableRandom(o.seed() ^ 0x5DEECE66DL);
        try (Layout layout = Layout.of(o.outage(), workDir);
             AlertReceiver receiver = new AlertReceiver();
             ServiceProcess service = new ServiceProcess(workDir, o.jar(), o.rulesRepository(), layout.settings(settings(receiver.url())))) {
            service.start();
            long firstUp = service.awaitUp(PATIENCE);
            progress.accept("service up in " + firstUp + " ms (work dir " + workDir + ")");
            List<Restart> restarts = new ArrayList<>();
            try (SeededTraffic traffic = new SeededTraffic(o.seed(), layout.jdbcUrl(service), layout.bootstrap(service))) {
                if (o.outage() == Outage.SOURCE) {
                    traffic.stampWhenDue();
                }
                traffic.run(o.txRate() / SeededTraffic.TX_PER_FLOW, o.seconds());
                long trafficEnd = System.currentTimeMillis() + o.seconds() * 1000L;
                for (int k = 1; k <= o.kills(); k++) {
                    long spare = Math.max(2_000, (trafficEnd - System.currentTimeMillis()) / (o.kills() - k + 1) - 20_000);
                    Thread.sleep(2_000 + random.nextLong(Math.max(1, spare)));
                    boolean duringAlert = k % 2 == 0;
                    long killedAt = duringAlert ? killDuringAlert(service, receiver) : killNow(service);
                    boolean wasDuringAlert = duringAlert && killedAt > 0;
                    if (killedAt <= 0) {
                        killedAt = killNow(service);
                    }
                    service.start();
                    service.awaitUp(PATIENCE);
                    long up = System.currentTimeMillis() - killedAt;
                    long live = awaitLive(service, killedAt - LATENESS_MS, PATIENCE) - killedAt;
                    restarts.add(new Restart(wasDuringAlert, up, live));
                    progress.accept("kill " + k + (wasDuringAlert ? " (during an alert delivery)" : "") + ": up after " + up
                            + " ms, live after " + live + " ms");
                }
                long resume = -1;
                long stopped = 0;
                long restored = 0;
                String health = null;
                if (o.outageSeconds() > 0) {
                    Thread.sleep(Math.min(10_000, o.seconds() * 300L));
                    layout.stop(service);
                    stopped = System.currentTimeMillis();
                    progress.accept(o.outage().what + " stopped for " + o.outageSeconds() + " s");
                    // what operators see meanwhile: the last look that shows something DOWN (every 2 s, from 5 s in)
                    Thread.sleep(5_000);
                    while (System.currentTimeMillis() < stopped + o.outageSeconds() * 1000L - 2_000) {
                        String now = healthNow(service);
                        if (health == null || now.contains("\"DOWN\"") || !health.contains("\"DOWN\"")) {
                            health = now;
                        }
                        Thread.sleep(2_000);
                    }
                    Thread.sleep(Math.max(0, stopped + o.outageSeconds() * 1000L - System.currentTimeMillis()));
                    layout.start(service);
                    restored = System.currentTimeMillis();
                    resume = awaitResumed(service, restored - LATENESS_MS, PATIENCE) - restored;
                    progress.accept(o.outage().what + " back; the sessions and sources were live again " + resume
                            + " ms later. Health during the outage: " + health);
                }
                while (!traffic.done()) {
                    Thread.sleep(500);
                }
                long lastWrite = System.currentTimeMillis();
                progress.accept("traffic done: " + traffic.flows() + " flows, " + traffic.writes() + " source transactions; draining");
                // every window of the last flows closes (payment 30 s, + lateness), then the outbox empties
                awaitLive(service, lastWrite + 31_000, PATIENCE);
                long pending = awaitOutboxEmpty(service, Duration.ofMinutes(2));
                Outcome outcome = collect(service, receiver, traffic, restarts, pending, resume, health, stopped, restored);
                progress.accept("run done: " + outcome.findings().size() + " findings, " + outcome.alerts().size() + " alerts");
                return outcome;
            }
        }
    }

    /** {@code /actuator/health} and {@code /actuator/recon} as the operator sees them, or why they did not answer. */
    private static String healthNow(ServiceProcess service) {
        StringBuilder out = new StringBuilder();
        for (String path : List.of("/actuator/health", "/actuator/recon")) {
            try {
                out.append(path).append(": ").append(service.get(path)).append('\n');
            } catch (Exception e) {
                out.append("no answer (").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    /** Waits until the sessions are live past {@code eventTime} and every source runs again; @return the wall time then. */
    private static long awaitResumed(ServiceProcess service, long eventTime, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            awaitLive(service, eventTime, Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())));
            try {
                boolean running = true;
                for (JsonNode source : ServiceProcess.JSON.readTree(service.get("/actuator/recon")).get("sources")) {
                    running &= "RUNNING".equals(source.get("state").asString());
                }
                if (running) {
                    return System.currentTimeMillis();
                }
            } catch (java.io.IOException e) {
                // not answering yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the sources did not all run again within " + timeout);
    }

    static List<String> settings(String alertUrl) {
        return List.of("recon.alerts.channels.hook.kind=webhook", "recon.alerts.channels.hook.url=" + alertUrl,
                "recon.alerts.routes.default.P1=hook", "recon.alerts.routes.default.P2=hook", "recon.alerts.routes.default.P3=hook",
                "recon.alerts.routes.default.P4=hook",
                // one alert per mismatch, so that alerts can be compared one by one between runs
                "recon.alerts.throttle.limit=1000000", "recon.alerts.digest.severities=NONE");
    }

    private static long killNow(ServiceProcess service) throws InterruptedException {
        long at = System.currentTimeMillis();
        service.kill();
        return at;
    }

    /** @return when the kill happened, or 0 if no alert was delivered within 20 s */
    private static long killDuringAlert(ServiceProcess service, AlertReceiver receiver) throws Exception {
        CompletableFuture<Long> killed = new CompletableFuture<>();
        receiver.killOnNextAlert(() -> {
            long at = System.currentTimeMillis();
            try {
                service.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            killed.complete(at);
        });
        try {
            return killed.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            receiver.killOnNextAlert(null);
            return killed.isDone() ? killed.get() : 0;
        }
    }

    /** Waits until every session runs live and its clock has passed {@code eventTime}; @return the wall time then. */
    static long awaitLive(ServiceProcess service, long eventTime, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            try {
                JsonNode sessions = service.sessions();
                boolean live = sessions.size() > 0;
                for (JsonNode s : sessions) {
                    JsonNode wm = s.get("watermark");
                    live &= "RUNNING".equals(s.get("state").asString()) && wm != null && !wm.isNull()
                            && Instant.parse(wm.asString()).toEpochMilli() >= eventTime;
                }
                if (live) {
                    return System.currentTimeMillis();
                }
            } catch (java.io.IOException e) {
                // restarting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the sessions did not reach event time " + Instant.ofEpochMilli(eventTime) + " within " + timeout);
    }

    private static long awaitOutboxEmpty(ServiceProcess service, Duration timeout) throws Exception {
        return awaitOutboxEmpty(ResultsDb.of(service), timeout);
    }

    static long awaitOutboxEmpty(ResultsDb service, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        long pending;
        do {
            Thread.sleep(1_000);
            pending = query(service, "select count(*) from action where status = 'PENDING'", rs -> rs.getLong(1)).get(0);
        } while (pending > 0 && System.currentTimeMillis() < deadline);
        return pending;
    }

    private static Outcome collect(ServiceProcess service, AlertReceiver receiver, SeededTraffic traffic, List<Restart> restarts,
                                   long pending, long resume, String health, long outageFrom, long outageTo) throws Exception {
        return collect(ResultsDb.of(service), receiver, traffic, restarts, pending, resume, health, outageFrom, outageTo);
    }

    static Outcome collect(ResultsDb service, AlertReceiver receiver, SeededTraffic traffic, List<Restart> restarts,
                                   long pending, long resume, String health, long outageFrom, long outageTo) throws Exception {
        // The source systems' own lateness, as the traffic wrote it: payment written -> order marked PAID written. Where
        // the two writes straddle the outage (the payment before, the mark after, a database away in between) the
        // rule may judge either way, depending on how far the clock got before the sources stopped.
        Map<String, Long> paidToMarked = new TreeMap<>();
        java.util.Set<String> across = new java.util.TreeSet<>();
        traffic.paidThenMarked().forEach((order, written) -> {
            paidToMarked.put(order, written[1] - written[0]);
            if (outageTo > 0 && written[0] < outageTo && written[1] > outageFrom) {
                across.add(order);
            }
        });
        Map<String, String> findings = new TreeMap<>();
        query(service, """
                select m.task || ' ' || m.correlation_key || ' ' || m.type, m.status,
                       (select count(*) from mismatch_history h where h.mismatch_id = m.id and h.to_status = 'OPEN')
                from mismatch m""", rs -> findings.put(rs.getString(1), rs.getString(2) + " opened " + rs.getLong(3) + "x"));
        long checked = query(service, "select coalesce(sum(checked), 0) from task_checked", rs -> rs.getLong(1)).get(0);
        Map<String, Long> alerts = new TreeMap<>();
        long duplicates = 0;
        Map<String, String> identities = receiver.identities();
        for (Map.Entry<String, Long> delivery : receiver.deliveries().entrySet()) {
            alerts.merge(identities.get(delivery.getKey()), delivery.getValue(), Long::sum);
            duplicates += delivery.getValue() - 1;
        }
        return new Outcome(findings, alerts, duplicates, checked, traffic.writes(), traffic.flows(), traffic.expected(), restarts, pending,
                resume, health, paidToMarked, across, traffic.heldBack());
    }

    interface Row<T> {
        T read(ResultSet rs) throws java.sql.SQLException;
    }

    /** Where Recon stores its results: the service's embedded PostgreSQL, or a server the instances share. */
    record ResultsDb(String jdbcUrl, String user, String password) {
        static ResultsDb of(ServiceProcess service) {
            return new ResultsDb(service.jdbcUrl("recon"), "postgres", "postgres");
        }
    }

    private static <T> List<T> query(ServiceProcess service, String sql, Row<T> row) throws java.sql.SQLException {
        return query(ResultsDb.of(service), sql, row);
    }

    static <T> List<T> query(ResultsDb db, String sql, Row<T> row) throws java.sql.SQLException {
        List<T> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(row.read(rs));
            }
        }
        return rows;
    }
}
