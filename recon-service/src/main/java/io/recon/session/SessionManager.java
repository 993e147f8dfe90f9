package io.recon.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.recon.deadletter.DeadLetters;
import io.recon.fact.FactPublisher;
import io.recon.fact.FactsTopic;
import io.recon.catalog.RuleSet;
import io.recon.source.SourceBinding;
import io.recon.source.SourceCatalog;
import io.recon.source.SourceClocks;
import io.recon.system.KafkaEndpoint;
import io.recon.system.SupervisionProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.kie.api.builder.ReleaseId;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts one session per (task group, partition), each on its own thread under a supervisor that
 * restarts it with back-off when it fails, and the watermark clock of every task group; stops them on
 * shutdown. Starts before the sources and stops after them.
 *
 * <p>With several instances ({@code recon.cluster.enabled}) a session runs here only for the partitions the task
 * group's consumer group gives this instance ({@link GroupMembership}), and the watermarks are published only by the
 * instance that runs the sources ({@link io.recon.cluster.Singletons}): every source's clock is there.
 */
@Component
public class SessionManager implements SmartLifecycle {

    public static final int PHASE = 100;
    private static final Logger log = LoggerFactory.getLogger(SessionManager.class);
    /** How long a switch or pause waits for the sessions to take it before answering anyway. */
    private static final int PAUSE_TIMEOUT_SECONDS = 10;

    private final TaskGroups taskGroups;
    private final SourceCatalog catalog;
    private final RuleSet rules;
    private final KafkaEndpoint kafka;
    private final CheckpointStore checkpoints;
    private final DeadLetters deadLetters;
    private final SourceClocks clocks;
    private final FactPublisher publisher;
    private final MeterRegistry metrics;
    private final RuleQuarantine quarantine;
    private final SupervisionProperties supervision;
    private final ApplicationEventPublisher events;
    private final List<SupervisedSession> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Per session, its gauges: removed with the session when its partition moves to another instance. */
    private final Map<SupervisedSession, List<Gauge>> gauges = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<GroupMembership> memberships = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Task groups whose sessions were started: a binding to a task group not among them starts it live. */
    private final java.util.Set<String> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final io.recon.cluster.ClusterProperties cluster;
    private final io.recon.cluster.InstanceId instance;
    private final io.recon.cluster.Singletons singletons;
    private final List<WatermarkEmitter> emitters = new java.util.concurrent.CopyOnWriteArrayList<>(); // the clock thread reads it
    private ScheduledExecutorService clock;
    private ScheduledExecutorService supervisor;
    private volatile boolean running;

    private final io.recon.system.ReconDatabase database;

