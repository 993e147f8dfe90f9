package io.recon.session;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recon.deadletter.DeadLetters;
import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactsTopic;
import io.recon.fact.TaskFacts;
import io.recon.mismatch.MismatchChange;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import io.recon.rules.Mismatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import io.recon.fact.FactSpec;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.Results;
import org.kie.api.runtime.KieContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that owns one session: it reads its partition of the task group's facts topic in bounded
 * batches, applies each record, and stores the batch's mismatches together with the checkpoint.
 *
 * <p>At start it restores state by replay: from the checkpoint's replay mark up to the checkpoint's
 * offset the records are applied silently (their effects are already stored), then it goes live.
 * A slow or failing session holds back only its own partition.
 */
final class PartitionWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);
    private static final long CHECKPOINT_EVERY_MS = 1000;
    private static final long MARK_SPACING_MS = 10_000;
    /**
     * While records wait in the partition, findings are stored at most this often. Storing them after every poll
     * (one transaction per 500 records at 1 % mismatches) had the sessions wait on PostgreSQL for a quarter of their
     * time in the throughput benchmark's flight recording; once the session has caught up, a batch's findings are
     * stored at once, so live latency does not change. A crash loses nothing: the replay from the checkpoint re-finds them.
     */
    private static final long BACKLOG_COMMIT_EVERY_MS = 500;

    private final String task;
    private final int partition;
    private final TaskGroupsProperties.TaskGroup config;
    /** This session's own container: a rules update replaces its KieBase in place, on this thread. */
    private final KieContainer container;
    private final java.util.function.Supplier<List<FactSpec>> specsNow;
    private List<FactSpec> specs;
    private volatile String rulesVersion;
    private TaskFacts facts;
    private final Queue<RulesUpdate> updates = new ConcurrentLinkedQueue<>();
    private final String bootstrap;
    private final CheckpointStore checkpoints;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;
    private final Map<String, Long> firingsReported = new HashMap<>();
    private final RuleFaults faults;
    private final Queue<CompletableFuture<Long>> checkpointRequests = new ConcurrentLinkedQueue<>();
    private volatile boolean paused;
    /** Callers of {@link #pause} waiting until the consumer has taken the change (or the worker stopped). */
    private final Queue<CompletableFuture<Void>> pauseTaken = new ConcurrentLinkedQueue<>();
    /** The waiters taken from {@link #pauseTaken} in the loop's current round (worker thread only). */
    private List<CompletableFuture<Void>> waiting = List.of();
    /** Set while the session is rebuilt on a new rules version: its findings are reported once it is live again. */
    private java.util.concurrent.atomic.AtomicBoolean reportWhenLive = new java.util.concurrent.atomic.AtomicBoolean();
    /** For a rebuild: what the session before it held, so the findings the new rules no longer make are withdrawn. */
    private Map<Mismatch, Set<String>> heldBefore = Map.of();
    private volatile Map<Mismatch, Set<String>> heldAtStop = Map.of();
    /** Who runs this session (the instance): its claim on the partition fences every checkpoint it stores. */
    private final String owner;
    private PartitionOwners.Claim claim;

    private volatile boolean running = true;
    private volatile String state = "STARTING";
    private volatile String lastError;
    private volatile long queueDepth;
    private volatile long lastEventTime;
    private volatile long nextOffset;
    private volatile long lastCheckpointWall;
    /** Live facts the rules saw since the last checkpoint: stored with it, so a crash neither loses nor repeats a count. */
    private long checkedSinceCommit;
    private volatile SessionEngine engine;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /** A request to move this session to another rules version; completed with the pause it caused, in ms. */
    private record RulesUpdate(ReleaseId releaseId, String version, CompletableFuture<Long> done) {
    }

    PartitionWorker(String task, int partition, TaskGroupsProperties.TaskGroup config, KieContainer container, String rulesVersion,
                    java.util.function.Supplier<List<FactSpec>> specs, String bootstrap, CheckpointStore checkpoints, DeadLetters deadLetters, MeterRegistry metrics,
                    RuleFaults faults, String owner) {
        this.owner = owner;
        this.faults = faults;
        this.task = task;
        this.partition = partition;
        this.config = config;
        this.container = container;
        this.rulesVersion = rulesVersion;
        this.specsNow = specs;
        this.specs = specs.get();
        this.facts = new TaskFacts(container.getKieBase(task), this.specs);
        this.bootstrap = bootstrap;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** The replay this worker starts with rebuilds the session on a new rules version: report what it concludes once live. */
    PartitionWorker reportingWhenLive(java.util.concurrent.atomic.AtomicBoolean pending, Map<Mismatch, Set<String>> heldBefore) {
        this.reportWhenLive = pending;
        this.heldBefore = heldBefore;
        return this;
    }

    /** The findings this worker's session held when it stopped, with their evidence (empty until it stopped). */
    Map<Mismatch, Set<String>> heldAtStop() {
        return heldAtStop;
    }

    @Override
    public void run() {
        try (SessionEngine session = new SessionEngine(container.getKieBase(task), facts, config.allowedLateness().toMillis(),
                faults, config.maxFirings(), true);
             KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerProperties())) {
            this.engine = session;
            this.consumer = kafka;
            TopicPartition tp = new TopicPartition(FactsTopic.name(task), partition);
            kafka.assign(List.of(tp));
            // the claim before the checkpoint: a previous owner's last checkpoint is either stored before it or refused
            claim = checkpoints.claim(task, partition, owner);
            Checkpoint checkpoint = checkpoints.load(task, partition).orElse(null);
            long silentUntil = 0;
            long runStart = 0;
            long committedOffset = 0;
            if (checkpoint != null) {
                kafka.seek(tp, checkpoint.replayFrom());
                silentUntil = checkpoint.nextOffset();
                runStart = checkpoint.replayFrom();
                committedOffset = checkpoint.nextOffset();
                // the read position, not the checkpoint: the replay is over when the position reaches silentUntil
                // (starting at the checkpoint's offset made an empty first poll end the replay before it began)
                nextOffset = checkpoint.replayFrom();
                state = "REPLAYING";
                log.info("session {}/{} replays offsets {}..{} to rebuild its state", task, partition, runStart, silentUntil);
            } else {
                kafka.seekToBeginning(List.of(tp));
                state = "RUNNING";
            }
            ReplayMarks marks = new ReplayMarks(MARK_SPACING_MS, runStart);
            boolean consumerPaused = false;
            while (running) {
                // taken before the flag is read: pause() sets the flag first, so a waiter drained here sees it applied
                waiting = drain(pauseTaken);
                if (paused != consumerPaused) {
                    // a paused partition is still polled (the consumer stays alive) but hands out no records
                    consumerPaused = paused;
                    if (consumerPaused) {
                        kafka.pause(List.of(tp));
                    } else {
                        kafka.resume(List.of(tp));
                    }
                    log.info("session {}/{} {} at offset {}", task, partition, consumerPaused ? "paused" : "resumed", nextOffset);
                }
                org.apache.kafka.clients.consumer.ConsumerRecords<byte[], byte[]> polled;
                try {
                    polled = kafka.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break; // stopping
                }
                takeNewTypes(session); // after the poll: a record of a type bound meanwhile was published after the catalog took it
                for (ConsumerRecord<byte[], byte[]> record : polled) {
                    boolean live = record.offset() >= silentUntil;
                    session.setRecording(live);
                    applyOne(session, record, live, marks);
                    nextOffset = record.offset() + 1;
                }
                if (nextOffset >= silentUntil) {
                    if ("REPLAYING".equals(state)) {
                        log.info("session {}/{} rebuilt: {} live facts, clock at {}", task, partition,
                                session.liveFactsByType(), Instant.ofEpochMilli(session.clock()));
                    }
                    state = consumerPaused ? "PAUSED" : "RUNNING";
                    queueDepth = kafka.currentLag(tp).orElse(0);
                    boolean rebuilt = reportWhenLive.get();
                    if (rebuilt) {
                        SessionEngine.Reported reported = session.reportLive(heldBefore);
                        log.info("session {}/{} rebuilt on rules {}: {} findings reported, {} withdrawn", task, partition, rulesVersion,
                                reported.detected(), reported.withdrawn());
                    }
                    committedOffset = commitIfDue(session, marks, committedOffset, rebuilt || !checkpointRequests.isEmpty());
                    if (rebuilt) {
                        reportWhenLive.set(false); // stored with the checkpoint: a later restart replays silently again
                    }
                    for (CompletableFuture<Long> request; (request = checkpointRequests.poll()) != null; ) {
                        request.complete(committedOffset);
                    }
                    // Rules updates wait until a replay is over: a checkpoint written mid-replay would move its end.
                    for (RulesUpdate update; (update = updates.poll()) != null; ) {
                        committedOffset = applyUpdate(session, marks, committedOffset, update);
                    }
                }
                kafka.currentLag(tp).ifPresent(lag -> queueDepth = lag);
                // after a poll with the change in force: what came before it is applied, nothing comes after a pause
                waiting.forEach(w -> w.complete(null));
            }
            heldAtStop = session.heldFindings();
            finalCommit(session, marks, committedOffset, silentUntil);
        } catch (WakeupException e) {
            // closing
        } catch (PartitionOwners.FencedOut e) {
            lastError = e.getMessage();
            state = "FENCED";
            log.warn("{}", e.getMessage());
        } catch (RuntimeException e) {
            lastError = e.toString();
            state = "FAILED";
            log.error("session {}/{} stopped", task, partition, e);
        } finally {
            if (!"FAILED".equals(state) && !"FENCED".equals(state)) {
                state = "STOPPED";
            }
            container.dispose();
            for (RulesUpdate update; (update = updates.poll()) != null; ) {
                update.done().completeExceptionally(new IllegalStateException("session " + task + "/" + partition + " stopped"));
            }
            for (CompletableFuture<Long> request; (request = checkpointRequests.poll()) != null; ) {
                request.completeExceptionally(new IllegalStateException("session " + task + "/" + partition + " stopped before its checkpoint"));
            }
            // a stopped worker consumes nothing either: the waiters of its last round too, if it ended in that round
            waiting.forEach(w -> w.complete(null));
            drain(pauseTaken).forEach(w -> w.complete(null));
        }
    }

    String rulesVersion() {
        return rulesVersion;
    }

    /**
     * Asks this session to run another rules version. The update happens on the session's own thread,
     * between two records: {@code KieContainer.updateToVersion} swaps the rules in place, the session keeps
     * its facts, clock and timers, and new or changed rules fire at once on the facts already there
     * (the store is idempotent per task, key and type, so nothing is reported twice).
     */
    CompletableFuture<Long> update(ReleaseId releaseId, String version) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        updates.add(new RulesUpdate(releaseId, version, done));
        return done;
    }

    private long applyUpdate(SessionEngine session, ReplayMarks marks, long committedOffset, RulesUpdate update) {
        long started = System.nanoTime();
        try {
            committedOffset = commitIfDue(session, marks, committedOffset, true); // what the old rules found is stored under their version
            Results results = UpdatableKieModule.updateToVersion(container, update.releaseId()); // keeps the facts on the executable model
            if (results.hasMessages(Message.Level.ERROR)) {
                throw new IllegalStateException("rules " + update.version() + " could not replace " + rulesVersion + " in session " + task
                        + "/" + partition + ": " + results.getMessages(Message.Level.ERROR));
            }
            specs = specsNow.get();
            TaskFacts updated = new TaskFacts(container.getKieBase(task), specs);
            session.useFacts(updated);
            facts = updated;
            rulesVersion = update.version();
            session.fire();
            committedOffset = commitIfDue(session, marks, committedOffset, true);
            long pause = (System.nanoTime() - started) / 1_000_000;
            log.info("session {}/{} now runs rules {} ({} ms, facts kept: {})", task, partition, update.version(), pause, session.liveFactsByType());
            update.done().complete(pause);
        } catch (RuntimeException e) {
            log.warn("session {}/{} could not take rules {}; it keeps {}", task, partition, update.version(), rulesVersion, e);
            update.done().completeExceptionally(e);
        }
        return committedOffset;
    }

    /**
     * A type the catalog began to feed while the session runs (a new source binding, a lookup's answer type) is taken
     * after each poll, before its records apply: its facts are published only after the catalog stored it, so the
     * poll that brings the first of them finds it in the catalog.
     */
    private void takeNewTypes(SessionEngine session) {
        List<FactSpec> now = specsNow.get();
        if (!now.equals(specs)) {
            try {
                TaskFacts updated = new TaskFacts(container.getKieBase(task), now);
                session.useFacts(updated);
                facts = updated;
                specs = now;
            } catch (IllegalArgumentException e) {
                log.warn("session {}/{} keeps its fact types: {}", task, partition, e.getMessage());
                specs = now; // said once; the catalog's checks refuse such a binding before it is stored
            }
        }
    }

    private void applyOne(SessionEngine session, ConsumerRecord<byte[], byte[]> record, boolean live, ReplayMarks marks) {
        FactEnvelope envelope;
        try {
            envelope = FactCodec.decode(record.value());
        } catch (RuntimeException e) {
            if (live) {
                deadLetters.record(FactsTopic.name(task), "not a facts-topic record at offset " + record.offset()
                        + " of partition " + partition + ": " + e.getMessage(), FactCodec.describe(record.value()));
            }
            return;
        }
        try {
            int news = session.apply(envelope);
            if (live) {
                checkedSinceCommit += news;
            }
        } catch (RuntimeException e) {
            String source = envelope.source() == null ? FactsTopic.name(task) : envelope.source();
            if (live) {
                deadLetters.record(source, "the rules of task '" + task + "' could not take this record: " + e.getMessage(),
                        FactCodec.describe(record.value()));
            } else if (reportWhenLive.get()) {
                // a rebuild on a version that retypes a field: a retained record it cannot convert leaves the session here,
                // so it is kept with the reason rather than lost (a later replay of the same version skips it silently)
                deadLetters.record(source, "rules " + rulesVersion + " could not take this record when session " + task + "/" + partition
                        + " was rebuilt on them (the version before had taken it): " + e.getMessage(), FactCodec.describe(record.value()));
            }
            return;
        }
        if (envelope.kind() == FactEnvelope.Kind.WATERMARK) {
            marks.watermarkAt(record.offset(), envelope.watermark());
        } else {
            lastEventTime = envelope.fact().eventTime();
        }
    }

    /**
     * A session that stops in order (shutdown, or its partition moves to another instance) stores what it found since
     * its last checkpoint, so that the next owner starts from here rather than replaying it. A failure here loses
     * nothing: the next owner replays from the checkpoint before.
     */
    private void finalCommit(SessionEngine session, ReplayMarks marks, long committedOffset, long silentUntil) {
        if (nextOffset < silentUntil) {
            return; // still replaying: a checkpoint now would move the replay's end
        }
        try {
            commitIfDue(session, marks, committedOffset, true);
        } catch (PartitionOwners.FencedOut e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("session {}/{}: last checkpoint before stopping not stored ({}); the next start replays from the one before",
                    task, partition, e.toString());
        }
    }

    private long commitIfDue(SessionEngine session, ReplayMarks marks, long committedOffset, boolean force) {
        long now = System.currentTimeMillis();
        boolean moved = nextOffset != committedOffset;
        boolean findingsDue = session.hasChanges() && (queueDepth == 0 || now - lastCheckpointWall >= BACKLOG_COMMIT_EVERY_MS);
        if (!force && !findingsDue && !(moved && now - lastCheckpointWall >= CHECKPOINT_EVERY_MS)) {
            return committedOffset;
        }
        List<MismatchChange> changes = session.drainChanges();
        long replayFrom = marks.replayFrom(session.clock() - config.replayHorizon().toMillis());
        List<MismatchChange> opened = store(changes, new Checkpoint(nextOffset, replayFrom, session.clock(), rulesVersion));
        checkedSinceCommit = 0;
        lastCheckpointWall = System.currentTimeMillis();
        recordMetrics(session, opened);
        return nextOffset;
    }

    /**
     * Stores the batch in one transaction. When the results database cannot take it the session fails: its
     * supervisor restarts it with back-off and the replay from the last checkpoint rebuilds what this batch held,
     * so nothing is lost and the failure shows in health meanwhile.
     */
    private List<MismatchChange> store(List<MismatchChange> changes, Checkpoint checkpoint) {
        return checkpoints.commit(claim, changes, checkpoint, checkedSinceCommit);
    }

    private void recordMetrics(SessionEngine session, List<MismatchChange> opened) {
        long stored = System.currentTimeMillis();
        for (MismatchChange change : opened) {
            String type = change.mismatch().getType();
            metrics.counter("recon.mismatches.detected", "task", task, "type", type).increment();
            if (change.lastCommitTime() > 0) {
                Timer.builder("recon.mismatch.latency")
                        .description("source commit of the last fact involved to mismatch stored")
                        .tags("task", task, "type", type)
                        .publishPercentiles(0.5, 0.99)
                        .publishPercentileHistogram()
                        .register(metrics)
                        .record(Duration.ofMillis(Math.max(0, stored - change.lastCommitTime())));
            }
        }
        session.firingsByRule().forEach((rule, count) -> {
            long delta = count - firingsReported.getOrDefault(rule, 0L);
            if (delta > 0) {
                metrics.counter("recon.rules.fired", "task", task, "rule", rule).increment(delta);
                firingsReported.put(rule, count);
            }
        });
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchSize());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "recon-session-" + task + "-" + partition);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /**
     * A paused session takes no records (its facts, clock and timers stay) until resumed, where it continues.
     * Completes once the consumer has taken the change: after a pause, no record is applied any more.
     */
    CompletableFuture<Void> pause(boolean pause) {
        this.paused = pause;
        CompletableFuture<Void> taken = new CompletableFuture<>();
        pauseTaken.add(taken);
        if (java.util.Set.of("STOPPED", "FAILED", "FENCED").contains(state)) {
            drain(pauseTaken).forEach(w -> w.complete(null)); // stopped already: nothing to wait for
        }
        return taken;
    }

    private static <T> List<T> drain(Queue<T> queue) {
        List<T> out = new java.util.ArrayList<>();
        for (T t; (t = queue.poll()) != null; ) {
            out.add(t);
        }
        return out;
    }

    /** Stores the session's findings and checkpoint now; completes with the checkpoint's next offset. */
    CompletableFuture<Long> checkpointNow() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        checkpointRequests.add(done);
        return done;
    }

    String state() {
        return state;
    }

    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
    }

    SessionView view() {
        SessionEngine session = engine;
        return new SessionView(task, partition, state, rulesVersion,
                session == null ? Map.of() : session.liveFactsByType(),
                session == null ? 0 : session.rulesFired(),
                session == null ? null : Instant.ofEpochMilli(session.clock()),
                queueDepth, lastEventTime == 0 ? null : Instant.ofEpochMilli(lastEventTime), nextOffset,
                lastCheckpointWall == 0 ? null : Instant.ofEpochMilli(lastCheckpointWall),
                session == null ? 0 : session.liveMismatchCount(), lastError);
    }

    String task() {
        return task;
    }

    int partition() {
        return partition;
    }

    boolean healthy() {
        return !"FAILED".equals(state);
    }

    /** Another owner claimed the partition since this session did: it stopped and must not be restarted here. */
    boolean fenced() {
        return "FENCED".equals(state);
    }
}
