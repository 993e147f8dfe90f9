package io.recon.lookup;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recon.catalog.Catalog;
import io.recon.catalog.CatalogLookup;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactMapper;
import io.recon.fact.FactPublisher;
import io.recon.fact.FactSpec;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import io.recon.catalog.RuleSet;
import io.recon.source.SourceCatalog;
import io.recon.source.SourceClocks;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

/**
 * Makes the lookups that are due and publishes each answer as a fact on its task's facts topic, like any fact: the
 * sessions (and a replay) read the answer from the log and never ask again. The answer carries the trigger's
 * correlation key, the trigger's event time plus the delay, {@code found}, and after the retries {@code lookupFailed}
 * with {@code lookupError}. Due lookups are leased for a minute, so a crash in the middle only delays them; while a
 * lookup is pending it holds its task's clock at its answer's event time ({@link SourceClocks#hold}).
 */
@Component
class LookupRunner implements SmartLifecycle, io.recon.cluster.ClusterSingleton {

    private static final Logger log = LoggerFactory.getLogger(LookupRunner.class);
    private static final String HOLDER = "lookups";

    private final JdbcTemplate jdbc;
    private final Catalog catalog;
    private final SourceCatalog sources;
    private final RuleSet rules;
    private final LookupAsking asking;
    private final FactPublisher publisher;
    private final SourceClocks clocks;
    private final LookupsProperties config;
    private final MeterRegistry meters;
    private final io.recon.cluster.ClusterProperties cluster;
    /** answers announced by the intake since the last look at the table, so the clock is held at once */
    private final Map<Long, Object[]> fresh = new ConcurrentHashMap<>();
    private final AtomicInteger freshSeq = new AtomicInteger();
    private final Map<String, TaskFacts> mappers = new ConcurrentHashMap<>();
    private final Set<String> held = new HashSet<>();
    private volatile boolean running;
    private Thread thread;
    private ExecutorService workers;

