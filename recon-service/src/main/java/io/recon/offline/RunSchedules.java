package io.recon.offline;

import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Per task, when its daily offline run fires: a cron (Spring's six fields, e.g. {@code 0 0 2 * * *} for 02:00) in a
 * time zone. Each firing runs the business day before the firing's date in that zone.
 */
@Component
class RunSchedules {

    private final JdbcTemplate jdbc;

    RunSchedules(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Schedule(String task, String cron, String zone, boolean enabled, Instant lastFired, String updatedBy, Instant updatedAt) {

        CronExpression expression() {
            return CronExpression.parse(cron);
        }

        ZoneId zoneId() {
            return ZoneId.of(zone);
        }
    }

    List<Schedule> list() {
        return jdbc.query("select * from offline_schedule order by task", (rs, n) -> row(rs));
    }

    Optional<Schedule> find(String task) {
        return jdbc.query("select * from offline_schedule where task = ?", (rs, n) -> row(rs), task).stream().findFirst();
    }

    /** Creates or replaces a task's schedule; it fires from now on (a firing already past is not caught up). */
    Schedule put(String task, String cron, String zone, Boolean enabled, String by, Instant now) {
        if (cron == null || !CronExpression.isValidExpression(cron)) {
            throw new RunRefusal("'" + cron + "' is not a cron Recon can read: six fields, second minute hour day month weekday,"
                    + " e.g. \"0 0 2 * * *\" for 02:00 every day");
        }
        String z = zone == null || zone.isBlank() ? "UTC" : zone;
        try {
            ZoneId.of(z);
        } catch (DateTimeException e) {
            throw new RunRefusal("'" + z + "' is not a time zone: give a region such as Asia/Shanghai or Europe/Berlin, or UTC");
        }
        jdbc.update("""
                insert into offline_schedule (task, cron, zone, enabled, last_fired, updated_by) values (?, ?, ?, ?, ?, ?)
                on conflict (task) do update set cron = excluded.cron, zone = excluded.zone, enabled = excluded.enabled,
                    last_fired = excluded.last_fired, updated_by = excluded.updated_by, updated_at = now()""",
                task, cron, z, enabled == null || enabled, Timestamp.from(now), by);
        return find(task).orElseThrow();
    }

    boolean delete(String task) {
        return jdbc.update("delete from offline_schedule where task = ?", task) > 0;
    }

    /** Marks a firing as acted on, unless another instance did first; @return whether this caller owns it. */
    boolean claim(String task, Instant previous, Instant firing) {
        return jdbc.update("update offline_schedule set last_fired = ? where task = ? and last_fired = ?", Timestamp.from(firing), task,
                Timestamp.from(previous)) == 1;
    }

    private static Schedule row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Schedule(rs.getString("task"), rs.getString("cron"), rs.getString("zone"), rs.getBoolean("enabled"),
                rs.getTimestamp("last_fired").toInstant(), rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant());
    }
}
