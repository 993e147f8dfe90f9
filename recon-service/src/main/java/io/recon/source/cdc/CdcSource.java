package io.recon.source.cdc;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures row changes of some tables of one PostgreSQL database with an embedded Debezium engine
 * (logical decoding with {@code pgoutput}) and hands them, batch by batch, to a
 * {@link RowChangeHandler}.
 *
 * <p>Delivery is at least once. A batch's offsets are recorded only after the handler returned;
 * they are written to PostgreSQL after every batch, and the replication slot is advanced with them,
 * so after a crash at most the batch in hand is delivered again.
 *
 * <p>If the handler throws, the batch is not acknowledged and the source stops:
 * {@link #isRunning()} turns false and {@link #lastError()} holds the handler's exception. Nothing
 * restarts by itself, because retrying a handler that fails on the same data would only spin; the
 * owner decides when to {@link #start()} again, and then the same batch comes first.
 *
 * <p>Debezium's own start-up failures quote the whole configuration, passwords included: every
 * error this class exposes or logs has them masked.
 */
public final class CdcSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdcSource.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    public enum State { NEW, STARTING, RUNNING, STOPPED, FAILED }

    private final CdcSourceConfig config;
    private final RowChangeHandler handler;
    /** When this capture (and so any snapshot it takes) started: the commit time of the rows a snapshot reads. */
    private volatile long startedAt;
    private final SecretMasker masker;
    private final CatchUpMarker.Listener progress;
    private volatile CatchUpMarker marker;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile Thread thread;
    /** Counted down by the engine's completion callback of the current run. */
    private volatile CountDownLatch finished = new CountDownLatch(0);

    public CdcSource(CdcSourceConfig config, RowChangeHandler handler) {
        this(config, handler, at -> { }, reason -> { });
    }

    /**
     * @param caughtUp called with a wall time up to which every committed change has been handed to the handler (after
     *                 a start: once the backlog is read), about every second, see {@link CatchUpMarker}
     * @param behind   called with the reason when that can no longer be proven (the database is down, the stream lags)
     */
    public CdcSource(CdcSourceConfig config, RowChangeHandler handler, java.util.function.LongConsumer caughtUp,
                     java.util.function.Consumer<String> behind) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(caughtUp, "caughtUp");
        Objects.requireNonNull(behind, "behind");
        this.progress = new CatchUpMarker.Listener() {
            @Override
            public void caughtUp(long provenUpTo) {
                caughtUp.accept(provenUpTo);
            }

            @Override
            public void behind(String reason) {
                behind.accept(reason);
            }
        };
        this.masker = new SecretMasker(List.of(config.password(), config.offsetPassword()));
    }

    /**
     * Starts the engine on its own thread and returns at once; connecting, creating slot and
     * publication, and the snapshot happen in the background. May be called again after
     * {@link #close()} or a failure.
     */
    public synchronized void start() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        startedAt = System.currentTimeMillis();
        lastError.set(null);
        if (config.kind() == CdcSourceConfig.Kind.MARIADB) {
            BinlogRestart.forgetSkips(config);
            CatchUpMarker.prepare(config);
        }
        state.set(State.STARTING);
        CountDownLatch done = new CountDownLatch(1);
        finished = done;
        CatchUpMarker catchUp = new CatchUpMarker(config, progress);
        CatchUpMarker previous = marker;
        if (previous != null) {
            previous.close();
        }
        marker = catchUp;
        DebeziumEngine<RecordChangeEvent<SourceRecord>> e = DebeziumEngine
                .create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void pollingStarted() {
                        state.compareAndSet(State.STARTING, State.RUNNING);
                        catchUp.start();
                    }
                })
                .using((success, message, error) -> {
                    completed(success, message, error);
                    done.countDown();
                })
                .notifying(this::handleBatch)
                .build();
        engine = e;
        Thread t = new Thread(() -> runEngine(e), "cdc-" + config.name());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** True from {@link #start()} until the engine stops or fails. */
    public boolean isRunning() {
        State s = state.get();
        return s == State.STARTING || s == State.RUNNING;
    }

    public State state() {
        return state.get();
    }

    /** Why the source stopped, with passwords masked; empty while healthy or after a clean close. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    public CdcSourceConfig config() {
        return config;
    }

    /** Stops the engine (which records the offsets of handled batches) and waits for its thread. */
    @Override
    public synchronized void close() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> e = engine;
        Thread t = thread;
        engine = null;
        thread = null;
        CatchUpMarker catchUp = marker;
        if (catchUp != null) {
            catchUp.close();
        }
        // An engine that already stopped (by failure) refuses a second shutdown with an error.
        if (e != null && finished.getCount() > 0) {
            try {
                e.close();
            } catch (IOException | RuntimeException ex) {
                log.warn("CDC source {}: closing the engine failed: {}", config.name(), masker.mask(ex.getMessage()));
            }
        }
        if (t != null) {
            try {
                t.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                log.warn("CDC source {}: engine thread still running {} after close", config.name(), CLOSE_TIMEOUT);
            }
        }
        state.getAndUpdate(s -> s == State.FAILED ? s : State.STOPPED);
    }

    // ------------------------------------------------------------------------------------------

    private void runEngine(DebeziumEngine<RecordChangeEvent<SourceRecord>> e) {
        try {
            e.run();
        } catch (Throwable ex) {
            fail(ex);
        }
    }

    private void completed(boolean success, String message, Throwable error) {
        if (success) {
            state.getAndUpdate(s -> s == State.FAILED ? s : State.STOPPED);
            return;
        }
        if (lastError.get() != null) {
            // The handler's own exception says more than the engine's report of it.
            state.set(State.FAILED);
            return;
        }
        Throwable masked = error != null ? masker.mask(error) : null;
        SecretMasker.MaskedException reported = new SecretMasker.MaskedException(
                "CDC source " + config.name() + " stopped: " + masker.mask(message));
        if (masked != null) {
            reported.initCause(masked);
        }
        lastError.compareAndSet(null, reported);
        state.set(State.FAILED);
        log.error("{}", reported.getMessage(), masked);
    }

    private void fail(Throwable ex) {
        Throwable masked = masker.mask(ex);
        lastError.compareAndSet(null, masked);
        state.set(State.FAILED);
        log.error("CDC source {} failed", config.name(), masked);
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                             DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<RowChange> changes = new ArrayList<>(records.size());
        SourceRecord markerSeen = null;
        CatchUpMarker catchUp = marker;
        for (RecordChangeEvent<SourceRecord> r : records) {
            if (catchUp != null && catchUp.isMarker(r.record())) {
                markerSeen = r.record();
            }
            RowChange change = toRowChange(r.record());
            if (change != null && change.op() == RowChange.Op.READ && change.commitTimeMillis() > startedAt) {
                // A snapshot's ts_ms is the time the row was read, later than changes committed after the snapshot's
                // consistent point and streamed after it: the row is the version as of the capture's start.
                change = new RowChange(change.table(), change.op(), change.row(), startedAt, change.lsn(), change.before());
            }
            if (change != null) {
                changes.add(change);
            }
        }
        if (!changes.isEmpty()) {
            try {
                handler.handle(List.copyOf(changes));
            } catch (InterruptedException ex) {
                throw ex;
            } catch (Exception | Error ex) {
                // Not marking anything leaves the offsets at the previous batch: the next start
                // delivers this batch again. Throwing makes the engine stop instead of moving on.
                lastError.compareAndSet(null, masker.mask(ex));
                state.set(State.FAILED);
                log.error("CDC source {}: handler failed on a batch of {} changes; stopping so that"
                        + " nothing is lost", config.name(), changes.size());
                throw new HandlerFailedException(config.name());
            }
        }
        for (RecordChangeEvent<SourceRecord> r : records) {
            committer.markProcessed(r);
        }
        committer.markBatchFinished();
        if (markerSeen != null) {
            catchUp.arrived(markerSeen); // after the batch before it was handed on: everything older is delivered
        }
    }

    /** Null for records that carry no row change: tombstones, heartbeats. */
    static RowChange toRowChange(SourceRecord record) {
        if (CatchUpMarker.isMarkerTable(record)) {
            return null; // the MariaDB catch-up row: it proves the capture, it is no business row
        }
        return ChangeEvents.of(record.value());
    }

    Properties engineProperties() {
        if (config.kind() == CdcSourceConfig.Kind.MARIADB) {
            return mariaDbProperties();
        }
        Properties p = new Properties();
        p.setProperty("name", config.name());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("database.hostname", config.host());
        p.setProperty("database.port", Integer.toString(config.port()));
        p.setProperty("database.user", config.user());
        p.setProperty("database.password", config.password());
        p.setProperty("database.dbname", config.database());
        p.setProperty("topic.prefix", config.name());
        // Patterns in Debezium: quote the dot so that "public.orders" never matches "public_orders".
        p.setProperty("table.include.list", config.tables().stream()
                .map(t -> t.replace(".", "\\.").replace("$", "\\$"))
                .collect(Collectors.joining(",")));
        if (config.tables().contains(CapturedTables.SIGNAL_TABLE)) {
            // incremental snapshots on request (PUT /api/sources/{name}?snapshot=true), read beside the stream
            p.setProperty("signal.data.collection", CapturedTables.SIGNAL_TABLE);
        }
        p.setProperty("slot.name", config.slotName());
        p.setProperty("publication.name", config.publicationName());
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("snapshot.mode", config.snapshot() == CdcSourceConfig.Snapshot.NO_DATA ? "no_data" : "initial");
        p.setProperty("decimal.handling.mode", "precise");
        // Debezium skips TRUNCATE by default; Recon wants to see it and say what it does with it.
        p.setProperty("skipped.operations", "none");
        p.setProperty("poll.interval.ms", Long.toString(config.pollInterval().toMillis()));
        // Heartbeats move the slot forward while the captured tables are quiet but the server is
        // busy (the embedded default shares one server with Recon's own database); without them
        // the slot would pin WAL indefinitely. Heartbeat records are acknowledged, never delivered.
        p.setProperty("heartbeat.interval.ms", "10000");

        offsetStore(p);
        return p;
    }

    /**
     * MariaDB through Debezium's MySQL connector, which reads the row-based binlog as a replica would (see
     * {@link MariaDbDriver} for why MySQL's connector). The binlog connector also keeps the history of the tables'
     * schemas, to decode rows logged before a later ALTER: it is stored beside the offsets, in Recon's database.
     */
    private Properties mariaDbProperties() {
        Properties p = new Properties();
        p.setProperty("name", config.name());
        p.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        p.setProperty("database.jdbc.driver", MariaDbDriver.class.getName());
        p.setProperty("database.protocol", MariaDbDriver.PROTOCOL);
        p.setProperty("database.hostname", config.host());
        p.setProperty("database.port", Integer.toString(config.port()));
        p.setProperty("database.user", config.user());
        p.setProperty("database.password", config.password());
        // a replica's id, unique among the server's replicas and stable for this capture
        p.setProperty("database.server.id", Long.toString(10_000 + Math.floorMod(config.name().hashCode(), 1_000_000_000)));
        p.setProperty("topic.prefix", config.name());
        p.setProperty("database.include.list", config.database());
        List<String> tables = new ArrayList<>(config.tables());
        tables.add(config.database() + "." + MariaDbTables.MARKER_TABLE);
        p.setProperty("table.include.list", tables.stream()
                .map(t -> t.replace(".", "\\.").replace("$", "\\$"))
                .collect(Collectors.joining(",")));
        String signals = config.database() + ".recon_signal";
        if (config.tables().contains(signals)) {
            p.setProperty("signal.data.collection", signals);
        }
        p.setProperty("snapshot.mode", config.snapshot() == CdcSourceConfig.Snapshot.NO_DATA ? "no_data" : "initial");
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("skipped.operations", "none");
        p.setProperty("include.schema.changes", "false");
        p.setProperty("poll.interval.ms", Long.toString(config.pollInterval().toMillis()));
        p.setProperty("heartbeat.interval.ms", "10000");
        p.setProperty("connect.timeout.ms", "10000");
        p.setProperty("schema.history.internal", "io.debezium.storage.jdbc.history.JdbcSchemaHistory");
        p.setProperty("schema.history.internal.jdbc.connection.url", config.offsetJdbcUrl());
        p.setProperty("schema.history.internal.jdbc.connection.user", config.offsetUser());
        p.setProperty("schema.history.internal.jdbc.connection.password", config.offsetPassword());
        p.setProperty("schema.history.internal.jdbc.table.name", historyTable(config.name()));
        p.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
        p.setProperty("schema.history.internal.store.only.captured.databases.ddl", "true");
        offsetStore(p);
        return p;
    }

    private void offsetStore(Properties p) {
        p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.setProperty("offset.storage.jdbc.connection.url", config.offsetJdbcUrl());
        p.setProperty("offset.storage.jdbc.connection.user", config.offsetUser());
        p.setProperty("offset.storage.jdbc.connection.password", config.offsetPassword());
        // The store rewrites its whole table on every flush (DELETE then INSERT): sources sharing
        // one table would erase each other's offsets.
        p.setProperty("offset.storage.jdbc.table.name", offsetTable(config.name()));
        // Flush after every batch: a crash then re-delivers at most the batch in hand.
        p.setProperty("offset.flush.interval.ms", "0");
    }

    static String historyTable(String sourceName) {
        return "recon_cdc_history_" + sourceName.toLowerCase(Locale.ROOT);
    }

    static String offsetTable(String sourceName) {
        return "recon_cdc_offsets_" + sourceName.toLowerCase(Locale.ROOT);
    }

    /** Thrown into the engine to stop it; the real cause is in {@link #lastError()}. */
    static final class HandlerFailedException extends RuntimeException {
        HandlerFailedException(String source) {
            super("CDC source " + source + ": the row change handler failed; see the source's last error");
        }
    }
}
