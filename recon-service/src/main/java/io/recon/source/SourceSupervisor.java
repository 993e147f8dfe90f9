package io.recon.source;

import io.github.resilience4j.core.IntervalFunction;
import io.recon.source.cdc.CdcSource;
import io.recon.system.Incident;
import io.recon.system.SupervisionProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Restarts a change-data-capture source that stopped on an error, with the sessions' back-off
 * ({@code recon.supervision.*}). Debezium resumes from its stored offsets and the batch that failed was
 * never marked processed, so the changes committed meanwhile are read after the restart: none lost.
 * The stop and the recovery are announced as {@link Incident}s; {@link #sources()} feeds health.
 */
@Component
public class SourceSupervisor {

    private static final Logger log = LoggerFactory.getLogger(SourceSupervisor.class);

    private final CdcSources cdc;
    private final SourceCatalog catalog;
    private final SupervisionProperties config;
    private final IntervalFunction backoff;
    private final ApplicationEventPublisher events;
    private final Map<String, Supervised> byName = new ConcurrentHashMap<>();

    /** One captured database as operators see it: state, the last error (passwords masked), restarts, next attempt. */
    public record SourceView(String name, String state, String lastError, int restarts, Instant nextAttempt) {
        public boolean failing() {
            return "FAILED".equals(state) || "RESTARTING".equals(state);
        }
    }

    private static final class Supervised {
        volatile String lastError;
        volatile int restarts;
        volatile Instant nextAttempt;
        int failuresInARow;
        long runningSince;
        Incident pending;
    }

    SourceSupervisor(CdcSources cdc, SourceCatalog catalog, SupervisionProperties config, ApplicationEventPublisher events) {
        this.cdc = cdc;
        this.catalog = catalog;
        this.config = config;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(config.initialBackoff(), 2.0, 0.2, config.maxBackoff());
        this.events = events;
    }

    @Scheduled(fixedDelay = 500, initialDelay = 1000)
    void check() {
        if (!cdc.isRunning()) {
            return;
        }
        long now = System.currentTimeMillis();
        // under the captures' lock: a capture the catalog stops or restarts meanwhile is never restarted from here
        synchronized (cdc) {
            for (CdcSource source : cdc.engines()) {
                try {
                    check(source, byName.computeIfAbsent(source.config().name(), n -> new Supervised()), now);
                } catch (RuntimeException e) {
                    log.warn("supervision of CDC source {} failed, retrying: {}", source.config().name(), e.toString());
                }
            }
        }
    }

    private void check(CdcSource source, Supervised s, long now) {
        String name = source.config().name();
        CdcSource.State state = source.state();
        if (state == CdcSource.State.FAILED || state == CdcSource.State.STOPPED) {
            if (s.nextAttempt == null) {
                s.failuresInARow++;
                s.lastError = source.lastError().map(Throwable::toString).orElse("the capture stopped without an error");
                s.nextAttempt = Instant.ofEpochMilli(now + backoff.apply(s.failuresInARow));
                s.runningSince = 0;
                log.error("CDC source {} stopped ({}); restart in {} ms", name, s.lastError, s.nextAttempt.toEpochMilli() - now);
                s.pending = new Incident("source " + name, taskOf(name), true, "Source " + name + " stopped capturing changes",
                        "It failed with: " + s.lastError + ". It is restarted with back-off (next attempt at " + s.nextAttempt
                                + "); the changes committed meanwhile are read once it is back. The sessions' clocks wait for it.");
            } else if (!Instant.ofEpochMilli(now).isBefore(s.nextAttempt)) {
                source.start(); // returns at once; a failure shows as FAILED again
                if (source.state() != CdcSource.State.FAILED && source.state() != CdcSource.State.STOPPED) {
                    s.restarts++;
                    s.nextAttempt = null;
                    log.info("CDC source {}: restart {} (resumes from its stored offsets)", name, s.restarts);
                }
            }
        } else if (state == CdcSource.State.RUNNING && s.failuresInARow > 0) {
            if (s.runningSince == 0) {
                s.runningSince = now;
            }
            if (now - s.runningSince >= config.stableAfter().toMillis()) {
                s.failuresInARow = 0;
                log.info("CDC source {} recovered after {} restarts", name, s.restarts);
                s.pending = new Incident("source " + name, taskOf(name), false, "Source " + name + " captures changes again",
                        "It restarted and is reading the changes committed while it was down. The last failure was: " + s.lastError);
            }
        }
        announce(s);
    }

    private void announce(Supervised s) {
        Incident incident = s.pending;
        if (incident == null) {
            return;
        }
        try {
            events.publishEvent(incident);
            s.pending = null;
        } catch (RuntimeException e) {
            log.warn("incident '{}' not recorded yet ({}); retrying", incident.title(), e.toString());
        }
    }

    /** The task group whose alert route hears of this capture: the first one its tables feed. */
    private String taskOf(String engineName) {
        return catalog.bindings().values().stream()
                .filter(b -> b.kind() == SourceBinding.Kind.TABLE && engineName.equals("recon_" + b.database().replaceAll("[^A-Za-z0-9_]", "_")))
                .map(SourceBinding::task).sorted().findFirst().orElse("default");
    }

    public List<SourceView> sources() {
        return cdc.engines().stream().map(source -> {
            Supervised s = byName.get(source.config().name());
            String state = source.state().name();
            if (s != null && s.nextAttempt != null) {
                state = "RESTARTING";
            }
            return new SourceView(source.config().name(), state, s == null ? source.lastError().map(Throwable::toString).orElse(null) : s.lastError,
                    s == null ? 0 : s.restarts, s == null ? null : s.nextAttempt);
        }).toList();
    }
}
