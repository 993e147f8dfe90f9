package io.recon.ops;

import io.recon.session.SessionManager;
import io.recon.session.SessionView;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/** {@code /actuator/recon}: every session with its rules version, live facts, clock and backlog. */
@Component
@Endpoint(id = "recon")
class ReconEndpoint {

    private final SessionManager sessions;

    ReconEndpoint(SessionManager sessions) {
        this.sessions = sessions;
    }

    record Sessions(List<SessionView> sessions) {
    }

    @ReadOperation
    Sessions sessions() {
        return new Sessions(sessions.sessions());
    }
}
