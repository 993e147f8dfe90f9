package io.recon.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Commit -> mismatch as a user outside the service sees it: the writer notes when the source commit
 * of a mismatching payment returned; a JDBC reader polls the mismatch table every 5 ms and notes when
 * each row became visible. Upper bound by up to one poll interval plus the query.
 */
final class OutsideClock implements AutoCloseable {

    private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    private final List<long[]> seen = Collections.synchronizedList(new ArrayList<>()); // {commit wall ms, latency ms}
    private final Thread reader;
    private volatile boolean running = true;

    OutsideClock(JdbcTemplate recon, String type) {
        reader = new Thread(() -> {
            long lastId = 0;
            while (running) {
                long[] max = {lastId};
                long now = System.currentTimeMillis();
                recon.query("select id, correlation_key from mismatch where type = ? and id > ? order by id", rs -> {
                    max[0] = Math.max(max[0], rs.getLong(1));
                    Long commit = committedAt.get(rs.getString(2));
                    if (commit != null) {
                        seen.add(new long[] {commit, now - commit});
                    }
                }, type, lastId);
                lastId = max[0];
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-outside-clock");
        reader.setDaemon(true);
        reader.start();
    }

    /** The source commit of the record that makes key {@code key} a mismatch returned now. */
    void committed(String key) {
        committedAt.put(key, System.currentTimeMillis());
    }

    /** @return p50, p99, max in ms and the count, of the rows whose commit was at or after {@code fromWallMs} */
    long[] percentiles(long fromWallMs) {
        List<Long> latencies = new ArrayList<>();
        synchronized (seen) {
            for (long[] s : seen) {
                if (s[0] >= fromWallMs) {
                    latencies.add(s[1]);
                }
            }
        }
        if (latencies.isEmpty()) {
            return new long[] {-1, -1, -1, 0};
        }
        Collections.sort(latencies);
        int n = latencies.size();
        return new long[] {latencies.get((int) Math.ceil(0.5 * n) - 1), latencies.get((int) Math.ceil(0.99 * n) - 1), latencies.get(n - 1), n};
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.interrupt();
        reader.join(5_000);
    }
}
