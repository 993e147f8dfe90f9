package io.recon.stats;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Per-task figures by time bucket, and a health report per task group. Lifecycle counts come from the
 * append-only mismatch history, so they are exact and agree with what the API shows per mismatch;
 * {@code checked} comes from the sessions' checkpoints ({@link CheckedFacts}).
 */
@Component
class StatsQueries {

    private static final String ORIGIN = "timestamptz '2000-01-01 00:00:00+00'";

    private final JdbcTemplate jdbc;

    StatsQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param checked        facts the task's sessions were given
     * @param mismatched     mismatches opened (new, or back after healing)
     * @param autoResolved   mismatches healed by later data or found gone by a second check
     * @param repaired       of those, the ones healed while a repair was running (resolved by the repair)
     * @param resolvedByHand mismatches a person resolved
     * @param ignored        mismatches a person ignored with a reason
     */
    record Bucket(Instant start, String task, long checked, long mismatched, long autoResolved, long repaired, long resolvedByHand,
                  long ignored) {
    }

    List<Bucket> buckets(String task, Granularity granularity, Instant from, Instant to) {
        String bin = "date_bin('" + granularity.sqlInterval + "'::interval, %s, " + ORIGIN + ")";
        String sql = """
                with life as (
                    select %s as bucket, m.task,
                           count(*) filter (where h.to_status = 'OPEN' and h.from_status is distinct from 'OPEN') as mismatched,
                           count(*) filter (where h.to_status = 'AUTO_RESOLVED') as auto_resolved,
                           count(*) filter (where h.to_status = 'AUTO_RESOLVED' and h.from_status = 'REPAIRING') as repaired,
                           count(*) filter (where h.to_status = 'RESOLVED') as resolved_by_hand,
                           count(*) filter (where h.to_status = 'IGNORED') as ignored
                    from mismatch_history h join mismatch m on m.id = h.mismatch_id
                    where h.at >= ? and h.at < ? and (cast(? as text) is null or m.task = ?)
                    group by 1, 2),
                checked as (
                    select %s as bucket, task, sum(checked) as checked from task_checked
                    where bucket_start >= ? and bucket_start < ? and (cast(? as text) is null or task = ?)
                    group by 1, 2)
                select coalesce(l.bucket, c.bucket), coalesce(l.task, c.task), coalesce(c.checked, 0), coalesce(l.mismatched, 0),
                       coalesce(l.auto_resolved, 0), coalesce(l.repaired, 0), coalesce(l.resolved_by_hand, 0), coalesce(l.ignored, 0)
                from life l full join checked c on c.bucket = l.bucket and c.task = l.task
                order by 1, 2""".formatted(bin.formatted("h.at"), bin.formatted("bucket_start"));
        Timestamp f = Timestamp.from(from);
        Timestamp t = Timestamp.from(to);
        return jdbc.query(sql, (rs, n) -> new Bucket(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3), rs.getLong(4),
                rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)), f, t, task, task, f, t, task, task);
    }

    /**
     * @param last24h         the last day's bucket: checked and mismatched, and their ratio (null when nothing was checked)
     * @param openByAge       live mismatches (OPEN, CONFIRMED, REPAIRING, REPAIR_FAILED) by time since first detection
     * @param timeToResolve   seconds from first detection to resolution, p50 and p90, over the last 7 days, by how it ended
     */
    record Health(String task, Bucket last24h, Double mismatchRate, Map<String, Long> openByAge, Map<String, Map<String, Double>> timeToResolve) {
    }

    Health health(String task) {
        Instant now = Instant.now();
        List<Bucket> day = buckets(task, Granularity.DAY, now.minusSeconds(86_400), now);
        long checked = day.stream().mapToLong(Bucket::checked).sum();
        long mismatched = day.stream().mapToLong(Bucket::mismatched).sum();
        Bucket last24h = new Bucket(now.minusSeconds(86_400), task, checked, mismatched, day.stream().mapToLong(Bucket::autoResolved).sum(),
                day.stream().mapToLong(Bucket::repaired).sum(), day.stream().mapToLong(Bucket::resolvedByHand).sum(),
                day.stream().mapToLong(Bucket::ignored).sum());
        Map<String, Long> openByAge = jdbc.queryForObject("""
                select count(*) filter (where now() - first_seen < interval '1 hour'),
                       count(*) filter (where now() - first_seen >= interval '1 hour' and now() - first_seen < interval '1 day'),
                       count(*) filter (where now() - first_seen >= interval '1 day' and now() - first_seen < interval '7 days'),
                       count(*) filter (where now() - first_seen >= interval '7 days')
                from mismatch where task = ? and status in ('OPEN', 'CONFIRMED', 'REPAIRING', 'REPAIR_FAILED')""",
                (rs, n) -> Map.of("under1h", rs.getLong(1), "1hTo1d", rs.getLong(2), "1dTo7d", rs.getLong(3), "over7d", rs.getLong(4)), task);
        Map<String, Map<String, Double>> ttr = new java.util.TreeMap<>();
        jdbc.query("""
                select case when status = 'AUTO_RESOLVED' then 'autoResolved' else 'byHand' end,
                       percentile_cont(0.5) within group (order by extract(epoch from resolved_at - first_seen)),
                       percentile_cont(0.9) within group (order by extract(epoch from resolved_at - first_seen)), count(*)
                from mismatch where task = ? and status in ('RESOLVED', 'IGNORED', 'AUTO_RESOLVED')
                  and resolved_at >= now() - interval '7 days'
                group by 1""", rs -> {
            ttr.put(rs.getString(1), Map.of("p50Seconds", rs.getDouble(2), "p90Seconds", rs.getDouble(3), "count", (double) rs.getLong(4)));
        }, task);
        return new Health(task, last24h, checked == 0 ? null : (double) mismatched / checked, openByAge, ttr);
    }

    List<String> tasks() {
        return jdbc.queryForList("select task from mismatch union select task from task_checked order by 1", String.class);
    }
}
