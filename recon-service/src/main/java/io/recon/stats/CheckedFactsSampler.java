package io.recon.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.recon.source.SourceBinding;
import io.recon.source.SourceCatalog;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Moves the routers' per-source fact counters ({@code recon.events.in}) into 5-minute buckets per task
 * every few seconds and once more on shutdown, so {@code checked} survives restarts; a crash loses at
 * most the last interval's count.
 */
@Component
class CheckedFactsSampler {

    static final long BUCKET_MILLIS = 5 * 60 * 1000;

    private final MeterRegistry metrics;
    private final SourceCatalog catalog;
    private final JdbcTemplate jdbc;
    private final Map<String, Double> stored = new HashMap<>();

    CheckedFactsSampler(MeterRegistry metrics, SourceCatalog catalog, JdbcTemplate jdbc) {
        this.metrics = metrics;
        this.catalog = catalog;
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "${recon.stats.sample-interval:5s}")
    synchronized void sample() {
        Map<String, Long> byTask = new HashMap<>();
        for (Counter counter : metrics.find("recon.events.in").counters()) {
            String source = counter.getId().getTag("source");
            SourceBinding binding = source == null ? null : catalog.binding(source);
            if (binding == null) {
                continue;
            }
            double total = counter.count();
            long delta = (long) (total - stored.getOrDefault(source, 0.0));
            if (delta > 0) {
                byTask.merge(binding.task(), delta, Long::sum);
                stored.put(source, stored.getOrDefault(source, 0.0) + delta);
            }
        }
        Timestamp bucket = new Timestamp(System.currentTimeMillis() / BUCKET_MILLIS * BUCKET_MILLIS);
        byTask.forEach((task, checked) -> jdbc.update("""
                insert into task_checked (task, bucket_start, checked) values (?, ?, ?)
                on conflict (task, bucket_start) do update set checked = task_checked.checked + excluded.checked""", task, bucket, checked));
    }

    @jakarta.annotation.PreDestroy
    void flush() {
        try {
            sample();
        } catch (RuntimeException e) {
            // the database may already be gone on shutdown; the count since the last sample is lost
        }
    }
}
