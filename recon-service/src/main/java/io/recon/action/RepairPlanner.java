package io.recon.action;

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
    private final JsonMapper json = JsonMapper.builder().build();

    RepairPlanner(JdbcTemplate jdbc, RepairsProperties config, AlertsProperties alerts, DispatchSignal signal) {
        this.jdbc = jdbc;
        this.config = config;
        this.alerts = alerts;
        this.signal = signal;
    }

    void plan(OpenedMismatch m) {
        config.repairFor(m.task(), m.type()).ifPresent(repair -> {
            String status = jdbc.queryForObject("select status from mismatch where id = ? for update", String.class, m.id());
            if (!"OPEN".equals(status) && !"CONFIRMED".equals(status)) {
                return;
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
                    "mismatch-" + m.id() + "-repair-" + m.occurrence() + "-" + repair.getKey(), m.task(), m.id(), repair.getKey(),
                    m.severity(), json.writeValueAsString(command));
            if (inserted == 0) {
                return;
            }
            jdbc.update("update mismatch set status = 'REPAIRING' where id = ?", m.id());
            jdbc.update("insert into mismatch_history (mismatch_id, from_status, to_status, actor, note) values (?, ?, 'REPAIRING', ?, ?)",
                    m.id(), status, ACTOR, "repair '" + repair.getKey() + "' started: " + describe(repair.getValue()));
            signal.wakeAfterCommit();
        });
    }

    private static String describe(RepairsProperties.Repair r) {
        return r.kind() == RepairsProperties.Kind.HTTP ? "HTTP callback to " + r.url() : "command on Kafka topic " + r.topic();
    }
}
