package io.recon.authoring;

import io.recon.session.RunBudget;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Runs analyst rules outside the live pipeline (mock tests, scenarios at publish and activation, shadow runs) on a
 * few threads of their own, each run within its {@link RunBudget}. The request thread waits at most the budget's
 * time: a run past it is cancelled (its sessions halt at their next firing) and answered as out of time, so no rule
 * holds a request, and a rule that will not stop holds one of these threads, never one of the web server's.
 */
@Component
public class RuleRuns implements AutoCloseable {

    /** Every run thread is busy: the caller should try again shortly (HTTP 503). */
    public static final class BusyException extends RuntimeException {
        BusyException(String message) {
            super(message);
        }
    }

    private static final Duration GRACE = Duration.ofSeconds(2);

    private final RuleRunsProperties properties;
    private final int threads;
    /**
     * One permit per thread, given back when a run's work has ended (not when its caller stopped waiting): a run
     * that ignores its cancellation keeps its permit, and a caller right after a finished run is never refused
     * because the pool's thread has not yet gone back to waiting for work.
     */
    private final Semaphore free;
    private final ExecutorService pool;

    RuleRuns(RuleRunsProperties properties) {
        this.properties = properties;
        this.threads = Math.max(1, properties.threads());
        this.free = new Semaphore(threads);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "rule-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public RunBudget testBudget() {
        return properties.test();
    }

    public RunBudget shadowBudget() {
        return properties.shadow();
    }

    /**
     * @param where what runs, for the sentence of a run out of time ("scenario 'x'", "shadow run of 1.0.4")
     * @return what {@code work} returned; a failure of the run comes back as the exception it threw
     */
    public <T> T run(RunBudget budget, String where, Function<RunBudget.Meter, T> work) {
        RunBudget.Meter meter = budget.start();
        if (!free.tryAcquire()) {
            throw new BusyException("Every one of the " + threads + " threads for rule tests and shadow runs"
                    + " (recon.rule-runs.threads) is busy; try again in a few seconds.");
        }
        Future<T> future;
        try {
            future = pool.submit(() -> {
                try {
                    return work.apply(meter);
                } finally {
                    free.release();
                }
            });
        } catch (RejectedExecutionException e) {
            free.release();
            throw new IllegalStateException("rule runs are shut down", e);
        }
        try {
            return future.get(budget.time().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            meter.cancel();
            future.cancel(true);
            throw RuleRunFailure.of(meter.timeUp(), where);
        } catch (InterruptedException e) {
            meter.cancel();
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rules were tested", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RunBudget.Exceeded exceeded) {
                throw RuleRunFailure.of(exceeded, where);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof StackOverflowError) {
                throw RuleRunFailure.of(new RunBudget.Exceeded("depth", "The rules recursed too deeply (StackOverflowError)"), where);
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
