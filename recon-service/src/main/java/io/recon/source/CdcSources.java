package io.recon.source;

import io.recon.source.cdc.CdcSource;
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
import java.util.concurrent.Future;
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
class CdcSources implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CdcSources.class);

    private final SourceCatalog catalog;
    private final FactRouter router;
    private final SourceDatabasesProperties databases;
    private final ObjectProvider<EmbeddedPostgres> embedded;
    private final ReconDatabase recon;
    private final SourceClocks clocks;
    private final Duration pollInterval;
    private final List<CdcSource> engines = new ArrayList<>();
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
        Map<String, Map<String, String>> sourceByTableByDatabase = new TreeMap<>();
        catalog.bindings().forEach((name, b) -> {
            if (b.kind() == SourceBinding.Kind.TABLE) {
                sourceByTableByDatabase.computeIfAbsent(b.database(), d -> new HashMap<>()).put(b.table(), name);
            }
        });
        sourceByTableByDatabase.forEach((database, sourceByTable) -> {
            // Behind until the engine has streamed what was committed while Recon was down, and again while the
            // database cannot be reached: meanwhile the watermark does not move these sources by wall time.
            sourceByTable.values().forEach(clocks::catchingUp);
            CdcSource engine = new CdcSource(config(database, List.copyOf(sourceByTable.keySet())),
                    batch -> handle(sourceByTable, batch), provenUpTo -> {
                        boolean was = sourceByTable.values().stream().allMatch(s -> clocks.isCaughtUp(s, SourceBinding.Kind.TABLE));
                        sourceByTable.values().forEach(s -> clocks.caughtUpTo(s, provenUpTo));
                        if (!was) {
                            log.info("CDC sources {} caught up on database {}", sourceByTable.values(), database);
                        }
                    }, reason -> {
                        sourceByTable.values().forEach(clocks::catchingUp);
                        log.warn("CDC sources {} may be behind: {}; they hold the event-time clock until they catch up",
                                sourceByTable.values(), reason);
                    });
            engine.start();
            engines.add(engine);
            log.info("capturing {} in database {}", sourceByTable.keySet(), database);
        });
        running = true;
    }

    private void handle(Map<String, String> sourceByTable, List<RowChange> batch) throws Exception {
        List<Future<?>> sent = new ArrayList<>(batch.size());
        for (RowChange change : batch) {
            String source = sourceByTable.get(change.table());
            FactRouter.Change kind = change.op() == RowChange.Op.DELETE ? FactRouter.Change.DELETE : FactRouter.Change.UPSERT;
            FactRouter.Routed routed = router.route(source == null ? change.table() : source, kind, change.row(),
                    change.commitTimeMillis(), () -> JsonRecords.toJson(change.row()));
            sent.add(routed.sent());
        }
        router.awaitAll(sent);
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
    List<CdcSource> engines() {
        return List.copyOf(engines);
    }

    @Override
    public synchronized void stop() {
        running = false;
        for (CdcSource engine : engines) {
            try {
                engine.close();
            } catch (Exception e) {
                log.warn("closing CDC source {}: {}", engine.config().name(), e.toString());
            }
        }
        engines.clear();
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
