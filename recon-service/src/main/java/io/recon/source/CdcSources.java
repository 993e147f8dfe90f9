package io.recon.source;

import io.recon.catalog.Catalog;
import io.recon.catalog.DatabaseAccess;
import io.recon.fact.FactMapper;
import io.recon.source.cdc.CapturedTables;
import io.recon.source.cdc.DatabaseTables;
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
@org.springframework.core.annotation.Order(2)
public class CdcSources implements SmartLifecycle, io.recon.cluster.ClusterSingleton {

    private static final Logger log = LoggerFactory.getLogger(CdcSources.class);

    private final SourceCatalog catalog;
    private final FactRouter router;
    private final Catalog databases;
    private final ObjectProvider<EmbeddedPostgres> embedded;
    private final ReconDatabase recon;
    private final SourceClocks clocks;
    private final RowChanges rowChanges;
    private final Duration pollInterval;
    private static final Duration TABLE_WATCH = Duration.ofSeconds(5);

    private final Map<String, Capture> captures = new java.util.concurrent.ConcurrentHashMap<>();
    /** Why a running capture may not be delivering (its database away, its stream stuck), by engine name. */
    private final Map<String, String> behind = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<String>> problems = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile ScheduledExecutorService watcher;
    private volatile boolean running;
    private final io.recon.cluster.ClusterProperties cluster;

    CdcSources(SourceCatalog catalog, FactRouter router, Catalog databases,
               ObjectProvider<EmbeddedPostgres> embedded, ReconDatabase recon, SourceClocks clocks,
               RowChanges rowChanges, @Value("${recon.cdc.poll-interval:50ms}") Duration pollInterval,
               io.recon.cluster.ClusterProperties cluster) {
        this.cluster = cluster;
        this.catalog = catalog;
        this.router = router;
        this.databases = databases;
        this.embedded = embedded;
        this.recon = recon;
        this.clocks = clocks;
        this.rowChanges = rowChanges;
        this.pollInterval = pollInterval;
    }