    SessionManager(TaskGroups taskGroups, SourceCatalog catalog, RuleSet rules, KafkaEndpoint kafka,
                   CheckpointStore checkpoints, DeadLetters deadLetters, SourceClocks clocks, FactPublisher publisher,
                   MeterRegistry metrics, RuleQuarantine quarantine, SupervisionProperties supervision, ApplicationEventPublisher events,
                   io.recon.system.ReconDatabase database, io.recon.cluster.ClusterProperties cluster,
                   io.recon.cluster.InstanceId instance, io.recon.cluster.Singletons singletons) {
        this.cluster = cluster;
        this.instance = instance;
        this.singletons = singletons;
        this.database = database;
        this.quarantine = quarantine;
        this.supervision = supervision;
        this.events = events;
        this.taskGroups = taskGroups;
        this.catalog = catalog;
        this.rules = rules;
        this.kafka = kafka;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.clocks = clocks;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    @Override
    public synchronized void start() {
        quarantine.load();
        for (String task : catalog.tasks()) {
            startTaskGroup(task);
        }
        clock = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "recon-watermarks"));
        clock.scheduleWithFixedDelay(this::tick, 0, 200, TimeUnit.MILLISECONDS);
        supervisor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "recon-supervisor"));
        supervisor.scheduleWithFixedDelay(this::supervise, 200, 200, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** The facts topic, the sessions (or the group membership that hands them out) and the watermark clock of one task group. */
    private void startTaskGroup(String task) {
        TaskGroupsProperties.TaskGroup config = taskGroups.task(task);
        int partitions = FactsTopic.ensure(kafka.bootstrap(), task, config.partitions());
        started.add(task);
        if (cluster.enabled()) {
            GroupMembership membership = new GroupMembership(task, kafka.bootstrap(), cluster, instance.id(), new GroupMembership.Sessions() {
                @Override
                public void assigned(String t, java.util.Set<Integer> ps) {
                    ps.forEach(p -> startSession(t, p, config));
                }

                @Override
                public void revoked(String t, java.util.Set<Integer> ps) {
                    stopSessions(t, ps);
                }
            });
            memberships.add(membership);
            membership.start();
        } else {
            for (int p = 0; p < partitions; p++) {
                startSession(task, p, config);
            }
        }
        emitters.add(new WatermarkEmitter(task, () -> sourcesOf(task), partitions, config, clocks, publisher));
        log.info("task group '{}': {} sessions on rules {}, sources {}", task, partitions, rules.version(), catalog.sourcesOf(task));
    }

    /**
     * A task group whose first source binding was just stored (its KieBase is in the active rules: the catalog's checks
     * said so) starts here and now: topic, sessions, clock. Runs after the source catalog took the binding (order 0)
     * and before the source itself starts publishing to the task's facts topic.
     */
    @org.springframework.context.event.EventListener
    @org.springframework.core.annotation.Order(1)
    public synchronized void sourceChanged(io.recon.catalog.CatalogChanged.SourceChanged change) {
        if (!running) {
            return; // start() takes every task group the catalog feeds
        }
        for (String task : catalog.tasks()) {
            if (!started.contains(task)) {
                startTaskGroup(task);
            }
        }
    }

    private synchronized void startSession(String task, int partition, TaskGroupsProperties.TaskGroup config) {
        startSession(task, partition, config, new java.util.concurrent.atomic.AtomicBoolean(), Map.of());
    }

    /**
     * @param rebuilt    true while the session is being rebuilt on a new rules version (see {@link #rebuild})
     * @param heldBefore for a rebuild, the findings the session before it held, with their evidence
     */
    private synchronized void startSession(String task, int partition, TaskGroupsProperties.TaskGroup config,
                                           java.util.concurrent.atomic.AtomicBoolean rebuilt,
                                           Map<io.recon.rules.Mismatch, java.util.Set<String>> heldBefore) {
        if (find(task, partition).isPresent()) {
            return;
        }
        // each (re)start takes the active rules and the current bindings
        SupervisedSession worker = new SupervisedSession(task, partition, () -> new PartitionWorker(task, partition, config,
                rules.newSessionContainer(task, partition), rules.version(task, partition), () -> catalog.factSpecs(task), kafka.bootstrap(), checkpoints,
                deadLetters, metrics, quarantine.forSession(task, partition), instance.id()).reportingWhenLive(rebuilt, heldBefore),
                supervision, events::publishEvent, () -> database.problem().isEmpty());
        workers.add(worker);
        gauges.put(worker, List.of(
                Gauge.builder("recon.session.queue.depth", worker, w -> w.view().queueDepth())
                        .description("records waiting in the session's partition")
                        .tags("task", task, "partition", String.valueOf(partition)).register(metrics),
                Gauge.builder("recon.session.restarts", worker, w -> w.view().restarts())
                        .description("restarts of the session after a failure")
                        .tags("task", task, "partition", String.valueOf(partition)).register(metrics)));
        worker.start();
        if (!taskGroups.enabled(task)) {
            worker.pause(true); // switched off in the catalog: its facts stay, nothing new is consumed
        }
    }

    /** Stops the sessions of partitions that move to another instance; each stores what it found first. */
    private synchronized void stopSessions(String task, java.util.Set<Integer> partitions) {
        List<SupervisedSession> leaving = workers.stream().filter(w -> w.task().equals(task) && partitions.contains(w.partition())).toList();
        leaving.forEach(SupervisedSession::stop);
        for (SupervisedSession session : leaving) {
            try {
                session.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            workers.remove(session);
            List<Gauge> gone = gauges.remove(session);
            if (gone != null) {
                gone.forEach(metrics::remove);
            }
        }
    }

    /** The task's sources as the catalog has them now (a source added or removed live counts from the next tick). */
    private Map<String, SourceBinding.Kind> sourcesOf(String task) {
        Map<String, SourceBinding.Kind> sources = new TreeMap<>();
        for (String source : catalog.sourcesOf(task)) {
            SourceBinding binding = catalog.binding(source);
            if (binding != null) { // removed between the two reads
                sources.put(source, binding.kind());
            }
        }
        return sources;
    }

    private void tick() {
        try {
            if (!singletons.leading()) {
                return; // the instance that runs the sources publishes the clock: every source's clock is there
            }
            long now = System.currentTimeMillis();
            emitters.forEach(e -> e.tick(now));
        } catch (RuntimeException e) {
            log.warn("watermark not published, retrying: {}", e.toString());
        }
    }

    private void supervise() {
        long now = System.currentTimeMillis();
        for (SupervisedSession session : workers) {
            try {
                session.check(now);
            } catch (RuntimeException e) {
                log.warn("supervision of session {}/{} failed, retrying: {}", session.task(), session.partition(), e.toString());
            }
        }
    }

    /**
     * A task switched off in the catalog stops consuming its facts topic (its sessions keep their facts and offsets);
     * switched on, it resumes where it stopped, so nothing published meanwhile is lost.
     */
    @org.springframework.context.event.EventListener
    public void taskChanged(io.recon.catalog.CatalogChanged.TaskChanged change) {
        boolean on = change.after() == null || change.after().isEnabled();
        boolean was = change.before() == null || change.before().isEnabled();
        if (on != was) {
            List<CompletableFuture<Void>> taken;
            synchronized (this) {
                taken = workers.stream().filter(w -> w.task().equals(change.name())).map(w -> w.pause(!on)).toList();
            }
            // outside the lock: the change is answered once every session has taken it (a record published after
            // the switch-off is not consumed), so the wait must not hold up the sessions' own calls into the manager
            awaitTaken(taken, change.name());
            log.info("task group '{}' switched {} in the catalog", change.name(), on ? "on: its sessions resume" : "off: its sessions pause");
        }
    }

    private static void awaitTaken(List<CompletableFuture<Void>> taken, String task) {
        try {
            CompletableFuture.allOf(taken.toArray(CompletableFuture[]::new)).get(PAUSE_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("task group '{}': a session did not take the switch within {} s (it takes it at its next poll)", task, PAUSE_TIMEOUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void stop() {
        // first, and outside this lock: leaving the group hands the partitions on through stopSessions, which takes it
        List<GroupMembership> leaving;
        synchronized (this) {
            running = false;
            leaving = List.copyOf(memberships);
            memberships.clear();
        }
        leaving.forEach(GroupMembership::stop);
        stopAll();
    }

    private synchronized void stopAll() {
        if (clock != null) {
            clock.shutdownNow();
        }
        if (supervisor != null) {
            supervisor.shutdownNow();
            try {
                supervisor.awaitTermination(5, TimeUnit.SECONDS); // no restart may race the shutdown
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.forEach(SupervisedSession::stop);
        for (SupervisedSession session : workers) {
            try {
                session.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
        gauges.values().forEach(g -> g.forEach(metrics::remove));
        gauges.clear();
        emitters.clear();
        started.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Moves every session to another rules version, each on its own thread (see {@link PartitionWorker#update}).
     * Completes with the longest pause any session saw, in ms.
     */
    public synchronized List<CompletableFuture<Long>> updateRules(ReleaseId releaseId, String version) {
        return updateRules(releaseId, version, java.util.Set.of());
    }

    /**
     * Moves the sessions in place to a version, those of the {@code rebuilt} task groups excepted, and those that run it
     * already (a canary's, when its version is rolled out).
     */
    public synchronized List<CompletableFuture<Long>> updateRules(ReleaseId releaseId, String version, java.util.Set<String> rebuilt) {
        return workers.stream().filter(w -> !rebuilt.contains(w.task()) && !version.equals(w.rulesVersion()))
                .map(w -> w.update(releaseId, version)).toList();
    }

    /** Moves the sessions of some partitions of one task group in place to a version (a canary's, or back from it). */
    public synchronized List<CompletableFuture<Long>> updateRules(ReleaseId releaseId, String version, String task,
                                                                  java.util.Set<Integer> partitions) {
        return workers.stream().filter(w -> w.task().equals(task) && partitions.contains(w.partition()))
                .map(w -> w.update(releaseId, version)).toList();
    }

    /**
     * Rebuilds a task group's sessions on the active rules by replay, for a version an in-place update cannot take (it
     * changes the fields of a bound type): each session stores what it found and its checkpoint and stops; a new one
     * replays the partition from the checkpoint's replay mark on the event-time clock, silently, and once live reports
     * what the new rules conclude. @return how long the slowest partition was not running, in milliseconds
     */
    public long rebuild(String task, Duration timeout) {
        long started = System.nanoTime();
        synchronized (this) {
            List<SupervisedSession> before = workers.stream().filter(w -> w.task().equals(task)).toList();
            java.util.Set<Integer> partitions = before.stream().map(SupervisedSession::partition)
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
            stopSessions(task, partitions);
            TaskGroupsProperties.TaskGroup config = taskGroups.task(task);
            // what each stopped session held: a finding the new rules no longer make on the same facts is withdrawn
            Map<Integer, Map<io.recon.rules.Mismatch, java.util.Set<String>>> held = new TreeMap<>();
            before.forEach(s -> held.put(s.partition(), s.heldAtStop()));
            partitions.forEach(p -> startSession(task, p, config, new java.util.concurrent.atomic.AtomicBoolean(true),
                    held.getOrDefault(p, Map.of())));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sessions().stream().anyMatch(v -> v.task().equals(task) && !"RUNNING".equals(v.state()) && !"PAUSED".equals(v.state()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sessions of task group '" + task + "' were not running again " + timeout.toSeconds()
                        + " s after their rebuild started; they go on replaying (see /actuator/recon)");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Per partition of a task group, its last checkpoint: also the partitions other instances run. */
    public Map<Integer, Checkpoint> checkpoints(String task) {
        return checkpoints.committed(task);
    }

    public List<SessionView> sessions() {
        return workers.stream().map(SupervisedSession::view).toList();
    }

    /** Pauses (true) or resumes (false) one session; @return false when there is no such session. */
    public boolean pause(String task, int partition, boolean pause) {
        java.util.Optional<CompletableFuture<Void>> taken = find(task, partition).map(s -> s.pause(pause));
        taken.ifPresent(t -> awaitTaken(List.of(t), task));
        return taken.isPresent();
    }

    /** Stores one session's findings and checkpoint now; completes with the checkpoint's next offset. */
    public java.util.Optional<CompletableFuture<Long>> checkpointNow(String task, int partition) {
        return find(task, partition).map(SupervisedSession::checkpointNow);
    }

    private java.util.Optional<SupervisedSession> find(String task, int partition) {
        return workers.stream().filter(s -> s.task().equals(task) && s.partition() == partition).findFirst();
    }
}
