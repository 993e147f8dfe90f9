package io.recon.action;

import io.recon.mismatch.OpenedMismatch;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides, inside the transaction that makes a mismatch actionable, what alert it deserves, and writes it to the
 * outbox: nothing (no route), a fold into the alert it already had, a place in a digest (low
 * severity) or in the task's throttle summary, or one alert action per routed channel.
 */
@Component
class AlertOutbox {

    private final JdbcTemplate jdbc;
    private final AlertsProperties config;
    private final DispatchSignal signal;
    private final JsonMapper json = JsonMapper.builder().build();

    AlertOutbox(JdbcTemplate jdbc, AlertsProperties config, DispatchSignal signal) {
        this.jdbc = jdbc;
        this.config = config;
        this.signal = signal;
    }

    /** Writes the alert this mismatch deserves into the outbox; call inside the transaction that changed the mismatch. */
    void alert(OpenedMismatch m) {
        Set<String> channels = config.channelsFor(m.task(), m.severity());
        if (channels.isEmpty()) {
            return;
        }
        // Repeats: the same mismatch reopening soon after its alert is one problem, not a new one.
        int folded = jdbc.update("update action set folded = folded + 1 where mismatch_id = ? and kind = 'ALERT' "
                + "and created_at > now() - make_interval(secs => ?)", m.id(), config.foldWindow().toMillis() / 1000.0);
        if (folded > 0) {
            return;
        }
        if (config.digested(m.severity())) {
            hold(m, "DIGEST");
            return;
        }
        if (!withinThrottle(m.task())) {
            hold(m, "THROTTLED");
            return;
        }
        String payload = json.writeValueAsString(payload(m));
        for (String channel : channels) {
            jdbc.update("""
                    insert into action (idempotency_key, kind, task, mismatch_id, channel, severity, payload)
                    values (?, 'ALERT', ?, ?, ?, ?, ?::jsonb) on conflict (idempotency_key) do nothing""",
                    "mismatch-" + m.id() + "-alert-" + m.occurrence() + "-" + channel, m.task(), m.id(), channel, m.severity(), payload);
        }
        signal.wakeAfterCommit();
    }

    /** Counts this alert in the task's current window; the row lock serialises the task's sessions. */
    private boolean withinThrottle(String task) {
        long windowMillis = config.throttle().window().toMillis();
        long start = System.currentTimeMillis() / windowMillis * windowMillis;
        Integer sent = jdbc.queryForObject("""
                insert into alert_window (task, window_start, sent) values (?, ?, 1)
                on conflict (task, window_start) do update set sent = alert_window.sent + 1 returning sent""",
                Integer.class, task, Timestamp.from(Instant.ofEpochMilli(start)));
        return sent <= config.throttle().limit();
    }

    private void hold(OpenedMismatch m, String why) {
        jdbc.update("insert into alert_held (task, held_for, mismatch_id, correlation_key, type, severity) values (?, ?, ?, ?, ?, ?)",
                m.task(), why, m.id(), m.key(), m.type(), m.severity());
    }

    private Map<String, Object> payload(OpenedMismatch m) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mismatchId", m.id());
        p.put("task", m.task());
        p.put("key", m.key());
        p.put("type", m.type());
        p.put("severity", m.severity());
        p.put("reason", m.reason());
        p.put("rule", m.rule());
        p.put("since", m.firstSeen().toString());
        p.put("occurrence", m.occurrence());
        p.put("link", config.baseUrl() + "/api/mismatches/" + m.id());
        return p;
    }
}