    @Override
    public synchronized void start() {
        problems.clear();
        wanted().forEach(this::startCapture);
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cdc-table-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::watchTables, TABLE_WATCH.toMillis(), TABLE_WATCH.toMillis(), TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Per database, per captured table, the enabled sources it feeds (one table may feed several bindings). */
    private Map<String, Map<String, List<String>>> wanted() {
        Map<String, Map<String, List<String>>> byDatabase = new TreeMap<>();
        catalog.bindings().forEach((name, b) -> {
            if (b.kind() == SourceBinding.Kind.TABLE) {
                byDatabase.computeIfAbsent(b.database(), d -> new TreeMap<>()).computeIfAbsent(b.table(), t -> new ArrayList<>()).add(name);
            }
        });
        return byDatabase;
    }

    /**
     * A table source or a database added, changed or removed in the catalog: only the captures whose tables or
     * connection changed restart, each from its stored offsets with the new table list (a new table is captured from
     * the next commit on, nothing is read again); a database no source reads any more stops, its slot dropped on request.
     */
    @org.springframework.context.event.EventListener
    @org.springframework.core.annotation.Order(10)
    public synchronized void catalogChanged(io.recon.catalog.CatalogChanged change) {
        if (!running || change instanceof io.recon.catalog.CatalogChanged.TaskChanged) {
            return;
        }
        Map<String, Map<String, List<String>>> wanted = wanted();
        java.util.Set<String> databases = new java.util.TreeSet<>(wanted.keySet());
        databases.addAll(captures.keySet());
        for (String database : databases) {
            Capture current = captures.get(database);
            Map<String, List<String>> tables = wanted.get(database);
            boolean connectionChanged = change instanceof io.recon.catalog.CatalogChanged.DatabaseChanged d && d.name().equals(database);
            String snapshotTable = change instanceof io.recon.catalog.CatalogChanged.SourceChanged s && s.snapshot() && s.after() != null
                    && s.after().kind() == io.recon.catalog.CatalogSource.Kind.TABLE && database.equals(s.after().database())
                    ? s.after().table() : null;
            if (current != null && tables != null && current.sourcesByTable().equals(tables) && !connectionChanged && snapshotTable == null) {
                continue;
            }
            if (current != null) {
                stopCapture(database);
            }
            if (tables != null) {
                if (snapshotTable != null) {
                    signals(database, tables).ensureSignalTable();
                }
                startCapture(database, tables);
                if (snapshotTable != null && captures.containsKey(database)) {
                    // read by the engine once it streams: an incremental snapshot of that table, beside the live changes
                    signals(database, tables).signalSnapshot(snapshotTable);
                    log.info("incremental snapshot of {} in database {} requested", snapshotTable, database);
                }
            }
        }
        if (change instanceof io.recon.catalog.CatalogChanged.DatabaseChanged d && d.dropSlot() && d.after() == null
                && !captures.containsKey(d.name())) {
            dropSlot(d.name(), d.beforeAccess());
        }
    }

    private DatabaseTables signals(String database, Map<String, List<String>> sourcesByTable) {
        return DatabaseTables.of(config(database, List.copyOf(sourcesByTable.keySet())));
    }

    private void startCapture(String database, Map<String, List<String>> sourcesByTable) {
        CdcSourceConfig config;
        try {
            config = config(database, List.copyOf(sourcesByTable.keySet()));
            DatabaseTables found = DatabaseTables.of(config);
            if (found.hasSignalTable()) {
                // Debezium's signals (incremental snapshots) come as changes of this table: it is captured too, never routed
                List<String> withSignals = new ArrayList<>(config.tables());
                withSignals.add(found.signalTable());
                config = config(database, withSignals);
            }
        } catch (RuntimeException e) {
            problems.put(database, List.of(e.getMessage()));
            log.error("CDC of database {} not started: {}", database, e.getMessage());
            return;
        }
        DatabaseTables tables = DatabaseTables.of(config);
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
        problems.remove(database);
        tables.publishExactly(); // a publication made for fewer tables is brought to the catalog's list before streaming
        Map<String, Shape> shapes = new HashMap<>();
        inspection.shapes().forEach((table, shape) -> {
            if (sourcesByTable.containsKey(table)) {
                shapes.put(table, new Shape(shape, fedColumns(sourcesByTable.get(table), shape)));
            }
        });
        List<String> sources = sourcesByTable.values().stream().flatMap(List::stream).toList();
        String engineName = config.name();
        // Behind until the engine has streamed what was committed while Recon was down, and again while the
        // database cannot be reached: meanwhile the watermark does not move these sources by wall time.
        sources.forEach(clocks::catchingUp);
        String signalTable = tables.signalTable();
        CdcSource engine = new CdcSource(config, batch -> handle(sourcesByTable, shapes, signalTable, batch), provenUpTo -> {
                    boolean was = sources.stream().allMatch(s -> clocks.isCaughtUp(s, SourceBinding.Kind.TABLE));
                    sources.forEach(s -> clocks.caughtUpTo(s, provenUpTo));
                    behind.remove(engineName);
                    if (!was) {
                        log.info("CDC sources {} caught up on database {}", sources, database);
                    }
                }, reason -> {
                    sources.forEach(clocks::catchingUp);
                    behind.put(engineName, reason);
                    log.warn("CDC sources {} may be behind: {}; they hold the event-time clock until they catch up", sources, reason);
                });
        engine.start();
        captures.put(database, new Capture(engine, new Watched(database, tables, inspection.oids(), sourcesByTable), sourcesByTable,
                tables.signalTable()));
        log.info("capturing {} in database {}", sourcesByTable.keySet(), database);
    }

    private void stopCapture(String database) {
        Capture capture = captures.remove(database);
        if (capture == null) {
            return;
        }
        problems.remove(database);
        behind.remove(capture.engine().config().name());
        try {
            capture.engine().close();
        } catch (Exception e) {
            log.warn("closing CDC source {}: {}", capture.engine().config().name(), e.toString());
        }
    }

    /** A deleted database's slot, so that its server no longer keeps WAL for Recon (the capture has stopped by now). */
    private void dropSlot(String database, DatabaseAccess access) {
        String slot = "recon_" + database.replaceAll("[^A-Za-z0-9_]", "_");
        if (access == null || access.kind() == io.recon.catalog.CatalogDatabase.Kind.MARIADB) {
            return; // a binlog reader holds nothing on the server
        }
        String password = access.password() == null ? "" : access.password();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(access.jdbcUrl(5), access.username(), password);
             java.sql.PreparedStatement s = c.prepareStatement(
                     "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ?")) {
            s.setString(1, slot);
            s.execute();
            log.info("replication slot {} of database {} dropped", slot, database);
        } catch (java.sql.SQLException e) {
            log.warn("replication slot {} of database {} not dropped: {}; drop it with SELECT pg_drop_replication_slot('{}')", slot, database,
                    new io.recon.source.cdc.SecretMasker(List.of(password)).mask(e.getMessage()), slot);
        }
    }

    private record Capture(CdcSource engine, Watched watched, Map<String, List<String>> sourcesByTable, String signalTable) {
    }

