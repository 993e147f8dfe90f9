package io.recon.ops;

import io.recon.session.SessionManager;
import io.recon.session.SessionView;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "sessions": DOWN while any session has failed and waits for its
 * restart (with the reason), OUT_OF_SERVICE while an operator paused one; details per session.
 */
@Component("sessions")
class SessionsHealthIndicator implements HealthIndicator {

    private final SessionManager sessions;

    SessionsHealthIndicator(SessionManager sessions) {
        this.sessions = sessions;
    }

    @Override
    public Health health() {
        Status status = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (SessionView session : sessions.sessions()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", session.state());
            detail.put("queueDepth", session.queueDepth());
            detail.put("watermark", String.valueOf(session.watermark()));
            detail.put("rulesVersion", String.valueOf(session.rulesVersion()));
            detail.put("restarts", session.restarts());
            if (session.failing()) {
                status = Status.DOWN;
                detail.put("error", String.valueOf(session.lastError()));
                detail.put("nextAttempt", String.valueOf(session.nextAttempt()));
            } else if ("PAUSED".equals(session.state()) && status == Status.UP) {
                status = Status.OUT_OF_SERVICE;
            }
            details.put(session.task() + "-" + session.partition(), detail);
        }
        return Health.status(status).withDetails(details).build();
    }
}
