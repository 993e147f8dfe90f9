package io.recon.source;

import io.recon.source.cdc.CdcSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "capture": DOWN while a captured database is refused (a table
 * missing, a replica identity that cannot be made FULL), a captured table was renamed or dropped, or
 * a CDC engine failed; each with the reason in words. Bad records never make it DOWN: they are dead letters.
 */
@Component("capture")
class CaptureHealthIndicator implements HealthIndicator {

    private final CdcSources cdc;

    CaptureHealthIndicator(CdcSources cdc) {
        this.cdc = cdc;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        for (CdcSource engine : cdc.engines()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", engine.state().name());
            detail.put("tables", engine.config().tables());
            engine.lastError().ifPresent(e -> detail.put("error", e.getMessage()));
            health.withDetail(engine.config().name(), detail);
            if (engine.state() == CdcSource.State.FAILED) {
                health.down();
            }
        }
        cdc.problems().forEach((database, problems) -> {
            health.withDetail("problems." + database, problems);
            health.down();
        });
        return health.build();
    }
}
