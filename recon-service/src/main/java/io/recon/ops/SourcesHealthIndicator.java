package io.recon.ops;

import io.recon.source.SourceSupervisor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component "sources": DOWN while a change-data capture has failed and waits for its restart, with the reason. */
@Component("sources")
class SourcesHealthIndicator implements HealthIndicator {

    private final SourceSupervisor sources;

    SourcesHealthIndicator(SourceSupervisor sources) {
        this.sources = sources;
    }

    @Override
    public Health health() {
        Status status = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (SourceSupervisor.SourceView source : sources.sources()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", source.state());
            detail.put("restarts", source.restarts());
            if (source.failing()) {
                status = Status.DOWN;
                detail.put("error", String.valueOf(source.lastError()));
                detail.put("nextAttempt", String.valueOf(source.nextAttempt()));
            }
            details.put(source.name(), detail);
        }
        return Health.status(status).withDetails(details).build();
    }
}
