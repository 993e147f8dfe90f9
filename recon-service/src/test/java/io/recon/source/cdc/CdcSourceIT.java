package io.recon.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.recon.source.cdc.RowChange.Op;
import io.recon.system.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CdcSourceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static Path workDir;
    private static EmbeddedPostgres pg;

    private final List<CdcSource> sources = new ArrayList<>();
    private String db;

    @BeforeAll
    static void startPostgres() throws IOException {
        workDir = Files.createTempDirectory(Path.of("/tmp"), "recon-cdc-it");
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        pg = EmbeddedPostgres.builder(workDir.resolve("pg")).build().start();
        pg.ensureDatabase("offsets");
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (pg != null) {
            pg.close();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @AfterEach
    void closeSources() {
        sources.forEach(CdcSource::close);
    }

    @Test
    void deliversSnapshotInsertUpdateDeleteWithJavaTypes() throws Exception {
        newDatabase();
        sql("CREATE TABLE orders (id int PRIMARY KEY, amount numeric(12,2), free numeric, paid boolean,"
                + " placed_at timestamptz, local_at timestamp, note text, qty bigint, small smallint)");
        sql("CREATE TABLE other (id int PRIMARY KEY)");
        sql("INSERT INTO orders VALUES (1, 10.00, 1.5, false, '2026-01-02 03:04:05.123456+02', '2026-01-02 03:04:05.5',"
                + " 'old', 7, 3)");
        Collector got = new Collector();
        start(config("snap", List.of("public.orders")), got);
        await().atMost(WAIT).until(() -> got.changes().size() == 1);

        RowChange read = got.changes().get(0);
        assertThat(read.op()).isEqualTo(Op.READ);
        assertThat(read.table()).isEqualTo("public.orders");
        assertThat(read.row()).containsEntry("id", 1)
                .containsEntry("amount", new BigDecimal("10.00"))
                .containsEntry("free", new BigDecimal("1.5"))
                .containsEntry("paid", false)
                .containsEntry("placed_at", Instant.parse("2026-01-02T01:04:05.123456Z"))
                .containsEntry("local_at", Instant.parse("2026-01-02T03:04:05.5Z"))
                .containsEntry("note", "old")
                .containsEntry("qty", 7L)
                .containsEntry("small", 3);

        long before = System.currentTimeMillis();
        sql("INSERT INTO orders (id, amount, paid, placed_at) VALUES (2, 99.95, true, '2026-03-04 05:06:07Z')");
        sql("INSERT INTO other VALUES (1)"); // not captured
        sql("UPDATE orders SET amount = 100.05, note = 'new' WHERE id = 2");
        sql("DELETE FROM orders WHERE id = 1");
        await().atMost(WAIT).until(() -> got.changes().size() >= 4);

        List<RowChange> streamed = got.changes().subList(1, got.changes().size());
        assertThat(streamed).extracting(RowChange::op).containsExactly(Op.CREATE, Op.UPDATE, Op.DELETE);
        assertThat(streamed).extracting(RowChange::table).containsOnly("public.orders");
        assertThat(streamed.get(0).row()).containsEntry("id", 2)
                .containsEntry("amount", new BigDecimal("99.95"))
                .containsEntry("paid", true)
                .containsEntry("placed_at", Instant.parse("2026-03-04T05:06:07Z"))
                .containsEntry("note", null);
        assertThat(streamed.get(1).row()).containsEntry("amount", new BigDecimal("100.05")).containsEntry("note", "new");
        // DELETE carries the old image; with REPLICA IDENTITY DEFAULT only its key.
        assertThat(streamed.get(2).row()).containsEntry("id", 1);
        assertThat(streamed).allSatisfy(c -> {
            assertThat(c.commitTimeMillis()).isBetween(before - 1000, System.currentTimeMillis());
            assertThat(c.lsn()).isPositive();
        });
        assertThat(streamed.get(2).lsn()).isGreaterThan(streamed.get(0).lsn());
    }

    @Test
    void resumesFromStoredOffsetsWithoutRedelivery() throws Exception {
        newDatabase();
        sql("CREATE TABLE payments (id int PRIMARY KEY)");
        CdcSourceConfig cfg = config("resume", List.of("public.payments"));
        Collector first = new Collector();
        CdcSource source = start(cfg, first);
        awaitStreaming(source);
        sql("INSERT INTO payments VALUES (1)");
        sql("INSERT INTO payments VALUES (2)");
        await().atMost(WAIT).until(() -> first.ids().equals(List.of(1, 2)));
        source.close();
        assertThat(source.state()).isEqualTo(CdcSource.State.STOPPED);
        assertThat(source.lastError()).isEmpty();

        sql("INSERT INTO payments VALUES (3)");
        sql("INSERT INTO payments VALUES (4)");
        Collector second = new Collector();
        start(cfg, second);
        await().atMost(WAIT).until(() -> second.ids().size() >= 2);
        // A marker written last: once it is in, anything re-delivered would have arrived before it.
        sql("INSERT INTO payments VALUES (5)");
        await().atMost(WAIT).until(() -> second.ids().contains(5));
        assertThat(second.ids()).containsExactly(3, 4, 5);
        assertThat(second.changes()).extracting(RowChange::op).containsOnly(Op.CREATE);
    }

    @Test
    void failingHandlerStopsTheSourceAndTheBatchComesAgainAfterRestart() throws Exception {
        newDatabase();
        sql("CREATE TABLE refunds (id int PRIMARY KEY)");
        CdcSourceConfig cfg = config("failing", List.of("public.refunds"));
        List<Integer> handled = new CopyOnWriteArrayList<>();
        CdcSource source = start(cfg, batch -> {
            for (RowChange c : batch) {
                if (c.row().get("id").equals(2)) {
                    throw new IllegalStateException("downstream unavailable");
                }
            }
            batch.forEach(c -> handled.add((Integer) c.row().get("id")));
        });
        awaitStreaming(source);
        sql("INSERT INTO refunds VALUES (1)");
        await().atMost(WAIT).until(() -> handled.contains(1));
        sql("INSERT INTO refunds VALUES (2)");
        await().atMost(WAIT).until(() -> source.state() == CdcSource.State.FAILED);
        assertThat(source.isRunning()).isFalse();
        assertThat(source.lastError()).get().extracting(Throwable::getMessage).asString()
                .contains("downstream unavailable");
        source.close();
        assertThat(source.state()).isEqualTo(CdcSource.State.FAILED);

        sql("INSERT INTO refunds VALUES (3)");
        Collector after = new Collector();
        start(cfg, after);
        await().atMost(WAIT).until(() -> after.ids().contains(3));
        assertThat(after.ids()).containsExactly(2, 3);
    }

    @Test
    void startFailureKeepsPasswordsOutOfErrorsAndLogs() throws Exception {
        newDatabase();
        String dbSecret = "Db-S3cret-4711";
        String offsetSecret = "Offset-S3cret-0815";
        CdcSourceConfig cfg = new CdcSourceConfig("leaky", pg.host(), pg.port(), db, "no_such_user", dbSecret,
                List.of("public.t"), "leaky_slot", "leaky_pub", Duration.ofMillis(50),
                pg.jdbcUrl("offsets"), pg.username(), offsetSecret);
        assertThat(cfg.toString()).doesNotContain(dbSecret, offsetSecret);

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
        Throwable error = source.lastError().orElseThrow();
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
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
    void aTruncateAndTheOldImageOfAnUpdateArrive() throws Exception {
        newDatabase();
        sql("CREATE TABLE parcels (id int PRIMARY KEY, owner text)");
        sql("ALTER TABLE parcels REPLICA IDENTITY FULL");
        Collector got = new Collector();
        CdcSource source = start(config("trunc", List.of("public.parcels")), got);
        awaitStreaming(source);
        sql("INSERT INTO parcels VALUES (1, 'a')");
        sql("UPDATE parcels SET owner = 'b' WHERE id = 1");
        sql("TRUNCATE parcels");
        await().atMost(WAIT).until(() -> got.changes().size() >= 3);

        assertThat(got.changes()).extracting(RowChange::op).containsExactly(Op.CREATE, Op.UPDATE, Op.TRUNCATE);
        assertThat(got.changes().get(1).before()).containsEntry("owner", "a");
        assertThat(got.changes().get(1).row()).containsEntry("owner", "b");
        assertThat(got.changes().get(2).table()).isEqualTo("public.parcels");
        assertThat(got.changes().get(2).row()).isEmpty();
    }

    @Test
    void anUpdateUnderFullReplicaIdentityCarriesAnUnchangedLargeValueWhole() throws Exception {
        newDatabase();
        sql("CREATE TABLE notes (id int PRIMARY KEY, body text, seen boolean)");
        sql("ALTER TABLE notes REPLICA IDENTITY FULL");
        Collector got = new Collector();
        CdcSource source = start(config("toast", List.of("public.notes")), got);
        awaitStreaming(source);
        // random text does not compress: stored out of line (TOAST), which pgoutput omits when unchanged
        sql("INSERT INTO notes SELECT 1, string_agg(md5(random()::text), ''), false FROM generate_series(1, 400)");
        sql("UPDATE notes SET seen = true WHERE id = 1");
        await().atMost(WAIT).until(() -> got.changes().size() >= 2);

        Object inserted = got.changes().get(0).row().get("body");
        assertThat(got.changes().get(1).row().get("body")).isEqualTo(inserted);
    }

    @Test
    void aTableWithoutFullReplicaIdentityIsSetToFullAtStart() throws Exception {
        newDatabase();
        sql("CREATE TABLE refunds (id int PRIMARY KEY, order_id text, refunded_at timestamptz)");

        CapturedTables.Inspection inspection = new CapturedTables(config("ident", List.of("public.refunds"))).inspect();

        assertThat(inspection.problems()).isEmpty();
        assertThat(query("select relreplident from pg_class where relname = 'refunds'")).isEqualTo("f");
        assertThat(inspection.shapes().get("public.refunds").columnTypes())
                .containsEntry("order_id", "text").containsEntry("refunded_at", "timestamp with time zone");
    }

    @Test
    void aTableTheCaptureUserMayNotAlterIsRefusedWithTheStatementItsOwnerMustRun() throws Exception {
        newDatabase();
        sql("CREATE TABLE ledger (id int PRIMARY KEY)");
        sql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'capture') THEN"
                + " CREATE ROLE capture LOGIN REPLICATION PASSWORD 'capture'; END IF; END $$");
        CdcSourceConfig asCapture = new CdcSourceConfig("notowner", pg.host(), pg.port(), db, "capture", "capture",
                List.of("public.ledger", "public.gone"), "s", "p", Duration.ofMillis(20), pg.jdbcUrl("offsets"), pg.username(), pg.password());

        List<String> problems = new CapturedTables(asCapture).inspect().problems();

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("public.ledger has REPLICA IDENTITY DEFAULT")
                .contains("ALTER TABLE \"public\".\"ledger\" REPLICA IDENTITY FULL").contains("not captured until then"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("table public.gone does not exist"));
        assertThat(String.join(" ", problems)).doesNotContain("password=capture");
    }

    @Test
    void aRenamedTableIsReportedWithItsNewName() throws Exception {
        newDatabase();
        sql("CREATE TABLE couriers (id int PRIMARY KEY)");
        CapturedTables tables = new CapturedTables(config("rename", List.of("public.couriers")));
        long oid = tables.inspect().oids().get("public.couriers");
        assertThat(tables.renamed("public.couriers", oid)).isEmpty();

        sql("ALTER TABLE couriers RENAME TO couriers_old");
        assertThat(tables.renamed("public.couriers", oid)).contains("public.couriers_old");
        sql("DROP TABLE couriers_old");
        assertThat(tables.renamed("public.couriers", oid)).contains("(dropped)");
    }

    private String query(String sql) throws Exception {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    // ------------------------------------------------------------------------------------------

    private void newDatabase() {
        db = "cdc_" + SEQ.incrementAndGet();
        pg.ensureDatabase(db);
    }

    private CdcSourceConfig config(String name, List<String> tables) {
        return new CdcSourceConfig(name, pg.host(), pg.port(), db, pg.username(), pg.password(), tables,
                name + "_slot", name + "_pub", Duration.ofMillis(20),
                pg.jdbcUrl("offsets"), pg.username(), pg.password());
    }

    private CdcSource start(CdcSourceConfig cfg, RowChangeHandler handler) {
        CdcSource source = new CdcSource(cfg, handler);
        sources.add(source);
        source.start();
        return source;
    }

    /** Rows written before the slot exists would arrive as snapshot READs, not CREATEs. */
    private static void awaitStreaming(CdcSource source) {
        await().atMost(WAIT).until(() -> source.state() == CdcSource.State.RUNNING);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static final class Collector implements RowChangeHandler {
        private final List<RowChange> changes = new CopyOnWriteArrayList<>();

        @Override
        public void handle(List<RowChange> batch) {
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
