package io.recon.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.recon.it.MariaDbServer;
import io.recon.it.ReconTestSupport;
import io.recon.source.cdc.RowChange.Op;
import io.recon.system.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The MariaDB capture on its own, against a real server: Java types, offsets and schema history across a restart, secrets. */
class MariaDbCdcSourceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static Path workDir;
    private static MariaDbServer maria;
    private static EmbeddedPostgres pg;

    private final List<CdcSource> sources = new ArrayList<>();
    private String db;

    @BeforeAll
    static void startServers() {
        workDir = ReconTestSupport.newWorkDir("mariadb-cdc");
        maria = MariaDbServer.start(workDir);
        maria.execute("CREATE USER 'capture'@'%' IDENTIFIED BY 'capture'",
                "GRANT REPLICATION SLAVE, BINLOG MONITOR, RELOAD ON *.* TO 'capture'@'%'");
        pg = EmbeddedPostgres.builder(workDir.resolve("pg")).build().start();
        pg.ensureDatabase("offsets");
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (pg != null) {
            pg.close();
        }
        if (maria != null) {
            maria.close();
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @AfterEach
    void closeSources() {
        sources.forEach(CdcSource::close);
    }

    @Test
    void deliversRowsWithJavaTypesAndResumesAfterAnAlterFromStoredOffsetsAndHistory() {
        newDatabase();
        maria.execute("CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, amount DECIMAL(12,2), placed_at DATETIME(3), paid_at TIMESTAMP(6) NULL,"
                + " note VARCHAR(40), qty BIGINT, small TINYINT)");
        maria.execute("INSERT INTO " + db + ".orders VALUES (1, 10.00, '2026-01-02 03:04:05.123', '2026-01-02 03:04:05.123456', 'old', 7, 3)");
        CdcSourceConfig cfg = config("resume_" + db, List.of(db + ".orders"));
        Collector first = new Collector();
        CdcSource source = start(cfg, first);
        await().atMost(WAIT).until(() -> first.changes().size() == 1);
        RowChange read = first.changes().get(0);
        assertThat(read.op()).isEqualTo(Op.READ);
        assertThat(read.table()).isEqualTo(db + ".orders");
        assertThat(read.row()).containsEntry("id", 1).containsEntry("amount", new BigDecimal("10.00"))
                .containsEntry("placed_at", Instant.parse("2026-01-02T03:04:05.123Z"))
                .containsEntry("paid_at", Instant.parse("2026-01-02T03:04:05.123456Z"))
                .containsEntry("note", "old").containsEntry("qty", 7L).containsEntry("small", 3);

        maria.execute("INSERT INTO " + db + ".orders (id, amount) VALUES (2, 99.95)",
                "UPDATE " + db + ".orders SET amount = 100.05 WHERE id = 2",
                "DELETE FROM " + db + ".orders WHERE id = 1");
        await().atMost(WAIT).until(() -> first.changes().size() >= 4);
        List<RowChange> streamed = first.changes().subList(1, 4);
        assertThat(streamed).extracting(RowChange::op).containsExactly(Op.CREATE, Op.UPDATE, Op.DELETE);
        assertThat(streamed.get(1).before()).containsEntry("amount", new BigDecimal("99.95"));
        assertThat(streamed.get(1).row()).containsEntry("amount", new BigDecimal("100.05"));
        assertThat(streamed.get(2).row()).containsEntry("id", 1).containsEntry("note", "old"); // the whole old row
        assertThat(first.changes()).noneMatch(c -> c.table().endsWith(MariaDbTables.MARKER_TABLE));

        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int id = 100 + i;
            long t = System.nanoTime();
            maria.execute("INSERT INTO " + db + ".orders (id) VALUES (" + id + ")");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> first.seen.containsKey(id));
            latencies.add((first.seen.get(id) - t) / 1_000_000);
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("MARIADB-FIGURE commit to CdcSource handler, 20 single-row inserts: p50 %d ms, max %d ms (poll interval 20 ms)%n",
                sorted[sorted.length / 2], sorted[sorted.length - 1]);
        source.close();
        assertThat(source.lastError()).isEmpty();

        // while stopped: a column added, a row written with it
        maria.execute("ALTER TABLE " + db + ".orders ADD COLUMN currency CHAR(3) NULL",
                "INSERT INTO " + db + ".orders (id, amount, currency) VALUES (3, 5.00, 'EUR')");
        Collector second = new Collector();
        start(cfg, second);
        maria.execute("INSERT INTO " + db + ".orders (id) VALUES (4)");
        await().atMost(WAIT).until(() -> second.ids().contains(4));
        assertThat(second.ids()).containsExactly(3, 4);
        assertThat(second.changes().get(0).row()).containsEntry("currency", "EUR").containsEntry("amount", new BigDecimal("5.00"));
    }

    @Test
    void startFailureKeepsPasswordsOutOfErrorsAndLogs() {
        newDatabase();
        String dbSecret = "Db-S3cret-4711";
        String offsetSecret = "Offset-S3cret-0815";
        CdcSourceConfig cfg = new CdcSourceConfig("leaky_" + db, maria.host(), maria.port(), db, "no_such_user", dbSecret,
                List.of(db + ".t"), "unused", "unused", Duration.ofMillis(20), pg.jdbcUrl("offsets"), pg.username(), offsetSecret,
                CdcSourceConfig.Snapshot.INITIAL, CdcSourceConfig.Kind.MARIADB);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        CdcSource source;
        try {
            source = start(cfg, batch -> { });
            await().atMost(WAIT).until(() -> source.state() == CdcSource.State.FAILED);
        } finally {
            root.detachAppender(logs);
        }
        StringWriter trace = new StringWriter();
        source.lastError().orElseThrow().printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).contains("no_such_user").doesNotContain(dbSecret, offsetSecret);
        StringBuilder logged = new StringBuilder();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            logged.append(e.getFormattedMessage()).append('\n');
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                logged.append(t.getMessage()).append('\n');
            }
        }
        assertThat(logged).isNotEmpty();
        assertThat(logged.toString()).doesNotContain(dbSecret, offsetSecret);
    }

    @Test
    void inspectionNamesAMissingTableAndATableOfAnotherDatabase() {
        newDatabase();
        maria.execute("CREATE TABLE " + db + ".ledger (id INT PRIMARY KEY, booked_at DATETIME)");
        CapturedTables.Inspection inspection = DatabaseTables.of(config("inspect_" + db,
                List.of(db + ".ledger", db + ".gone", "other.ledger"))).inspect();
        assertThat(inspection.unreachable()).isNull();
        assertThat(inspection.shapes().get(db + ".ledger").columnTypes()).containsEntry("id", "int").containsEntry("booked_at", "datetime");
        assertThat(inspection.problems()).anySatisfy(p -> assertThat(p).contains("table " + db + ".gone does not exist"));
        assertThat(inspection.problems()).anySatisfy(p -> assertThat(p).contains("table other.ledger is not in database " + db));
    }

    private void newDatabase() {
        db = "cdc_" + SEQ.incrementAndGet();
        maria.execute("CREATE DATABASE " + db, "GRANT SELECT, INSERT, UPDATE, CREATE ON " + db + ".* TO 'capture'@'%'");
    }

    private CdcSourceConfig config(String name, List<String> tables) {
        return new CdcSourceConfig(name, maria.host(), maria.port(), db, "capture", "capture", tables, "unused", "unused",
                Duration.ofMillis(20), pg.jdbcUrl("offsets"), pg.username(), pg.password(), CdcSourceConfig.Snapshot.INITIAL,
                CdcSourceConfig.Kind.MARIADB);
    }

    private CdcSource start(CdcSourceConfig cfg, RowChangeHandler handler) {
        CdcSource source = new CdcSource(cfg, handler);
        sources.add(source);
        source.start();
        return source;
    }

    private static final class Collector implements RowChangeHandler {
        private final List<RowChange> changes = new CopyOnWriteArrayList<>();
        private final java.util.Map<Integer, Long> seen = new ConcurrentHashMap<>();

        @Override
        public void handle(List<RowChange> batch) {
            long now = System.nanoTime();
            batch.forEach(c -> {
                Object id = c.row().get("id");
                if (id instanceof Integer i) {
                    seen.putIfAbsent(i, now);
                }
            });
            changes.addAll(batch);
        }

        List<RowChange> changes() {
            return changes;
        }

        List<Integer> ids() {
            return changes.stream().map(c -> (Integer) c.row().get("id")).toList();
        }
    }
}
