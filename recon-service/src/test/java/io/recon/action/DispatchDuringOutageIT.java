package io.recon.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recon.it.RunsAlone;
import io.recon.system.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox dispatcher against a real PostgreSQL that crashes in the middle of a round, and a real HTTP receiver: the
 * first delivery of the round fails while the database is down, the others succeed. What the receiver accepted is
 * what counts: each alert exactly once, the failed one once more after its back-off, and every attempt recorded once
 * the database is back.
 */
@RunsAlone // an outage of a dependency: another test beside it would share the outage or slow its recovery
class DispatchDuringOutageIT {

    private static final int ACTIONS = 6;

    private EmbeddedPostgres postgres;
    private HttpServer receiver;
    private ActionDispatcher dispatcher;

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.stop();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aDeliveryThatFailsWhileTheDatabaseIsDownSendsNothingElseOfItsRoundTwice() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "recon-dispatch-outage-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        postgres = EmbeddedPostgres.builder(dir.resolve("pg")).port(port).build().start(); // the same port after the restart
        postgres.ensureDatabase("recon");
        Flyway.configure().dataSource(postgres.jdbcUrl("recon"), postgres.username(), postgres.password())
                .locations("classpath:db/migration").load().migrate();
        // a connection per call: while the server is down every call fails at once, as a pool's would after its timeout
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl("recon") + "?connectTimeout=2",
                postgres.username(), postgres.password());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        for (int i = 1; i <= ACTIONS; i++) {
            jdbc.update("insert into action (idempotency_key, kind, task, channel, severity, payload, next_attempt_at)"
                    + " values (?, 'OPERATIONS', 'trade', 'hook', 'P1', ?::jsonb, now() - make_interval(secs => ?))", "key-" + i,
                    "{\"title\":\"alert " + i + "\",\"reason\":\"test\",\"link\":\"http://recon/ops\"}", ACTIONS - i + 1);
        }

        // The receiver holds every request until the database is down; then it refuses key-1 once, accepts the rest.
        CountDownLatch databaseDown = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            held.incrementAndGet();
            try {
                databaseDown.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean refuse = key.equals("key-1") && refused.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement() == 0;
            if (!refuse) {
                accepted.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
            exchange.sendResponseHeaders(refuse ? 500 : 200, -1);
            exchange.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        receiver.start();

        AlertsProperties config = new AlertsProperties(null,
                Map.of("hook", new AlertsProperties.Channel(AlertsProperties.Kind.WEBHOOK,
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", null, null)),
                null, null, null, new AlertsProperties.Digest(List.of("NONE"), null),
                new AlertsProperties.Dispatch(true, Duration.ofMillis(100), 10, 2, 8, Duration.ofMillis(200), null, Duration.ofSeconds(2)));
        WebhookSenders senders = new WebhookSenders();
        dispatcher = new ActionDispatcher(new ActionStore(jdbc, tx, new io.recon.mismatch.MismatchLifecycle(jdbc)), new HeldAlertSummaries(jdbc, tx, config), new DispatchSignal(), config,
                List.of(senders.webhookSender(config)), new RepairExecutor(new RepairsProperties(null), config, null, null), event -> { },
                new SimpleMeterRegistry());
        dispatcher.start();

        await("the first deliveries of the round reached the receiver", () -> held.get() >= 2, Duration.ofSeconds(30));
        postgres.close(); // the results store goes away with the round in flight
        databaseDown.countDown();
        await("every action of the round was answered", () -> accepted.size() == ACTIONS - 1 && refused.containsKey("key-1"),
                Duration.ofSeconds(30));
        Thread.sleep(3_000); // the dispatcher meanwhile tries to record the round and cannot
        postgres.start();

        await("every action done", () -> jdbc.queryForObject("select count(*) from action where status = 'DONE'", Integer.class) == ACTIONS,
                Duration.ofSeconds(60));
        // longer than a lease (3 × timeout + 5 s): an unrecorded delivery would be claimed and sent again by now
        Thread.sleep(12_000);

        Map<String, Integer> byKey = new java.util.TreeMap<>();
        accepted.forEach((key, n) -> byKey.put(key, n.get()));
        Map<String, Integer> expected = new java.util.TreeMap<>();
        for (int i = 1; i <= ACTIONS; i++) {
            expected.put("key-" + i, 1);
        }
        assertThat(byKey).as("what the receiver accepted, by idempotency key").isEqualTo(expected);
        assertThat(jdbc.queryForList("select a.idempotency_key || ' ' || count(t.*) || ' attempts, ' || count(*) filter (where t.ok)"
                + " || ' ok' from action a join action_attempt t on t.action_id = a.id group by a.idempotency_key order by 1", String.class))
                .as("every attempt recorded once")
                .containsExactly("key-1 2 attempts, 1 ok", "key-2 1 attempts, 1 ok", "key-3 1 attempts, 1 ok", "key-4 1 attempts, 1 ok",
                        "key-5 1 attempts, 1 ok", "key-6 1 attempts, 1 ok");
    }

    private static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // the database is still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }
}