    LookupRunner(JdbcTemplate jdbc, Catalog catalog, SourceCatalog sources, RuleSet rules, LookupAsking asking, FactPublisher publisher,
                 SourceClocks clocks, LookupsProperties config, MeterRegistry meters, io.recon.cluster.ClusterProperties cluster) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.sources = sources;
        this.rules = rules;
        this.asking = asking;
        this.publisher = publisher;
        this.clocks = clocks;
        this.config = config;
        this.meters = meters;
        this.cluster = cluster;
    }

    private record Due(long id, String lookup, String task, String factId, String key, long eventTime, long answerTime, String fields,
                       int attempts, Instant createdAt) {
    }

    /** A trigger was stored: hold its task's clock at the answer's event time from now on. */
    void pending(String task, long answerTime) {
        fresh.put((long) freshSeq.incrementAndGet(), new Object[] {task, answerTime});
        synchronized (this) {
            clocks.hold(task, HOLDER, Math.min(clocks.heldAt(task), answerTime));
            held.add(task);
        }
    }

    @Override
    public void start() {
        running = true;
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "recon-lookup-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        holdPending(); // what was pending before a restart holds the clock before any source delivers
        thread = new Thread(this::run, "recon-lookups");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                List<Due> due = claimDue();
                List<Future<?>> asked = new ArrayList<>();
                for (Due d : due) {
                    asked.add(workers.submit(() -> {
                        answer(d);
                        return null;
                    }));
                }
                for (Future<?> f : asked) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        // left leased: it is claimed again when the lease ends
                        log.warn("lookups: one lookup failed, retrying later: {}", e.getCause().toString());
                    }
                }
                holdPending();
                if (due.isEmpty()) {
                    Thread.sleep(config.poll().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("lookups: round failed, retrying: {}", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Holds each task's clock at its earliest pending answer, and releases the tasks that have none. */
    private void holdPending() {
        Set<Long> seen = new HashSet<>(fresh.keySet()); // stored before the query below: it sees them
        Map<String, Long> earliest = new HashMap<>();
        jdbc.query("select task, min(answer_time) from lookup_pending where status = 'PENDING' group by task",
                rs -> {
                    earliest.put(rs.getString(1), rs.getLong(2));
                });
        synchronized (this) {
            seen.forEach(fresh::remove);
            fresh.values().forEach(f -> earliest.merge((String) f[0], (Long) f[1], Math::min));
            for (String task : held) {
                if (!earliest.containsKey(task)) {
                    clocks.release(task, HOLDER);
                }
            }
            held.clear();
            earliest.forEach((task, time) -> {
                clocks.hold(task, HOLDER, time);
                held.add(task);
            });
        }
    }

    private List<Due> claimDue() {
        return jdbc.query("""
                update lookup_pending p set due_at = now() + interval '1 minute', attempts = p.attempts + 1
                from (select id from lookup_pending where status = 'PENDING' and due_at <= now() order by due_at limit 100
                      for update skip locked) d
                where p.id = d.id
                returning p.id, p.lookup_name, p.task, p.fact_id, p.fact_key, p.event_time, p.answer_time, p.fields::text, p.attempts,
                          p.created_at""",
                (rs, n) -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                        rs.getLong(7), rs.getString(8), rs.getInt(9), rs.getTimestamp(10).toInstant()));
    }

    private void answer(Due due) throws InterruptedException, ExecutionException {
        CatalogLookup lookup = catalog.lookup(due.lookup()).orElse(null);
        if (lookup == null || !lookup.isEnabled()) {
            done(due, null, "lookup '" + due.lookup() + "' is no longer in the catalog (or switched off)");
            return;
        }
        Map<String, Object> trigger = LookupIntake.JSON.readValue(due.fields(), new TypeReference<Map<String, Object>>() { });
        Map<String, Object> values;
        boolean found;
        String error = null;
        try {
            LookupAsking.Found answer = asking.ask(lookup, due.key(), trigger);
            values = new LinkedHashMap<>(answer.values());
            found = answer.found();
        } catch (RuntimeException e) {
            error = rootMessage(e);
            List<String> retry = lookup.retry();
            if (due.attempts() <= retry.size()) {
                Duration wait = DurationStyle.detectAndParse(retry.get(due.attempts() - 1));
                jdbc.update("update lookup_pending set due_at = ?, last_error = ? where id = ?", Timestamp.from(Instant.now().plus(wait)),
                        error, due.id());
                log.info("lookup '{}' for key {} failed (attempt {}): {}; next in {} ms", due.lookup(), due.key(), due.attempts(), error,
                        wait.toMillis());
                return;
            }
            values = new LinkedHashMap<>();
            found = false;
        }
        publish(lookup, due, values, found, error);
    }

    /** The answer as a fact of the lookup's answer type; a failed lookup says so in lookupFailed and lookupError. */
    private void publish(CatalogLookup lookup, Due due, Map<String, Object> values, boolean found, String error)
            throws InterruptedException, ExecutionException {
        FactMapper mapper = mapper(lookup);
        Set<String> declared = mapper.fieldNames();
        values.keySet().removeIf(k -> !declared.contains(FactMapper.toFieldName(k)) || k.equals("found") || k.equals("lookupFailed"));
        put(values, declared, "found", found);
        put(values, declared, "lookupFailed", error != null);
        put(values, declared, "lookupError", error);
        values.put(mapper.keyField(), due.key());
        values.put(lookup.eventTime(), due.answerTime());
        MappedFact fact;
        try {
            fact = mapper.map(values, due.answerTime());
        } catch (RuntimeException e) {
            if (error != null) {
                done(due, null, "the failed lookup's answer cannot be a " + lookup.answer() + ": " + e.getMessage());
                return;
            }
            // what the target answered does not fit the type: a failure like any other, retried, then reported
            jdbc.update("update lookup_pending set last_error = ? where id = ?", "the answer does not fit " + lookup.answer() + ": "
                    + e.getMessage(), due.id());
            throw new IllegalStateException("lookup '" + lookup.name() + "': the answer does not fit " + lookup.answer() + ": " + e.getMessage());
        }
        publisher.publish(due.task(), FactEnvelope.upsert("lookup:" + lookup.name(), fact, System.currentTimeMillis())).get();
        Timer.builder("recon.lookup.latency").description("trigger read to answer fact published (delay included)")
                .tag("lookup", lookup.name()).publishPercentiles(0.5, 0.99).register(meters)
                .record(Duration.between(due.createdAt(), Instant.now()));
        meters.counter("recon.lookup.answers", "lookup", lookup.name(), "outcome", error != null ? "failed" : found ? "found" : "not_found")
                .increment();
        done(due, found, error);
    }

    private static void put(Map<String, Object> values, Set<String> declared, String field, Object value) {
        if (declared.contains(field)) {
            values.put(field, value);
        }
    }

    private FactMapper mapper(CatalogLookup lookup) {
        FactSpec trigger = sources.specOf(lookup.task(), lookup.when());
        FactSpec spec = trigger == null ? new FactSpec(lookup.answer(), lookup.key(), null, lookup.eventTime())
                : SourceCatalog.answerSpec(lookup, trigger);
        String cacheKey = rules.version() + "\u0000" + spec;
        return mappers.computeIfAbsent(cacheKey, k -> new TaskFacts(rules.kieBase(lookup.task()), List.of(spec))).mapper(lookup.answer());
    }

    private void done(Due due, Boolean found, String error) {
        jdbc.update("update lookup_pending set status = 'DONE', found = ?, last_error = ?, done_at = now() where id = ?", found, error,
                due.id());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public void stop() {
        running = false;
        if (workers != null) {
            workers.shutdownNow();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 140;
    }

    /**
     * With several instances ({@code recon.cluster.enabled}) only the one that runs the singletons starts this: it holds
     * the clocks that only that instance emits as watermarks, and the lookup targets' rate limits are counted here.
     */
    @Override
    public boolean isAutoStartup() {
        return !cluster.enabled();
    }
}