    /** A captured table's shape at start and the columns of it that fill a declared field. */
    private record Shape(TableShape shape, List<String> fed) {
    }

    private record Watched(String database, DatabaseTables tables, Map<String, Long> oids, Map<String, List<String>> sourceByTable) {
    }

    private List<String> fedColumns(List<String> sources, TableShape shape) {
        java.util.Set<String> fields = new java.util.HashSet<>();
        for (String source : sources) {
            fields.addAll(catalog.mapper(source).fieldNames());
            catalog.binding(source).fields().values().forEach(column -> fields.add(FactMapper.toFieldName(column)));
        }
        return shape.columnTypes().keySet().stream().filter(c -> fields.contains(FactMapper.toFieldName(c))).toList();
    }

    /** Every change becomes facts or a dead letter (see {@link RowChanges}); none stops the capture. */
    private void handle(Map<String, List<String>> sourcesByTable, Map<String, Shape> shapes, String signalTable, List<RowChange> batch)
            throws Exception {
        List<FactRouter.Routed> sent = new ArrayList<>(batch.size());
        for (RowChange change : batch) {
            if (change.table().equals(signalTable)) {
                continue; // a signal to Debezium, not business data
            }
            for (String source : sourcesByTable.getOrDefault(change.table(), List.of(change.table()))) {
                Shape shape = shapes.get(change.table());
                try {
                    rowChanges.route(source, change, shape == null ? null : shape.shape(), shape == null ? List.of() : shape.fed(), sent);
                } catch (RuntimeException e) {
                    router.deadLetterRecord(source, "cannot take this change of " + change.table() + ": unexpected " + e,
                            () -> JsonRecords.toJson(change.row()), FactRouter.Change.UPSERT, change.commitTimeMillis());
                }
            }
        }
        router.awaitAll(sent);
    }

    /** Debezium filters changes by table name: a renamed table would stop being captured without a word. */
    private void watchTables() {
        for (Watched w : captures.values().stream().map(Capture::watched).toList()) {
            List<String> found = new ArrayList<>();
            w.oids().forEach((table, oid) -> (w.sourceByTable().containsKey(table) ? w.tables().renamed(table, oid)
                    : java.util.Optional.<String>empty()).ifPresent(now -> found.add("table " + table + " (source "
                    + String.join(", ", w.sourceByTable().get(table)) + ") is now " + ("(dropped)".equals(now) ? "dropped" : "named " + now)
                    + ": its changes are no longer captured; rename it back, or bind the new name (PUT /api/sources/"
                    + w.sourceByTable().get(table).get(0) + " with the new table)")));
            List<String> before = problems.get(w.database());
            if (!captures.containsKey(w.database())) {
                continue; // stopped meanwhile
            }
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

    CdcSourceConfig config(String database, List<String> tables) {
        DatabaseAccess db = databases.access(database).orElse(null);
        if (db == null) {
            EmbeddedPostgres postgres = embedded.getIfAvailable();
            if (postgres == null) {
                throw new IllegalStateException("captured database '" + database + "' is not in the catalog: register it with PUT"
                        + " /api/databases/" + database + " (or recon.databases." + database + " in application.yml)");
            }
            db = new DatabaseAccess(database, postgres.host(), postgres.port(), database, postgres.username(), postgres.password());
        }
        String name = "recon_" + database.replaceAll("[^A-Za-z0-9_]", "_");
        String offsetPassword = recon.password() == null || recon.password().isEmpty() ? "unused" : recon.password();
        return new CdcSourceConfig(name, db.host(), db.port(), db.database(), db.username(), db.password(), tables,
                name, name, pollInterval, recon.jdbcUrl(), recon.username(), offsetPassword, CdcSourceConfig.Snapshot.INITIAL,
                db.kind() == io.recon.catalog.CatalogDatabase.Kind.MARIADB ? CdcSourceConfig.Kind.MARIADB : CdcSourceConfig.Kind.POSTGRESQL);
    }

    /** Health and operator views. */
    public List<CdcSource> engines() {
        return captures.values().stream().map(Capture::engine).toList();
    }

    /** The capture of a database, when it runs. */
    public java.util.Optional<CdcSource> engine(String database) {
        return java.util.Optional.ofNullable(captures.get(database)).map(Capture::engine);
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
        new ArrayList<>(captures.keySet()).forEach(this::stopCapture);
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

    /** With several instances ({@code recon.cluster.enabled}) only the one that runs the singletons starts this. */
    @Override
    public boolean isAutoStartup() {
        return !cluster.enabled();
    }
}
