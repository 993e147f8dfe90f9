package io.recon.ops;

import io.recon.system.ReconDatabase;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "db": whether Recon's own database answers, asked on a connection of its own
 * with short timeouts. Spring's indicator asks the pools, which wait their connection timeout (10 s) while the
 * database is down, so health itself stopped answering exactly when it mattered.
 */
@Component("db")
class DatabaseHealthIndicator implements HealthIndicator {

    private final ReconDatabase database;

    DatabaseHealthIndicator(ReconDatabase database) {
        this.database = database;
    }

    @Override
    public Health health() {
        return database.problem()
                .map(why -> Health.down().withDetail("error", "Recon's database cannot be reached (" + why
                        + "); the sessions wait and are restarted once it answers again").build())
                .orElseGet(() -> Health.up().withDetail("database", "PostgreSQL").build());
    }
}
