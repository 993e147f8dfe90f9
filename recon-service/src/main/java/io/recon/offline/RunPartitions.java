package io.recon.offline;

import io.recon.fact.FactEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Utils;

/**
 * A run over as many sessions as the task has partitions, split as the live path splits: a record goes to the
 * partition Kafka's default partitioner gives its correlation key (a retraction without a key to every partition),
 * so each run session sees what the live session of that partition saw, and rules that look across keys within a
 * partition find the same. Every session's clock follows the merged stream (each record's event time less the
 * allowed lateness), whichever partition the record went to: a session behaves as the one session of a
 * single-partition run would for its keys. One thread per session, fed in batches through bounded queues; the
 * records are read and mapped on {@link MergedRecords}'s thread.
 */
final class RunPartitions {

    private static final int BATCH = 512;
    private static final int AHEAD = 8;

    private final List<RunExecution> sessions;
    private final long lateness;
    private final RunProgress progress;

    RunPartitions(List<RunExecution> sessions, long latenessMillis, RunProgress progress) {
        this.sessions = List.copyOf(sessions);
        this.lateness = latenessMillis;
        this.progress = progress;
    }

    /** A clock move to this event time, in a session's queue between the records. */
    private record Clock(long target) {
    }

    /**
     * @param closeAt  event time the clocks are moved to at the end (past every window of the records read)
     * @param tick     called after each record, for progress
     * @return false when the run was cancelled
     */
    boolean run(List<RecordStream> streams, long closeAt, Runnable tick) throws Exception {
        int n = sessions.size();
        List<BlockingQueue<List<Object>>> queues = new ArrayList<>();
        List<List<Object>> batches = new ArrayList<>();
        AtomicInteger threads = new AtomicInteger();
        String name = Thread.currentThread().getName();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, name + "-session-" + threads.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (RunExecution session : sessions) {
                BlockingQueue<List<Object>> queue = new ArrayBlockingQueue<>(AHEAD);
                queues.add(queue);
                batches.add(new ArrayList<>(BATCH));
                workers.add(pool.submit(() -> {
                    work(session, queue);
                    return null;
                }));
            }
            long clock = Long.MIN_VALUE;
            boolean cancelled = false;
            try (MergedRecords records = new MergedRecords(streams, name + "-reader")) {
                for (SourceRecord record = records.next(); record != null; record = records.next()) {
                    if (progress.cancelled) {
                        cancelled = true;
                        break;
                    }
                    long target = record.eventTime() - lateness;
                    if (target > clock) {
                        clock = target;
                        for (int p = 0; p < n; p++) {
                            add(p, new Clock(target), queues, batches, workers);
                        }
                    }
                    FactEnvelope envelope = record.envelope();
                    String key = envelope.fact().key();
                    if (key == null) {
                        for (int p = 0; p < n; p++) {
                            add(p, envelope, queues, batches, workers);
                        }
                    } else {
                        add(partition(key, n), envelope, queues, batches, workers);
                    }
                    progress.read.incrementAndGet();
                    tick.run();
                }
            }
            for (int p = 0; p < n; p++) {
                if (!cancelled) {
                    batches.get(p).add(new Clock(closeAt));
                }
                hand(p, queues, batches, workers);
                hand(queues.get(p), List.of(), workers); // the end
            }
            for (Future<?> worker : workers) {
                get(worker);
            }
            return !cancelled;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The findings of every session still open at the end that were detected in [from, to) of event time. */
    List<Finding> findings(Instant from, Instant to) {
        List<Finding> all = new ArrayList<>();
        sessions.forEach(s -> all.addAll(s.findings(from, to)));
        return all;
    }

    /** As Kafka's default partitioner places a record keyed by its correlation key on the facts topic. */
    static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static void work(RunExecution session, BlockingQueue<List<Object>> queue) throws InterruptedException {
        for (List<Object> batch = queue.take(); !batch.isEmpty(); batch = queue.take()) {
            for (Object item : batch) {
                if (item instanceof Clock clock) {
                    session.stepTo(clock.target());
                } else {
                    session.apply((FactEnvelope) item);
                }
            }
        }
    }

    private static void add(int p, Object item, List<BlockingQueue<List<Object>>> queues, List<List<Object>> batches,
                            List<Future<?>> workers) throws Exception {
        List<Object> batch = batches.get(p);
        batch.add(item);
        if (batch.size() >= BATCH) {
            hand(p, queues, batches, workers);
        }
    }

    private static void hand(int p, List<BlockingQueue<List<Object>>> queues, List<List<Object>> batches, List<Future<?>> workers)
            throws Exception {
        List<Object> batch = batches.get(p);
        if (!batch.isEmpty()) {
            hand(queues.get(p), batch, workers);
            batches.set(p, new ArrayList<>(BATCH));
        }
    }

    /** Waits for room, and gives up with the session's failure if one of them stopped. */
    private static void hand(BlockingQueue<List<Object>> queue, List<Object> batch, List<Future<?>> workers) throws Exception {
        while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            for (Future<?> worker : workers) {
                if (worker.isDone()) {
                    get(worker);
                    throw new IllegalStateException("a session of the run stopped");
                }
            }
        }
    }

    private static void get(Future<?> worker) throws Exception {
        try {
            worker.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
