package io.recon.source;

import io.recon.fact.FactMapper;
import io.recon.source.cdc.CapturedTables;
import io.recon.source.cdc.CdcSource;
import io.recon.source.cdc.TableShape;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.recon.source.cdc.CdcSourceConfig;
import io.recon.source.cdc.RowChange;
import io.recon.system.ReconDatabase;
import io.recon.system.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * One embedded Debezium engine per captured database. A batch of row changes is acknowledged to
 * Debezium only after all its facts are on the facts topic (or kept as dead letters), so a crash
 * re-delivers instead of losing; sessions ignore a repeated identical version.
 */
@Component
public class CdcSources implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CdcSources.class);

    private final SourceCatalog catalog;
    private final FactRouter router;
    private final SourceDatabasesProperties databases;
    private final ObjectProvider<EmbeddedPostgres> embedded;
    private final ReconDatabase recon;
    private final SourceClocks clocks;
    private final Duration pollInterval;
    private static final Duration TABLE_WATCH = Duration.ofSeconds(5);

    private final List<CdcSource> engines = new ArrayList<>();
    /** Why a running capture may not be delivering (its database away, its stream stuck), by engine name. */
    private final Map<String, String> behind = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Watched> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, List<String>> problems = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile ScheduledExecutorService watcher;
    private volatile boolean running;

    CdcSources(SourceCatalog catalog, FactRouter router, SourceDatabasesProperties databases,
               ObjectProvider<EmbeddedPostgres> embedded, ReconDatabase recon, SourceClocks clocks,
               @Value("${recon.cdc.poll-interval:50ms}") Duration pollInterval) {
        this.catalog = catalog;
        this.router = router;
        this.databases = databases;
        this.embedded = embedded;
        this.recon = recon;
        this.clocks = clocks;
        this.pollInterval = pollInterval;
    }

    @Override
    public synchronized void start() {
        problems.clear();
        Map<String, Map<String, String>> sourceByTableByDatabase = new TreeMap<>();
        catalog.bindings().forEach((name, b) -> {
            if (b.kind() == SourceBinding.Kind.TABLE) {
                sourceByTableByDatabase.computeIfAbsent(b.database(), d -> new HashMap<>()).put(b.table(), name);
            }
        });
        sourceByTableByDatabase.forEach((database, sourceByTable) -> {
            CdcSourceConfig config = config(database, List.copyOf(sourceByTable.keySet()));
            CapturedTables tables = new CapturedTables(config);
            CapturedTables.Inspection inspection = tables.inspect();
            if (inspection.unreachable() != null) {
                log.warn("{}; capturing without the start checks of replica identity, columns and names", inspection.unreachable());
            }
            if (!inspection.problems().isEmpty()) {
                // refused: capturing with a table missing or without its old rows would lose retractions silently
                problems.put(database, List.copyOf(inspection.problems()));
                inspection.problems().forEach(p -> log.error("CDC of database {} refused: {}", database, p));
                return;
            }
            Map<String, Shape> shapes = new HashMap<>();
            inspection.shapes().forEach((table, shape) -> shapes.put(table, new Shape(shape, fedColumns(sourceByTable.get(table), shape))));
            // Behind until the engine has streamed what was committed while Recon was down, and again while the
            // database cannot be reached: meanwhile the watermark does not move these sources by wall time.
            sourceByTable.values().forEach(clocks::catchingUp);
            CdcSource engine = new CdcSource(config, batch -> handle(sourceByTable, shapes, batch), provenUpTo -> {
                        boolean was = sourceByTable.values().stream().allMatch(s -> clocks.isCaughtUp(s, SourceBinding.Kind.TABLE));
                        sourceByTable.values().forEach(s -> clocks.caughtUpTo(s, provenUpTo));
                        behind.remove(config.name());
                        if (!was) {
                            log.info("CDC sources {} caught up on database {}", sourceByTable.values(), database);
                        }
                    }, reason -> {
                        sourceByTable.values().forEach(clocks::catchingUp);
                        behind.put(config.name(), reason);
                        log.warn("CDC sources {} may be behind: {}; they hold the event-time clock until they catch up",
                                sourceByTable.values(), reason);
                    });
            engine.start();
            engines.add(engine);
            watched.add(new Watched(database, tables, inspection.oids(), sourceByTable));
            log.info("capturing {} in database {}", sourceByTable.keySet(), database);
        });
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cdc-table-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::watchTables, TABLE_WATCH.toMillis(), TABLE_WATCH.toMillis(), TimeUnit.MILLISECONDS);
        running = true;
    }

    /** A captured table's shape at start and the columns of it that fill a declared field. */
    private record Shape(TableShape shape, List<String> fed) {
    }

    private record Watched(String database, CapturedTables tables, Map<String, Long> oids, Map<String, String> sourceByTable) {
    }

    private List<String> fedColumns(String source, TableShape shape) {
        java.util.Set<String> fields = catalog.mapper(source).fieldNames();
        return shape.columnTypes().keySet().stream().filter(c -> fields.contains(FactMapper.toFieldName(c))).toList();
    }

    /**
     * Every change becomes facts or a dead letter; none stops the capture. A TRUNCATE is kept as a
     * notice: Recon keeps the facts it has of that table (a truncate names no rows to retract, and
     * is usually a purge rather than business events undone); they leave the sessions by their
     * {@code @expires}. An update that moves a row to another correlation key first retracts the
     * fact under the old key, whose partition may belong to another session.
     */
    private void handle(Map<String, String> sourceByTable, Map<String, Shape> shapes, List<RowChange> batch) throws Exception {
        List<FactRouter.Routed> sent = new ArrayList<>(batch.size());
        for (RowChange change : batch) {
            String source = sourceByTable.getOrDefault(change.table(), change.table());
            try {
                handleOne(source, shapes.get(change.table()), change, sent);
            } catch (RuntimeException e) {
                router.deadLetterRecord(source, "cannot take this change of " + change.table() + ": unexpected " + e,
                        () -> JsonRecords.toJson(change.row()), FactRouter.Change.UPSERT, change.commitTimeMillis());
            }
        }
        router.awaitAll(sent);
    }

    private void handleOne(String source, Shape shape, RowChange change, List<FactRouter.Routed> sent) {
        long committed = change.commitTimeMillis();
        if (change.op() == RowChange.Op.TRUNCATE) {
            SourceBinding binding = catalog.binding(source);
            router.notice(source, "TRUNCATE of table " + change.table() + " committed at " + java.time.Instant.ofEpochMilli(committed)
                    + " (LSN " + change.lsn() + "): Recon keeps the facts it already has from this table"
                    + (binding == null ? "" : " (" + binding.type() + ")") + " until they expire by @expires, since a truncate names"
                    + " no rows; to retract facts, delete their rows with DELETE", "{\"op\":\"TRUNCATE\",\"table\":\"" + change.table()
                    + "\",\"lsn\":" + change.lsn() + "}", committed);
            return;
        }
        if (change.op() == RowChange.Op.DELETE) {
            sent.add(router.route(source, FactRouter.Change.DELETE, change.row(), committed, () -> JsonRecords.toJson(change.row())));
            return;
        }
        String misfit = shape == null ? null : shape.shape().misfit(change.row(), shape.fed());
        if (misfit != null) {
            router.deadLetterRecord(source, "cannot take this change of " + change.table() + ": " + misfit,
                    () -> JsonRecords.toJson(change.row()), FactRouter.Change.UPSERT, committed);
            return;
        }
        if (change.op() == RowChange.Op.UPDATE && !change.before().isEmpty()) {
            String oldKey = router.keyOf(source, change.before());
            if (oldKey != null && !oldKey.equals(router.keyOf(source, change.row()))) {
                sent.add(router.route(source, FactRouter.Change.DELETE, change.before(), committed, () -> JsonRecords.toJson(change.before())));
            }
        }
        sent.add(router.route(source, FactRouter.Change.UPSERT, change.row(), committed, () -> JsonRecords.toJson(change.row())));
    }

    /** Debezium filters changes by table name: a renamed table would stop being captured without a word. */
    private void watchTables() {
        for (Watched w : watched) {
            List<String> found = new ArrayList<>();
            w.oids().forEach((table, oid) -> w.tables().renamed(table, oid).ifPresent(now -> found.add("table " + table + " (source "
                    + w.sourceByTable().get(table) + ") is now " + ("(dropped)".equals(now) ? "dropped" : "named " + now)
                    + ": its changes are no longer captured; rename it back, or bind the new name (recon.sources."
                    + w.sourceByTable().get(table) + ".table) and restart")));
            List<String> before = problems.get(w.database());
            if (found.isEmpty()) {
                problems.remove(w.database());
            } else {
                if (!found.equals(before)) {
                    found.forEach(p -> log.error("CDC of database {}: {}", w.database(), p));
                }
                problems.put(w.database(), List.copyOf(found));
            }
        }
    }

    /** Per captured database, what stops or stopped its capture, in words; empty while all is well. */
    public Map<String, List<String>> problems() {
        return Map.copyOf(problems);
    }

    private CdcSourceConfig config(String database, List<String> tables) {
        SourceDatabasesProperties.Database db = databases.databases().get(database);
        if (db == null) {
            EmbeddedPostgres postgres = embedded.getIfAvailable();
            if (postgres == null) {
                throw new IllegalStateException("captured database '" + database + "' is not configured: set recon.databases."
                        + database + ".host/port/database/username/password");
            }
            db = new SourceDatabasesProperties.Database(postgres.host(), postgres.port(), database, postgres.username(), postgres.password());
        }
        String name = "recon_" + database.replaceAll("[^A-Za-z0-9_]", "_");
        String offsetPassword = recon.password() == null || recon.password().isEmpty() ? "unused" : recon.password();
        return new CdcSourceConfig(name, db.host(), db.port(), db.database(), db.username(), db.password(), tables,
                name, name, pollInterval, recon.jdbcUrl(), recon.username(), offsetPassword);
    }

    /** Health and operator views. */
    public List<CdcSource> engines() {
        return List.copyOf(engines);
    }

    /** Why the capture {@code engineName} runs but may not deliver (e.g. its database cannot be reached); empty when caught up. */
    public java.util.Optional<String> behind(String engineName) {
        return java.util.Optional.ofNullable(behind.get(engineName));
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (watcher != null) {
            watcher.shutdownNow();
        }
        watched.clear();
        for (CdcSource engine : engines) {
            try {
                engine.close();
            } catch (Exception e) {
                log.warn("closing CDC source {}: {}", engine.config().name(), e.toString());
            }
        }
        engines.clear();
        behind.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 200;
    }
}
