package io.recon.action;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code recon.repairs.<name>}: what Recon does by itself about a mismatch of a task and type, once
 * it is actionable (at detection, or after its second check confirmed it). The repair goes through the
 * action outbox like an alert: retried, logged, idempotency key on every request.
 *
 * Each repair: {@code kind} {@code http} (POST a JSON command to {@code url}), {@code kafka} (a JSON command on
 * {@code topic}, keyed by the correlation key) or {@code sql} (a parameterised statement on {@code database}, with
 * {@code :key}, {@code :mismatchId} and {@code :idempotencyKey}; it must be safe to run twice, as a retry after a
 * crash may repeat it).
 */
@ConfigurationProperties("recon")
public record RepairsProperties(Map<String, Repair> repairs) {

    public enum Kind { HTTP, KAFKA, SQL }

    public record Repair(String task, String type, Kind kind, String url, String topic, String database, String sql) {
        public Repair {
            type = type == null ? null : type.toUpperCase(Locale.ROOT);
        }
    }

    public RepairsProperties {
        repairs = repairs == null ? Map.of() : Map.copyOf(repairs);
        repairs.forEach((name, r) -> {
            String where = "recon.repairs." + name;
            if (r.task() == null || r.type() == null || r.kind() == null) {
                throw new IllegalArgumentException(where + " needs task, type and kind (http, kafka or sql)");
            }
            if (r.kind() == Kind.HTTP && (r.url() == null || r.url().isBlank())) {
                throw new IllegalArgumentException(where + ".url is missing");
            }
            if (r.kind() == Kind.KAFKA && (r.topic() == null || r.topic().isBlank())) {
                throw new IllegalArgumentException(where + ".topic is missing");
            }
            if (r.kind() == Kind.SQL && (r.database() == null || r.sql() == null || r.sql().isBlank())) {
                throw new IllegalArgumentException(where + " needs database and sql");
            }
        });
    }

    Optional<Map.Entry<String, Repair>> repairFor(String task, String type) {
        return repairs.entrySet().stream().filter(e -> e.getValue().task().equals(task) && e.getValue().type().equalsIgnoreCase(type))
                .sorted(Map.Entry.comparingByKey()).findFirst();
    }
}
