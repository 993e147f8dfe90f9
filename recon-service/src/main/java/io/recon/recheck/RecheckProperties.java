package io.recon.recheck;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code recon.recheck.*}: second checks. A mismatch of a task and type that has a check is not
 * alerted at once: after {@code delay} the check reads the source's current state, and the mismatch
 * becomes CONFIRMED (and alerts) or AUTO_RESOLVED (with the evidence in its history).
 *
 * @param retrySchedule waits after a failed lookup, one per retry; when they are used up the mismatch is
 *                      confirmed with the failure noted
 * @param cacheTtl      a lookup's answer is reused this long for the same check and key
 * @param poll          how often the checker looks for due checks
 * @param checks        named checks
 */
@ConfigurationProperties("recon.recheck")
public record RecheckProperties(List<Duration> retrySchedule, Duration cacheTtl, Duration poll, Map<String, Check> checks) {

    /**
     * @param task     the task group
     * @param type     the mismatch type (MISSING, AMOUNT, …)
     * @param delay    how long after detection to check
     * @param database a captured database ({@code recon.databases.<name>}, or the embedded demo's shop, pay, wms)
     * @param sql      one row, one boolean column: true when the mismatch still holds; {@code :key} is the correlation key
     * @param rate     lookups per second allowed on this database (shared by every check on it)
     */
    public record Check(String task, String type, Duration delay, String database, String sql, Integer rate) {
        public Check {
            type = type == null ? null : type.toUpperCase(Locale.ROOT);
            delay = delay == null ? Duration.ofSeconds(30) : delay;
            rate = rate == null || rate <= 0 ? 20 : rate;
        }
    }

    public RecheckProperties {
        retrySchedule = retrySchedule == null ? List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60)) : List.copyOf(retrySchedule);
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(2) : cacheTtl;
        poll = poll == null ? Duration.ofMillis(200) : poll;
        checks = checks == null ? Map.of() : Map.copyOf(checks);
        checks.forEach((name, c) -> {
            String where = "recon.recheck.checks." + name;
            if (c.task() == null || c.type() == null || c.database() == null || c.sql() == null || c.sql().isBlank()) {
                throw new IllegalArgumentException(where + " needs task, type, database and sql");
            }
            if (!c.sql().contains(":key")) {
                throw new IllegalArgumentException(where + ".sql must use :key (the mismatch's correlation key)");
            }
        });
    }

    /** The check for this task and type, if any (the first by name when several match). */
    Optional<Map.Entry<String, Check>> checkFor(String task, String type) {
        return checks.entrySet().stream().filter(e -> e.getValue().task().equals(task) && e.getValue().type().equalsIgnoreCase(type))
                .sorted(Map.Entry.comparingByKey()).findFirst();
    }
}
