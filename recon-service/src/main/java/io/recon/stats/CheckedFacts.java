package io.recon.stats;

import java.sql.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Facts checked per task in 5-minute buckets. Sessions add their count inside the transaction that
 * stores their checkpoint: a fact is counted exactly when its effects are stored, so a crash neither
 * loses counts (nothing in memory) nor repeats them (records replayed after a restart were counted
 * before it, and a redelivered identical record is no new fact).
 */
@Component
public class CheckedFacts {

    static final long BUCKET_MILLIS = 5 * 60 * 1000;

    private final JdbcTemplate jdbc;

    CheckedFacts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Joins the caller's transaction. */
    public void add(String task, long count) {
        if (count <= 0) {
            return;
        }
        Timestamp bucket = new Timestamp(System.currentTimeMillis() / BUCKET_MILLIS * BUCKET_MILLIS);
        jdbc.update("""
                insert into task_checked (task, bucket_start, checked) values (?, ?, ?)
                on conflict (task, bucket_start) do update set checked = task_checked.checked + excluded.checked""", task, bucket, count);
    }
}
