package io.recon.ops;

import io.recon.session.SessionManager;
import io.recon.session.SessionView;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component "sessions": DOWN when any session has failed; details per session. */
@Component("sessions")
class SessionsHealthIndicator implements HealthIndicator {

    private final SessionManager sessions;

    SessionsHealthIndicator(SessionManager sessions) {
        this.sessions = sessions;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        for (SessionView session : sessions.sessions()) {
            String name = session.task() + "-" + session.partition();
            health.withDetail(name, java.util.Map.of("state", session.state(), "queueDepth", session.queueDepth(),
                    "watermark", String.valueOf(session.watermark()), "rulesVersion", session.rulesVersion()));
            if ("FAILED".equals(session.state())) {
                health.down().withDetail(name + ".error", String.valueOf(session.lastError()));
            }
        }
        return health.build();
    }
}
