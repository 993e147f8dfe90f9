package io.recon.offline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A run's record streams merged into one in event-time order (ties by source name), read ahead on a thread of its
 * own: reading a row, decoding it and mapping it onto its fact type cost about as much as the session's work on it,
 * so the two go on two cores. Only this thread touches the streams (and their JDBC connections, which are not for two
 * threads at once); it hands records over in batches through a bounded queue, so at most {@link #AHEAD} batches are in
 * memory. Closing stops it before the streams are closed.
 */
final class MergedRecords implements AutoCloseable {

    private static final int BATCH = 512;
    private static final int AHEAD = 16;
    private static final List<SourceRecord> END = List.of();

    private record Head(RecordStream stream, SourceRecord record) {
    }

    private final BlockingQueue<List<SourceRecord>> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread reader;
    private volatile Exception failure;
    private volatile boolean stopped;
    private List<SourceRecord> current = List.of();
    private int position;
    private boolean ended;

    MergedRecords(List<RecordStream> streams, String name) {
        reader = new Thread(() -> read(streams), name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(List<RecordStream> streams) {
        try {
            PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong((Head h) -> h.record().eventTime())
                    .thenComparing(h -> h.record().source()));
            for (RecordStream stream : streams) {
                advance(stream, heads);
            }
            List<SourceRecord> batch = new ArrayList<>(BATCH);
            while (!heads.isEmpty() && !stopped) {
                Head head = heads.poll();
                batch.add(head.record());
                if (batch.size() == BATCH) {
                    hand(batch);
                    batch = new ArrayList<>(BATCH);
                }
                advance(head.stream(), heads);
            }
            if (!batch.isEmpty()) {
                hand(batch);
            }
        } catch (InterruptedException e) {
            return; // closed: nobody reads on
        } catch (Exception e) {
            failure = e;
        }
        try {
            while (!stopped && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
                // the run thread is busy with what came before
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void hand(List<SourceRecord> batch) throws InterruptedException {
        while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            if (stopped) {
                throw new InterruptedException();
            }
        }
    }

    private static void advance(RecordStream stream, PriorityQueue<Head> heads) throws Exception {
        SourceRecord next = stream.next();
        if (next != null) {
            heads.add(new Head(stream, next));
        }
    }

    /** @return the next record in event-time order, or null at the end; @throws Exception what a stream threw */
    SourceRecord next() throws Exception {
        while (position == current.size()) {
            if (ended) {
                return null;
            }
            current = queue.take();
            position = 0;
            if (current == END) {
                ended = true;
                if (failure != null) {
                    throw failure;
                }
                return null;
            }
        }
        return current.get(position++);
    }

    @Override
    public void close() {
        stopped = true;
        reader.interrupt();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
