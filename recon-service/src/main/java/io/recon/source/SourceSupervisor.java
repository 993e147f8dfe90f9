package io.recon.source;

import io.github.resilience4j.core.IntervalFunction;
import io.recon.source.cdc.CdcSource;
import io.recon.source.cdc.CdcSourceConfig;
import io.recon.system.Incident;
import io.recon.system.KafkaEndpoint;
import io.recon.system.OutageWatch;
import io.recon.system.ReconDatabase;
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
 * Restarts a change-data-capture source or a topic source that stopped on an error, with the sessions' back-off
 * ({@code recon.supervision.*}). Debezium resumes from its stored offsets and the batch that failed was
 * never marked processed, so the changes committed meanwhile are read after the restart: none lost. A topic
 * source resumes from its group's committed offsets, which it commits only after its facts are on the facts topic.
 * A source that failed while what it depends on was away restarts as soon as that answers again ({@link OutageWatch}).
 * The stop and the recovery are announced as {@link Incident}s; {@link #sources()} feeds health.
 */
@Component
public class SourceSupervisor {

    private static final Logger log = LoggerFactory.getLogger(SourceSupervisor.class);

    private final CdcSources cdc;
    private final KafkaTopicSource topics;
    private final KafkaEndpoint kafka;
    private final SourceCatalog catalog;
    private final SupervisionProperties config;
    private final IntervalFunction backoff;
    private final ApplicationEventPublisher events;
    private final Map<String, Supervised> byName = new ConcurrentHashMap<>();

    /** One captured database as operators see it: state, the last error (passwords masked), restarts, next attempt. */
    public record SourceView(String name, String state, String lastError, int restarts, Instant nextAttempt) {
        public boolean failing() {
            return "FAILED".equals(state) || "RESTARTING".equals(state) || "BEHIND".equals(state);
        }
    }

    private static final class Supervised {
        volatile String lastError;
        volatile int restarts;
        volatile Instant nextAttempt;
        int failuresInARow;
        long runningSince;
        Incident pending;
        /** While waiting to restart: the restart comes early once what it depends on, seen away, answers again. */
        OutageWatch outage;
    }

    SourceSupervisor(CdcSources cdc, KafkaTopicSource topics, KafkaEndpoint kafka, SourceCatalog catalog, SupervisionProperties config,
                     ApplicationEventPublisher events) {
        this.cdc = cdc;
        this.topics = topics;
        this.kafka = kafka;
        this.catalog = catalog;
        this.config = config;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(config.initialBackoff(), 2.0, 0.2, config.maxBackoff());
        this.events = events;
    }

    @Scheduled(fixedDelay = 500, initialDelay = 1000)
    void check() {
        long now = System.currentTimeMillis();
        // under the captures' lock: a capture the catalog stops or restarts meanwhile is never restarted from here
        synchronized (cdc) {
            for (Adapter source : adapters()) {
                try {
                    check(source, byName.computeIfAbsent(source.name(), n -> new Supervised()), now);
                } catch (RuntimeException e) {
                    log.warn("supervision of {} failed, retrying: {}", source.what(), e.toString());
                }
            }
        }
    }

    /**
     * A change-data capture or a topic consumer as supervision sees it: {@code stopped} and {@code again} complete the
     * incident titles ("Source x stopped ...", "Source x ... again"), {@code meanwhile} says what happens to what was
     * written while it was down, {@code dependencyAnswers} whether what it reads answers (for an early restart).
     */
    private record Adapter(String name, String what, String task, java.util.function.Supplier<String> state,
                           java.util.function.Supplier<java.util.Optional<Throwable>> lastError, Runnable start,
                           String stopped, String again, String meanwhile, java.util.function.BooleanSupplier dependencyAnswers) {
        boolean down() {
            String s = state.get();
            return s.equals("FAILED") || s.equals("STOPPED");
        }
    }

    /** Only while their lifecycle runs: a source stopped by shutdown is not restarted. */
    private List<Adapter> adapters() {
        List<Adapter> all = new java.util.ArrayList<>();
        if (cdc.isRunning()) {
            for (CdcSource source : cdc.engines()) {
                String name = source.config().name();
                CdcSourceConfig c = source.config();
                String url = "jdbc:postgresql://" + c.host() + ":" + c.port() + "/" + c.database();
                all.add(new Adapter(name, "CDC source " + name, taskOf(name), () -> source.state().name(), source::lastError, source::start,
                        "stopped capturing changes", "captures changes again",
                        "the changes committed meanwhile are read once it is back",
                        // the captured database, and Recon's, where the capture keeps its offsets
                        () -> (c.kind() == CdcSourceConfig.Kind.MARIADB ? io.recon.source.cdc.MariaDbTables.answers(c)
                                : ReconDatabase.problem(url, c.user(), c.password()).isEmpty())
                                && ReconDatabase.problem(c.offsetJdbcUrl(), c.offsetUser(), c.offsetPassword()).isEmpty()));
            }
        }
        if (topics.isRunning()) {
            for (TopicSource source : topics.sources()) {
                all.add(new Adapter(source.name(), "topic source " + source.name() + " (topic " + source.topic() + ")", source.task(),
                        () -> source.state().name(), source::lastError, source::start,
                        "stopped reading topic " + source.topic(), "reads topic " + source.topic() + " again",
                        "the messages published meanwhile are read once the broker answers again",
                        () -> OutageWatch.brokerAnswers(kafka.bootstrap())));
            }
        }
        return all;
    }

    private void check(Adapter source, Supervised s, long now) {
        String name = source.name();
        if (source.down()) {
            if (s.nextAttempt == null) {
                s.failuresInARow++;
                s.lastError = source.lastError().get().map(Throwable::toString).orElse("the source stopped without an error");
                s.nextAttempt = Instant.ofEpochMilli(now + backoff.apply(s.failuresInARow));
                s.runningSince = 0;
                s.outage = new OutageWatch(source.dependencyAnswers());
                log.error("{} stopped ({}); restart in {} ms", source.what(), s.lastError, s.nextAttempt.toEpochMilli() - now);
                s.pending = new Incident("source " + name, source.task(), true, "Source " + name + " " + source.stopped(),
                        "It failed with: " + s.lastError + ". It is restarted with back-off (next attempt at " + s.nextAttempt
                                + "); " + source.meanwhile() + ". The sessions' clocks wait for it.");
            } else if (!Instant.ofEpochMilli(now).isBefore(s.nextAttempt) || s.outage.backAfterOutage()) {
                source.start().run(); // returns at once; a failure shows as FAILED again
                if (!source.down()) {
                    s.restarts++;
                    s.nextAttempt = null;
                    log.info("{}: restart {} (resumes from its stored position)", source.what(), s.restarts);
                }
            }
        } else if (source.state().get().equals("RUNNING") && s.failuresInARow > 0) {
            if (s.runningSince == 0) {
                s.runningSince = now;
            }
            if (now - s.runningSince >= config.stableAfter().toMillis()) {
                s.failuresInARow = 0;
                log.info("{} recovered after {} restarts", source.what(), s.restarts);
                s.pending = new Incident("source " + name, source.task(), false, "Source " + name + " " + source.again(),
                        "It restarted; " + source.meanwhile() + ". The last failure was: " + s.lastError);
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

    /**
     * Every captured database and every topic source, with its supervision state: {@code BEHIND} (with the reason) for
     * a capture that runs but cannot prove it delivers, e.g. while its database is away and Debezium retries inside.
     */
    public List<SourceView> sources() {
        List<SourceView> views = new java.util.ArrayList<>();
        for (CdcSource e : cdc.engines()) {
            String name = e.config().name();
            java.util.Optional<String> behind = cdc.behind(name).filter(r -> e.state() == CdcSource.State.RUNNING);
            views.add(view(name, behind.isPresent() ? "BEHIND" : e.state().name(),
                    behind.map(r -> "the capture runs but delivers nothing: " + r).or(() -> e.lastError().map(Throwable::toString))));
        }
        topics.sources().forEach(t -> views.add(view(t.name(), t.state().name(), t.lastError().map(Throwable::toString))));
        return views;
    }

    private SourceView view(String name, String state, java.util.Optional<String> ownError) {
        Supervised s = byName.get(name);
        // a restarted source that has not reached what it reads yet is still part of the failure
        boolean restarting = s != null && (s.nextAttempt != null || s.failuresInARow > 0 && "STARTING".equals(state));
        String error = "BEHIND".equals(state) || s == null ? ownError.orElse(null) : s.lastError;
        return new SourceView(name, restarting ? "RESTARTING" : state, error, s == null ? 0 : s.restarts, s == null ? null : s.nextAttempt);
    }
}
