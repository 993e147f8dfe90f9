package io.recon.session;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.recon.system.Incident;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A circuit breaker per (task group, rule) over its faults. A rule that throws or hits the firing cap
 * {@code quarantineAfter} times within {@code quarantineWindow} (across the task group's partitions) is
 * quarantined: every session of the task group refuses its activations, the rest of the rule set runs
 * on. The quarantine is stored (it survives a restart), alerted, and lasts until a releaser lifts it.
 */
@Component
public class RuleQuarantine {

    private static final Logger log = LoggerFactory.getLogger(RuleQuarantine.class);

    private final TaskGroups taskGroups;
    private final QuarantineStore store;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final MeterRegistry metrics;
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    /** task → rule → its quarantine; read by every activation, and by health checks that must not need the database. */
    private final Map<String, Map<String, QuarantinedRule>> quarantined = new ConcurrentHashMap<>();

    RuleQuarantine(TaskGroups taskGroups, QuarantineStore store, TransactionTemplate tx, ApplicationEventPublisher events,
                   MeterRegistry metrics) {
        this.taskGroups = taskGroups;
        this.store = store;
        this.tx = tx;
        this.events = events;
        this.metrics = metrics;
    }

    /** Reads the stored quarantines; call before the sessions start. */
    void load() {
        for (QuarantinedRule rule : store.all()) {
            rulesOf(rule.task()).put(rule.rule(), rule);
            breaker(rule.task(), rule.rule()).transitionToForcedOpenState();
            log.warn("rule '{}' of task group '{}' stays quarantined since {} ({}); lift it with POST /api/rules/quarantine/{}/{}/unquarantine",
                    rule.rule(), rule.task(), rule.since(), rule.reason(), rule.task(), rule.rule());
        }
    }

    /** The guard of one session: skip and count faults, refuse quarantined rules. */
    RuleFaults forSession(String task, int partition) {
        Map<String, QuarantinedRule> rules = rulesOf(task);
        return new RuleFaults() {
            @Override
            public boolean quarantined(String rule) {
                return !rules.isEmpty() && rules.containsKey(rule);
            }

            @Override
            public void fault(RuleFault fault) {
                faulted(task, partition, fault);
            }
        };
    }

    /** The stored quarantines, with every fault counted. */
    public List<QuarantinedRule> list() {
        return store.all();
    }

    /** The quarantines in force in this service, without asking the database (for health and the actuator). */
    public List<QuarantinedRule> inForce() {
        return quarantined.values().stream().flatMap(rules -> rules.values().stream())
                .sorted(java.util.Comparator.comparing(QuarantinedRule::task).thenComparing(QuarantinedRule::rule)).toList();
    }

    /** @return false when the rule was not quarantined */
    public boolean lift(String task, String rule, String by) {
        boolean lifted = Boolean.TRUE.equals(tx.execute(s -> {
            boolean was = store.lift(task, rule);
            if (was) {
                events.publishEvent(new Incident(subject(task, rule), task, false, "Rule '" + rule + "' of task group '" + task + "' runs again",
                        by + " lifted its quarantine; the rule fires again on records from now on (matches refused while quarantined stay skipped)."));
            }
            return was;
        }));
        rulesOf(task).remove(rule);
        breaker(task, rule).reset();
        if (lifted) {
            log.info("rule '{}' of task group '{}' let out of quarantine by {}", rule, task, by);
        }
        return lifted;
    }

    private void faulted(String task, int partition, RuleFaults.RuleFault fault) {
        log.warn("session {}/{}: {}; the firing was skipped, the record stays applied", task, partition, fault.describe());
        metrics.counter("recon.rules.faults", "task", task, "rule", fault.rule(), "kind", fault.capped() ? "cap" : "error").increment();
        try {
            store.logFault(task, partition, fault);
        } catch (RuntimeException e) {
            log.warn("rule fault not stored (the database answered {}); it is counted all the same", e.toString());
        }
        CircuitBreaker breaker = breaker(task, fault.rule());
        breaker.onError(0, TimeUnit.NANOSECONDS, new RuleFaults.RuleFaultException(fault));
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            breaker.transitionToForcedOpenState(); // no half-open trial: a person decides when it runs again
            quarantine(task, fault);
        }
    }

    private void quarantine(String task, RuleFaults.RuleFault fault) {
        TaskGroupsProperties.TaskGroup config = taskGroups.task(task);
        String reason = config.quarantineAfter() + " faults within " + config.quarantineWindow().toSeconds() + " s; the last: " + fault.describe();
        rulesOf(task).put(fault.rule(), new QuarantinedRule(task, fault.rule(), java.time.Instant.now(), reason, config.quarantineAfter()));
        log.error("rule '{}' of task group '{}' quarantined: {}", fault.rule(), task, reason);
        metrics.counter("recon.rules.quarantined", "task", task, "rule", fault.rule()).increment();
        try {
            tx.executeWithoutResult(s -> {
                if (store.quarantine(task, fault.rule(), reason)) {
                    events.publishEvent(new Incident(subject(task, fault.rule()), task, true,
                            "Rule '" + fault.rule() + "' of task group '" + task + "' quarantined",
                            reason + ". The other rules keep running; this rule finds nothing until it is fixed and released, then lifted "
                                    + "with POST /api/rules/quarantine/" + task + "/" + fault.rule() + "/unquarantine (RELEASER)."));
                }
            });
        } catch (RuntimeException e) {
            log.error("quarantine of rule '{}' not stored (the database answered {}): it holds until this service restarts", fault.rule(), e.toString());
        }
    }

    private CircuitBreaker breaker(String task, String rule) {
        TaskGroupsProperties.TaskGroup config = taskGroups.task(task);
        // Only faults are recorded, so the failure rate is 100 % once the window holds quarantineAfter of them.
        return breakers.circuitBreaker(task + "/" + rule, () -> CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, config.quarantineWindow().toSeconds()))
                .minimumNumberOfCalls(config.quarantineAfter())
                .failureRateThreshold(100)
                .waitDurationInOpenState(Duration.ofDays(365))
                .build());
    }

    private Map<String, QuarantinedRule> rulesOf(String task) {
        return quarantined.computeIfAbsent(task, t -> new ConcurrentHashMap<>());
    }

    static String subject(String task, String rule) {
        return "rule " + task + "/" + rule;
    }
}
