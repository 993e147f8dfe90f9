package io.recon.offline;

import io.recon.fact.FactSpec;
import io.recon.fact.TaskFacts;
import io.recon.catalog.RuleSet;
import io.recon.release.ReleaseRegistry;
import io.recon.release.ReleasedKjars;
import io.recon.session.SessionManager;
import io.recon.session.SessionView;
import io.recon.session.RunBudget;
import io.recon.session.Simulation;
import io.recon.session.TaskGroups;
import io.recon.source.SourceBinding;
import io.recon.source.SourceCatalog;
import io.recon.source.SourceRecords;
import io.recon.system.KafkaEndpoint;
import io.recon.catalog.SourceDatabasePools;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.kie.api.KieBase;
import org.kie.api.definition.type.FactType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Starts, runs, lists and cancels offline runs. Runs go one at a time on a thread of their own, in the order they
 * were asked for: a run reads whole periods of its sources, and two at once would only slow each other down.
 */
@Service
public class OfflineRuns implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OfflineRuns.class);
    private static final long PROGRESS_EVERY_MS = 1_000;

    private final RunStore store;
    private final SourceRecords sources;
    private final SourceDatabasePools databases;
    private final KafkaEndpoint kafka;
    private final RuleSet active;
    private final ReleasedKjars kjars;
    private final ReleaseRegistry registry;
    private final TaskGroups taskGroups;
    private final SourceCatalog catalog;
    private final SessionManager sessions;
    private final ApplicationEventPublisher events;
    private final StatementFiles statementFiles;
    private final FileMappings mappings;
    private final JdbcTemplate jdbc;
    private final SqlChecks checks;
    private final SqlCheckLimits limits;
    private final Map<Long, RunProgress> running = new ConcurrentHashMap<>();
    private ExecutorService executor;
    private volatile boolean started;

    OfflineRuns(RunStore store, SourceRecords sources, SourceDatabasePools databases, KafkaEndpoint kafka, RuleSet active,
                ReleasedKjars kjars, ReleaseRegistry registry, TaskGroups taskGroups, SourceCatalog catalog, SessionManager sessions,
                ApplicationEventPublisher events, StatementFiles statementFiles, FileMappings mappings,
                JdbcTemplate jdbc, SqlChecks checks, SqlCheckLimits limits) {
        this.store = store;
        this.sources = sources;
        this.databases = databases;
        this.kafka = kafka;
        this.active = active;
        this.kjars = kjars;
        this.registry = registry;
        this.taskGroups = taskGroups;
        this.catalog = catalog;
        this.sessions = sessions;
        this.events = events;
        this.statementFiles = statementFiles;
        this.mappings = mappings;
        this.jdbc = jdbc;
        this.checks = checks;
        this.limits = limits;
    }

    /** What a run's API shows: the stored row, with the live progress while it runs. */
    public record RunView(long id, String kind, String task, Instant from, Instant to, String version, String status, String requestedBy,
                          Instant requestedAt, Instant finishedAt, long recordsRead, Long recordsTotal, Integer percent,
                          Long recordsPerSecond, long rejected, List<String> rejections, Map<String, Long> files, String error,
                          Comparison comparison) {
    }

    /** Checks the request and queues the run; @return its id. @throws RunRefusal with a sentence */
    public long start(String task, Instant from, Instant to, String version, String by) {
        return start(task, from, to, version, Map.of(), by);
    }

    /** @param files source to the id of a statement file read instead of its table or topic */
    public long start(String task, Instant from, Instant to, String version, Map<String, Long> files, String by) {
        if (task == null || !catalog.tasks().contains(task)) {
            throw new RunRefusal("There is no task '" + task + "'; tasks with sources are " + catalog.tasks());
        }
        if (from == null || to == null || !from.isBefore(to)) {
            throw new RunRefusal("A run needs a period: 'from' before 'to', both ISO instants such as 2026-12-01T00:00:00Z");
        }
        String rules = version == null || version.isBlank() ? active.version() : version;
        if (registry.find(rules).isEmpty()) {
            throw new RunRefusal("There is no rules version " + rules + "; GET /api/releases lists them");
        }
        Map<String, Long> byFile = files == null ? Map.of() : Map.copyOf(files);
        Map<String, SourceBinding> bound = sources.bindingsOf(task);
        byFile.forEach((source, file) -> {
            if (!bound.containsKey(source)) {
                throw new RunRefusal("Task " + task + " has no source '" + source + "' to read from a file; its sources are " + bound.keySet());
            }
            if (file == null || statementFiles.find(file).isEmpty()) {
                throw new RunRefusal("There is no uploaded file " + file + " (for source " + source + "); GET /api/runs/files lists them");
            }
            if (mappings.find(source).isEmpty()) {
                throw new RunRefusal("Source " + source + " has no file mapping: PUT /api/runs/mappings/" + source
                        + " with the column of each field first");
            }
        });
        long id = store.create(task, from, to, rules, by, byFile, RUNS);
        RunProgress progress = new RunProgress();
        running.put(id, progress);
        executor.submit(() -> execute(id, task, from, to, rules, by, byFile, progress));
        return id;
    }

    /** The tasks a run can be asked for: those with sources. */
    public Set<String> tasks() {
        return catalog.tasks();
    }

    public boolean cancel(long id) {
        RunProgress progress = running.get(id);
        if (progress == null) {
            return false;
        }
        progress.cancelled = true;
        return true;
    }

    public Optional<RunView> find(long id) {
        return store.find(id).map(this::view);
    }

    public List<RunView> list(String task) {
        return store.list(task, 100).stream().map(this::view).toList();
    }

    public List<Finding> findings(long id) {
        return store.findings(id);
    }

    private RunView view(RunStore.Row row) {
        RunProgress live = running.get(row.id());
        long read = live == null ? row.recordsRead() : live.read.get();
        Long total = live == null ? row.recordsTotal() : (live.total < 0 ? null : Long.valueOf(live.total));
        long rejected = live == null ? row.rejected() : live.rejectedCount.get();
        Instant end = row.finishedAt() == null ? Instant.now() : row.finishedAt();
        long millis = Math.max(1, Duration.between(row.requestedAt(), end).toMillis());
        Integer percent = total == null || total == 0 ? null : (int) Math.min(100, read * 100 / total);
        return new RunView(row.id(), row.kind(), row.task(), row.from(), row.to(), row.version(), row.status(), row.requestedBy(), row.requestedAt(),
                row.finishedAt(), read, total, percent, read * 1000 / millis, rejected,
                live == null ? row.rejections() : List.copyOf(live.rejected), row.files(), row.error(), row.comparison());
    }

    private void execute(long id, String task, Instant from, Instant to, String version, String by, Map<String, Long> files,
                         RunProgress progress) {
        long started = System.nanoTime();
        try {
            KieBase base = kjars.container(version).getKieBase(task);
            List<FactSpec> specs = catalog.factSpecs(task);
            TaskFacts facts = new TaskFacts(base, specs);
            long lateness = taskGroups.task(task).allowedLateness().toMillis();
            long margin = lateness + 2 * longestLife(base, facts, specs);
            Instant readFrom = from.minusMillis(margin);
            Instant readTo = to.plusMillis(margin);
            List<DatabaseSnapshot> snapshots = new ArrayList<>();
            List<RecordStream> streams = new ArrayList<>();
            // A rule that throws on a record is skipped, as the live sessions skip it (and quarantine it): a run reports what they would.
            // One session per partition of the task, split by key as the live path splits (RunPartitions).
            List<Simulation> sessions = new ArrayList<>();
            try {
                List<RunExecution> executions = new ArrayList<>();
                for (int p = 0; p < Math.max(1, taskGroups.task(task).partitions()); p++) {
                    Simulation session = new Simulation(base, facts, lateness, RunBudget.UNLIMITED.start(), true);
                    sessions.add(session);
                    executions.add(new RunExecution(session));
                }
                open(id, task, readFrom, readTo, files, progress, snapshots, streams);
                progress.total = streams.stream().mapToLong(RecordStream::estimatedTotal).sum();
                long[] lastWrite = {System.currentTimeMillis()};
                RunPartitions execution = new RunPartitions(executions, lateness, progress);
                boolean done = execution.run(streams, readTo.toEpochMilli() + margin, () -> {
                    if (System.currentTimeMillis() - lastWrite[0] >= PROGRESS_EVERY_MS) {
                        lastWrite[0] = System.currentTimeMillis();
                        store.progress(id, progress.read.get(), progress.total, progress.rejectedCount.get());
                    }
                });
                if (!done) {
                    store.finish(id, "CANCELLED", progress, null, null);
                    events.publishEvent(new RunFinished(id, RUNS, task, by, "CANCELLED", null, null));
                    return;
                }
                List<Finding> findings = execution.findings(from, to);
                store.saveFindings(id, findings);
                Instant until = liveClock(task, to);
                Comparison comparison = Comparison.of(findings, store.live(task, from, until), until);
                store.finish(id, "DONE", progress, null, comparison);
                events.publishEvent(new RunFinished(id, RUNS, task, by, "DONE", comparison, null));
                log.info("offline run {} of task '{}' over [{}, {}) on rules {}: {} records in {} ms, {} findings, comparison {}", id, task,
                        from, to, version, progress.read.get(), (System.nanoTime() - started) / 1_000_000, findings.size(),
                        comparison.empty() ? "empty" : comparison.missedByLive().size() + " missed by the live path, "
                                + comparison.onlyLive().size() + " only live");
            } finally {
                streams.forEach(RecordStream::close);
                snapshots.forEach(DatabaseSnapshot::close);
                sessions.forEach(Simulation::close);
            }
        } catch (RunRefusal e) {
            failed(id, RUNS, task, by, progress, e.getMessage());
        } catch (Exception e) {
            log.warn("offline run {} failed", id, e);
            failed(id, RUNS, task, by, progress, "the run stopped: " + e.getMessage());
        } finally {
            running.remove(id);
        }
    }

    private void failed(long id, String kind, String task, String by, RunProgress progress, String error) {
        store.finish(id, "FAILED", progress, error, null);
        events.publishEvent(new RunFinished(id, kind, task, by, "FAILED", null, error));
    }

    /**
     * Queues a run of the task's SQL check over [from, to): its sources' records of the period are read as a rules run
     * reads them (one snapshot per database), staged, and the check's rows compared with the live mismatches of the types
     * it covers. @return the run's id. @throws RunRefusal with a sentence
     */
    public long startCheck(String task, Instant from, Instant to, String by) {
        if (task == null || !catalog.tasks().contains(task)) {
            throw new RunRefusal("There is no task '" + task + "'; tasks with sources are " + catalog.tasks());
        }
        if (from == null || to == null || !from.isBefore(to)) {
            throw new RunRefusal("A run needs a period: 'from' before 'to', both ISO instants such as 2026-12-01T00:00:00Z");
        }
        SqlChecks.SqlCheck check = checks.find(task).orElseThrow(() -> new RunRefusal("Task " + task + " has no SQL check: PUT"
                + " /api/runs/checks/" + task + " with {\"sql\": \"select … as key, … as type from …\"} first"));
        long id = store.create(task, from, to, active.version(), by, Map.of(), SQL);
        RunProgress progress = new RunProgress();
        running.put(id, progress);
        executor.submit(() -> executeCheck(id, check, from, to, by, progress));
        return id;
    }

    /** Whether the task has an SQL check (a schedule runs it beside the rules). */
    public boolean hasCheck(String task) {
        return checks.find(task).isPresent();
    }

    private void executeCheck(long id, SqlChecks.SqlCheck check, Instant from, Instant to, String by, RunProgress progress) {
        String task = check.task();
        List<DatabaseSnapshot> snapshots = new ArrayList<>();
        List<RecordStream> streams = new ArrayList<>();
        try {
            List<StagedTables.Table> tables = checks.tables(task);
            SqlCheckPolicy.vet(check.sql(), StagedTables.names(tables)); // the policy may have tightened since it was saved
            List<Map<String, Object>> rows;
            try (java.sql.Connection connection = jdbc.getDataSource().getConnection(); StagedTables staged = new StagedTables(connection, tables)) {
                open(id, task, from, to, Map.of(), progress, snapshots, streams);
                progress.total = streams.stream().mapToLong(RecordStream::estimatedTotal).sum();
                for (RecordStream stream : streams) {
                    for (SourceRecord r = stream.next(); r != null; r = stream.next()) {
                        if (progress.cancelled) {
                            store.finish(id, "CANCELLED", progress, null, null);
                            events.publishEvent(new RunFinished(id, SQL, task, by, "CANCELLED", null, null));
                            return;
                        }
                        staged.add(r);
                        progress.read.incrementAndGet();
                    }
                }
                rows = staged.query(check.sql(), limits.timeout(), limits.rows());
            }
            List<Finding> findings = SqlCheckFindings.of(rows, from);
            store.saveFindings(id, findings);
            Instant until = liveClock(task, to);
            List<Finding> live = store.live(task, from, until).stream()
                    .filter(f -> check.types().isEmpty() || check.types().contains(f.type())).toList();
            Comparison comparison = Comparison.of(findings, live, until);
            store.finish(id, "DONE", progress, null, comparison);
            events.publishEvent(new RunFinished(id, SQL, task, by, "DONE", comparison, null));
            log.info("SQL check run {} of task '{}' over [{}, {}): {} records staged, {} rows, comparison {}", id, task, from, to,
                    progress.read.get(), findings.size(), comparison.empty() ? "empty" : comparison.missedByLive().size()
                            + " missed by the live path, " + comparison.onlyLive().size() + " only live");
        } catch (RunRefusal e) {
            failed(id, SQL, task, by, progress, e.getMessage());
        } catch (Exception e) {
            log.warn("SQL check run {} failed", id, e);
            failed(id, SQL, task, by, progress, "the check stopped: " + e.getMessage());
        } finally {
            streams.forEach(RecordStream::close);
            snapshots.forEach(DatabaseSnapshot::close);
            running.remove(id);
        }
    }

    /** The kinds of run: of the rules, or of the task's SQL check. */
    static final String RUNS = "RULES";
    static final String SQL = "SQL";

    /** One stream per source of the task; the tables of one database share its snapshot. */
    private void open(long id, String task, Instant from, Instant to, Map<String, Long> files, RunProgress progress,
                      List<DatabaseSnapshot> snapshots, List<RecordStream> streams) throws Exception {
        Map<String, DatabaseSnapshot> byDatabase = new LinkedHashMap<>();
        for (Map.Entry<String, SourceBinding> e : sources.bindingsOf(task).entrySet()) {
            SourceBinding binding = e.getValue();
            Long file = files.get(e.getKey());
            if (file != null) {
                streams.add(new FileRecords(id, e.getKey(), statementFiles.find(file).orElseThrow(), statementFiles,
                        mappings.find(e.getKey()).orElseThrow(), from, to, sources, jdbc, progress));
                continue;
            }
            switch (binding.kind()) {
                case TABLE -> {
                    DatabaseSnapshot db = byDatabase.get(binding.database());
                    if (db == null) {
                        db = new DatabaseSnapshot(binding.database(), databases.pool(binding.database(), "offline", true));
                        byDatabase.put(binding.database(), db);
                        snapshots.add(db);
                    }
                    streams.add(new TableRecords(e.getKey(), binding, db, from, to, sources, progress));
                }
                case TOPIC -> streams.add(new TopicRecords(id, e.getKey(), binding.topic(), kafka, from, to, sources, jdbc, progress));
                case CONNECT -> progress.reject(e.getKey(), "(source)", "a Kafka Connect change stream; an offline run reads"
                        + " tables and business-event topics, not change events (bind the table as a TABLE source to compare it)");
                case HTTP -> progress.reject(e.getKey(), "(source)", "pushed over HTTP, its events are kept only on the facts topic;"
                        + " an offline run does not read it");
            }
        }
    }

    /** How far the task's live sessions have judged: the lowest of their clocks, at most {@code to}. */
    private Instant liveClock(String task, Instant to) {
        Instant until = to;
        for (SessionView s : sessions.sessions()) {
            if (s.task().equals(task)) {
                Instant clock = s.watermark() == null ? Instant.EPOCH : s.watermark();
                until = clock.isBefore(until) ? clock : until;
            }
        }
        return until;
    }

    /** The longest a fact of the task lives in a session (its type's @expires): how long a partner may be waited for. */
    private static long longestLife(KieBase base, TaskFacts facts, List<FactSpec> specs) {
        long longest = 0;
        for (FactSpec spec : specs) {
            int dot = spec.type().lastIndexOf('.');
            FactType type = base.getFactType(spec.type().substring(0, dot), spec.type().substring(dot + 1));
            if (type != null) {
                long life = facts.expiresAfter(type.getFactClass());
                if (life != Long.MAX_VALUE) {
                    longest = Math.max(longest, life);
                }
            }
        }
        return longest;
    }

    @Override
    public void start() {
        int abandoned = store.failAbandoned();
        if (abandoned > 0) {
            log.info("{} offline run(s) were left RUNNING by the last stop and are marked FAILED", abandoned);
        }
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "offline-run");
            t.setDaemon(true);
            return t;
        });
        started = true;
    }

    @Override
    public void stop() {
        running.values().forEach(p -> p.cancelled = true);
        if (executor != null) {
            executor.shutdownNow();
        }
        started = false;
    }

    @Override
    public boolean isRunning() {
        return started;
    }
}
