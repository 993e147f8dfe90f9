package io.recon.action;

import io.recon.system.Incident;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alerts operators through the outbox when a session stops or recovers and when a rule is quarantined or
 * let out. They go where the task's P1 and P2 alerts go, never throttled or digested. Each incident is
 * a row with at most one open per subject: the same trouble seen again (a restart, a crash and restart)
 * opens nothing new, so it alerts once, and its recovery alerts once, under keys derived from the row.
 */
@Component
class OperationsAlerts {

    static final String KIND = "OPERATIONS";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AlertsProperties config;
    private final DispatchSignal signal;
    private final JsonMapper json = JsonMapper.builder().build();

    OperationsAlerts(JdbcTemplate jdbc, TransactionTemplate tx, AlertsProperties config, DispatchSignal signal) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.config = config;
        this.signal = signal;
    }

    /** Runs in the publisher's transaction when there is one (a quarantine is stored with its alert), else in its own. */
    @EventListener
    void on(Incident incident) {
        tx.executeWithoutResult(s -> record(incident));
    }

    private void record(Incident incident) {
        List<Long> ids = incident.opened()
                ? jdbc.queryForList("""
                        insert into ops_incident (subject, task, reason) values (?, ?, ?)
                        on conflict (subject) where closed_at is null do nothing returning id""", Long.class,
                        incident.subject(), incident.task(), incident.text())
                : jdbc.queryForList("update ops_incident set closed_at = now(), closed_why = ? where subject = ? and closed_at is null returning id",
                        Long.class, incident.text(), incident.subject());
        if (ids.isEmpty()) {
            return; // already open (seen again), or nothing was open to close
        }
        long id = ids.get(0);
        String severity = incident.opened() ? "P2" : "P3";
        String payload = json.writeValueAsString(payload(id, incident));
        for (String channel : channels(incident.task())) {
            jdbc.update("""
                    insert into action (idempotency_key, kind, task, channel, severity, payload)
                    values (?, ?, ?, ?, ?, ?::jsonb) on conflict (idempotency_key) do nothing""",
                    "incident-" + id + (incident.opened() ? "-opened-" : "-closed-") + channel, KIND, incident.task(), channel, severity, payload);
        }
        signal.wakeAfterCommit();
    }

    private Set<String> channels(String task) {
        Set<String> channels = new TreeSet<>(config.channelsFor(task, "P1"));
        channels.addAll(config.channelsFor(task, "P2"));
        return channels;
    }

    private Map<String, Object> payload(long id, Incident incident) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("incident", id);
        p.put("subject", incident.subject());
        p.put("state", incident.opened() ? "OPENED" : "CLOSED");
        p.put("title", incident.title());
        p.put("reason", incident.text());
        p.put("link", config.baseUrl() + (incident.subject().startsWith("rule ") ? "/api/rules/quarantine" : "/actuator/recon"));
        return p;
    }
}
