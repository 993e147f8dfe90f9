package io.recon.action;

import io.recon.mismatch.MismatchLifecycle;
import io.recon.mismatch.MismatchStatus;
import io.recon.mismatch.OpenedMismatch;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the configured repair of an actionable mismatch: a REPAIR action in the outbox, in the same
 * transaction that moves the mismatch to REPAIRING and records it in the history.
 */
@Component
class RepairPlanner {

    static final String ACTOR = "repair";

    private final JdbcTemplate jdbc;
    private final RepairsProperties config;
    private final AlertsProperties alerts;
    private final DispatchSignal signal;
    private final MismatchLifecycle lifecycle;
    private final JsonMapper json = JsonMapper.builder().build();

    RepairPlanner(JdbcTemplate jdbc, RepairsProperties config, AlertsProperties alerts, DispatchSignal signal, MismatchLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.jdbc = jdbc;
        this.config = config;
        this.alerts = alerts;
        this.signal = signal;
    }

    /** The automatic repair of a mismatch that has just become actionable. */
    void plan(OpenedMismatch m) {
        config.repairFor(m.task(), m.type()).ifPresent(repair ->
                start(m, repair, "mismatch-" + m.id() + "-repair-" + m.occurrence() + "-" + repair.getKey(), java.util.Set.of("OPEN", "CONFIRMED"), ACTOR));
    }

    /**
     * A repair a person asked for: allowed while the mismatch is live and no repair is running.
     *
     * @return the refusal, or null when the repair was started
     */
    String planNow(long id, String actor) {
        var found = jdbc.query("""
                select task, correlation_key, type, severity, reason, rule_name, first_seen from mismatch where id = ?""",
                (rs, n) -> new OpenedMismatch(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getTimestamp(7).toInstant(), 0), id).stream().findFirst();
        if (found.isEmpty()) {
            return "no mismatch " + id;
        }
        OpenedMismatch m = found.get();
        var repair = config.repairFor(m.task(), m.type());
        if (repair.isEmpty()) {
            return noRepair(m.task(), m.type());
        }
        Integer earlier = jdbc.queryForObject("select count(*) from action where mismatch_id = ? and kind = 'REPAIR'", Integer.class, id);
        String status = start(m, repair.get(), "mismatch-" + id + "-repair-manual-" + (earlier + 1) + "-" + repair.get().getKey(), BY_HAND, actor);
        return BY_HAND.contains(status) ? null : notRepairable(id, status);
    }

    /** The statuses a person may start a repair from: live, and no repair running. */
    static final java.util.Set<String> BY_HAND = java.util.Set.of("OPEN", "CONFIRMED", "REPAIR_FAILED");

    /** Why a person's repair is refused without looking at the row, or null when it would start; for the batch's dry run. */
    String refusal(long id, String task, String type, String status) {
        if (config.repairFor(task, type).isEmpty()) {
            return noRepair(task, type);
        }
        return BY_HAND.contains(status) ? null : notRepairable(id, status);
    }

    private static String noRepair(String task, String type) {
        return "no repair is configured for task " + task + " and type " + type + " (recon.repairs)";
    }

    private static String notRepairable(long id, String status) {
        return "cannot repair mismatch " + id + ": it is " + status + "; a repair starts only while it is one of " + BY_HAND;
    }

    /** @return the status the mismatch had */
    private String start(OpenedMismatch m, Map.Entry<String, RepairsProperties.Repair> repair, String key, java.util.Set<String> from, String actor) {
        String status = lifecycle.lock(m.id()).map(Enum::name).orElseThrow();
        if (!from.contains(status)) {
            return status;
        }
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command", "repair");
        command.put("repair", repair.getKey());
        command.put("mismatchId", m.id());
        command.put("task", m.task());
        command.put("key", m.key());
        command.put("type", m.type());
        command.put("reason", m.reason());
        command.put("since", m.firstSeen().toString());
        command.put("link", alerts.baseUrl() + "/api/mismatches/" + m.id());
        int inserted = jdbc.update("""
                insert into action (idempotency_key, kind, task, mismatch_id, channel, severity, payload)
                values (?, 'REPAIR', ?, ?, ?, ?, ?::jsonb) on conflict (idempotency_key) do nothing""",
                key, m.task(), m.id(), repair.getKey(), m.severity(), json.writeValueAsString(command));
        if (inserted > 0) {
            lifecycle.move(m.id(), MismatchStatus.valueOf(status), MismatchStatus.REPAIRING, actor,
                    "repair '" + repair.getKey() + "' started: " + describe(repair.getValue()));
            signal.wakeAfterCommit();
        }
        return status;
    }

    private static String describe(RepairsProperties.Repair r) {
        return switch (r.kind()) {
            case HTTP -> "HTTP callback to " + r.url();
            case KAFKA -> "command on Kafka topic " + r.topic();
            case SQL -> "SQL statement on database " + r.database();
        };
    }
}
