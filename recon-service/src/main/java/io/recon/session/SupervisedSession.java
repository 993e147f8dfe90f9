package io.recon.session;

import io.github.resilience4j.core.IntervalFunction;
import io.recon.system.Incident;
import io.recon.system.SupervisionProperties;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.kie.api.builder.ReleaseId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one (task group, partition) session alive. A worker that dies is replaced by a new one after an
 * exponential back-off; the new worker rebuilds its state by replay from the last checkpoint, exactly as
 * after a service restart, so nothing is lost or reported twice. The stop and the recovery are announced
 * as {@link Incident}s, retried until they are taken (the database may be what failed). A session that failed
 * while the database was away restarts as soon as it answers again, not when its back-off is over.
 *
 * <p>{@link #check} runs on the manager's supervision thread; views and operations may come from any thread.
 */
final class SupervisedSession {

    private static final Logger log = LoggerFactory.getLogger(SupervisedSession.class);
    private static final Object BUILD_LOCK = new Object();

    private final String task;
    private final int partition;
    private final Supplier<PartitionWorker> workers;
    private final IntervalFunction backoff;
    private final long stableAfterMillis;
    private final Consumer<Incident> incidents;
    private final java.util.function.BooleanSupplier storeAnswers;
    /** Set while waiting to restart: a restart comes early once the store, seen away, answers again. */
    private io.recon.system.OutageWatch outage;

    private volatile PartitionWorker worker;
    private volatile Thread thread;
    private volatile Throwable died;
    private volatile boolean stopping;
    /** A thread was started for this session and has not been seen dead yet. */
    private volatile boolean launched;
    private volatile boolean paused;
    /** The worker stopped because another instance claimed the partition: no restart here, ever. */
    private volatile boolean fenced;
    private volatile String lastError;
    private volatile int restarts;
    private volatile Instant nextAttempt;
    private volatile int failuresInARow;
    private long runningSince;
    /** An incident to announce (open or close) that was not taken yet. */
    private Incident pending;
    /** After start-up, close an incident a previous run may have left open (it crashed while a session was down). */
    private boolean incidentMayBeOpen = true;

    /** @param storeAnswers whether Recon's database accepts connections (restarts come early when it returns from an outage) */
    SupervisedSession(String task, int partition, Supplier<PartitionWorker> workers, SupervisionProperties config,
                      Consumer<Incident> incidents, java.util.function.BooleanSupplier storeAnswers) {
        this.storeAnswers = storeAnswers;
        this.task = task;
        this.partition = partition;
        this.workers = workers;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(config.initialBackoff(), 2.0, 0.2, config.maxBackoff());
        this.stableAfterMillis = config.stableAfter().toMillis();
        this.incidents = incidents;
    }

    synchronized void start() {
        launch();
    }

    private void launch() {
        died = null;
        launched = true;
        runningSince = 0;
        Thread t = new Thread(() -> {
            try {
                PartitionWorker next;
                synchronized (BUILD_LOCK) { // building a session's container takes seconds; one at a time, never on the supervisor's thread
                    next = workers.get();
                }
                worker = next;
                next.pause(paused);
                if (stopping) {
                    next.stop(); // stopped while it was being built: run() only releases what it holds
                }
                next.run();
            } catch (Throwable e) { // an Error out of the rules or the libraries: the supervisor restarts all the same
                died = e;
            }
        }, "recon-session-" + task + "-" + partition);
        thread = t;
        t.start();
    }

    /** Restarts a dead worker when its back-off is over; notes a recovery once the new one has run for a while. */
    synchronized void check(long now) {
        if (stopping) {
            return;
        }
        PartitionWorker current = worker;
        Thread t = thread;
        if (fenced) {
            return;
        }
        if (launched && t != null && !t.isAlive() && current != null && current.fenced()) {
            launched = false;
            fenced = true;
            lastError = current.view().lastError();
            log.warn("session {}/{} is not restarted here: {}", task, partition, lastError);
        } else if (launched && t != null && !t.isAlive()) {
            launched = false;
            failed(current, now);
        } else if (!launched && nextAttempt != null && (!now().isBefore(nextAttempt) || outage.backAfterOutage())) {
            restarts++;
            nextAttempt = null;
            log.info("session {}/{}: restart {} (rebuilds its state by replay)", task, partition, restarts);
            launch();
        } else if (launched && current != null && isRunning(current)) {
            if (runningSince == 0) {
                runningSince = now;
            }
            if (now - runningSince >= stableAfterMillis && (failuresInARow > 0 || incidentMayBeOpen)) {
                if (failuresInARow > 0) {
                    log.info("session {}/{} recovered after {} restarts", task, partition, restarts);
                }
                failuresInARow = 0;
                incidentMayBeOpen = false;
                pending = new Incident(subject(), task, false, "Session " + task + "/" + partition + " runs again",
                        "It restarted, rebuilt its state by replay and is finding mismatches again; " + restarts
                                + " restarts since the service started. " + (lastError == null
                                ? "The service itself was restarted while the session was down." : "The last failure was: " + lastError));
            }
        } else {
            runningSince = 0;
        }
        announce();
    }

    private void failed(PartitionWorker dead, long now) {
        Throwable error = died;
        String reason = error != null ? error.toString() : dead == null ? null : dead.view().lastError();
        lastError = reason == null ? "the session stopped without an error" : reason;
        worker = null;
        failuresInARow++;
        scheduleRestart(now);
        outage = new io.recon.system.OutageWatch(storeAnswers);
        log.error("session {}/{} failed ({}); restart {} in {} ms", task, partition, lastError, restarts + 1,
                nextAttempt.toEpochMilli() - now, error);
        incidentMayBeOpen = true;
        pending = new Incident(subject(), task, true, "Session " + task + "/" + partition + " stopped",
                "It failed with: " + lastError + ". It is restarted with back-off (next attempt at " + nextAttempt
                        + ") and finds nothing until then; the records waiting for it are kept and checked once it is back. "
                        + "If it keeps failing, look at the service log for session " + task + "/" + partition + ".");
    }

    private void scheduleRestart(long now) {
        nextAttempt = Instant.ofEpochMilli(now + backoff.apply(Math.max(1, failuresInARow)));
    }

    private void announce() {
        Incident incident = pending;
        if (incident == null) {
            return;
        }
        try {
            incidents.accept(incident);
            pending = null;
        } catch (RuntimeException e) {
            log.warn("incident '{}' not recorded yet ({}); retrying", incident.title(), e.toString());
        }
    }

    private static boolean isRunning(PartitionWorker w) {
        String state = w.state();
        return "RUNNING".equals(state) || "PAUSED".equals(state);
    }

    private static Instant now() {
        return Instant.now();
    }

    private String subject() {
        return "session " + task + "/" + partition;
    }

    SessionView view() {
        PartitionWorker current = worker;
        if (current == null) {
            String state = failuresInARow > 0 ? "RESTARTING" : "STARTING";
            return new SessionView(task, partition, state, null, Map.of(), 0, null, 0, null, 0, null, 0, lastError)
                    .supervised(state, lastError, restarts, nextAttempt);
        }
        SessionView own = current.view();
        // a restarted worker that has not reached its partition yet is still part of the failure
        String state = failuresInARow > 0 && "STARTING".equals(own.state()) ? "RESTARTING" : own.state();
        return own.supervised(state, own.lastError() != null ? own.lastError() : lastError, restarts, null);
    }

    /** Completes once the running worker has taken the change (at once when none runs: the next one starts with it). */
    CompletableFuture<Void> pause(boolean pause) {
        paused = pause;
        PartitionWorker current = worker;
        return current != null ? current.pause(pause) : CompletableFuture.completedFuture(null);
    }

    /** The findings the last worker's session held when it stopped, with their evidence. */
    java.util.Map<io.recon.rules.Mismatch, java.util.Set<String>> heldAtStop() {
        PartitionWorker current = worker;
        return current == null ? java.util.Map.of() : current.heldAtStop();
    }

    CompletableFuture<Long> checkpointNow() {
        PartitionWorker current = worker;
        return current == null
                ? CompletableFuture.failedFuture(new IllegalStateException("session " + task + "/" + partition + " is restarting: " + lastError))
                : current.checkpointNow();
    }

    /** The rules version the session runs now; null while it is (re)starting. */
    String rulesVersion() {
        PartitionWorker current = worker;
        return current == null ? null : current.rulesVersion();
    }

    CompletableFuture<Long> update(ReleaseId releaseId, String version) {
        PartitionWorker current = worker;
        // A restarting session gets the active version when it starts again.
        return current == null ? CompletableFuture.completedFuture(0L) : current.update(releaseId, version);
    }

    void stop() {
        stopping = true;
        PartitionWorker current = worker;
        if (current != null) {
            current.stop();
        }
    }

    void join(long millis) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(millis);
        }
    }

    String task() {
        return task;
    }

    int partition() {
        return partition;
    }
}
