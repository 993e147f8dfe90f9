package io.recon.release;

import io.recon.authoring.RefusedVersionException;
import io.recon.authoring.UnknownVersionException;
import io.recon.catalog.RuleSetChanged;
import io.recon.authoring.ReleaseChecks;
import io.recon.authoring.RuleProblem;
import io.recon.fact.FactSpec;
import io.recon.session.SessionManager;
import io.recon.source.SourceCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kie.api.KieBase;
import org.kie.api.definition.type.FactField;
import org.kie.api.definition.type.FactType;
import org.kie.api.runtime.KieContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Activation: checks a version (compiles, passes the sandbox, passes its own scenarios, keeps the
 * shape of every bound fact type), then moves every running session to it in place, each on its own
 * thread. If any session cannot take it, the sessions already moved go back and the active version
 * stays. Every attempt is recorded. A canary ({@link CanaryRelease}) ends when a version is activated: its sessions
 * move with the others, or, for the canary's own version, stay where they are.
 */
@Component
public class ReleaseActivator {

    private static final Logger log = LoggerFactory.getLogger(ReleaseActivator.class);
    private static final long SESSION_TIMEOUT_SECONDS = 60;
    /** How long a rebuild by replay may take before the activation answers that it goes on (a replay of millions of records). */
    private static final java.time.Duration REBUILD_TIMEOUT = java.time.Duration.ofMinutes(5);

    private final ReleaseRegistry registry;
    private final ReleasedKjars kjars;
    private final ActiveRules active;
    private final SessionManager sessions;
    private final SourceCatalog catalog;

    private final io.recon.authoring.RuleRuns runs;
    private final org.springframework.context.ApplicationEventPublisher events;

    ReleaseActivator(ReleaseRegistry registry, ReleasedKjars kjars, ActiveRules active, SessionManager sessions, SourceCatalog catalog,
                     io.recon.authoring.RuleRuns runs,
                     org.springframework.context.ApplicationEventPublisher events) {
        this.runs = runs;
        this.events = events;
        this.registry = registry;
        this.kjars = kjars;
        this.active = active;
        this.sessions = sessions;
        this.catalog = catalog;
    }

    /** Why a version may not run; {@code problems} hold file, line and column where there are any. */
    public static final class RefusedException extends RuntimeException {
        private final List<RuleProblem> problems;

        RefusedException(String message, List<RuleProblem> problems) {
            super(message);
            this.problems = problems;
        }

        public List<RuleProblem> problems() {
            return problems;
        }
    }

    /** @param rebuilt task groups whose sessions were rebuilt by replay (the version changed a bound type's fields) */
    public record Outcome(String from, String to, long pauseMillis, int sessions, List<String> rebuilt) {
    }

    public synchronized Outcome activate(String version, String user) {
        String from = active.version();
        java.util.Set<String> rebuilt = check(from, version, user);
        List<CompletableFuture<Long>> updates = sessions.updateRules(kjars.releaseId(version), version, rebuilt);
        Moved moved = awaitUpdates(updates);
        long pause = moved.pause();
        List<String> failures = moved.failures();
        if (!failures.isEmpty()) {
            if (moved.moved() > 0) {
                moveBack(sessions.updateRules(kjars.releaseId(from), from));
                // a canary's sessions moved with the others: they go back to the canary's version
                active.canary().ifPresent(c -> moveBack(sessions.updateRules(kjars.releaseId(c.version()), c.version(), c.task(), c.partitions())));
            }
            throw refuse(from, version, user, "Rules " + version + " could not be activated; " + from + " stays active: "
                    + String.join("; ", failures), List.of());
        }
        registry.markActive(version);
        int rebuiltSessions = (int) sessions.sessions().stream().filter(v -> rebuilt.contains(v.task())).count();
        pause = Math.max(pause, runFromNow(from, version, rebuilt));
        String how = updates.size() + " sessions updated in place" + (rebuilt.isEmpty() ? "" : ", " + rebuiltSessions
                + " of task groups " + rebuilt + " rebuilt by replay");
        registry.recordActivation(from, version, user, "ACTIVATED", how, pause);
        log.info("rules {} activated by {} (was {}): {}, longest pause {} ms", version, user, from, how, pause);
        return new Outcome(from, version, pause, updates.size() + rebuiltSessions, List.copyOf(rebuilt));
    }

    /** The sessions' in-place updates, awaited: the longest pause, what failed and how many moved. */
    record Moved(long pause, List<String> failures, int moved) {
    }

    /** Awaits sessions going back to where they were after a failed move; one that cannot stays where it is. */
    static void moveBack(List<CompletableFuture<Long>> updates) {
        updates.forEach(f -> f.orTimeout(SESSION_TIMEOUT_SECONDS, TimeUnit.SECONDS).exceptionally(e -> null).join());
    }

    static Moved awaitUpdates(List<CompletableFuture<Long>> updates) {
        List<String> failures = new ArrayList<>();
        long pause = 0;
        int moved = 0;
        for (CompletableFuture<Long> update : updates) {
            try {
                pause = Math.max(pause, update.get(SESSION_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                moved++;
            } catch (ExecutionException e) {
                failures.add(e.getCause().getMessage());
            } catch (TimeoutException e) {
                failures.add("a session did not take the update within " + SESSION_TIMEOUT_SECONDS + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add("interrupted");
            }
        }
        return new Moved(pause, failures, moved);
    }

    /**
     * With several instances: the version another instance activated (the registry marks it ACTIVE) is taken by this
     * instance's sessions too. It was checked and recorded where it was activated, so here it is only loaded and the
     * sessions moved (in place, or rebuilt by replay for a changed bound type). @return whether a version was taken
     */
    public synchronized boolean follow() {
        String from = active.version();
        String version = registry.active().orElse(from);
        if (version.equals(from)) {
            return false;
        }
        java.util.Set<String> rebuilt = rebuiltBy(kjars.container(version));
        Moved moved = awaitUpdates(sessions.updateRules(kjars.releaseId(version), version, rebuilt));
        long pause = Math.max(moved.pause(), runFromNow(from, version, rebuilt));
        if (!moved.failures().isEmpty()) {
            // it is active everywhere else: a session that could not move keeps the old rules until it restarts
            log.error("rules {}, activated on another instance: {} of this instance's sessions could not take it ({}); restart this"
                    + " instance to move them", version, moved.failures().size(), String.join("; ", moved.failures()));
        }
        log.info("rules {} activated on another instance (was {}): {} sessions here updated in place{}, longest pause {} ms", version, from,
                moved.moved(), rebuilt.isEmpty() ? "" : ", task groups " + rebuilt + " rebuilt by replay", pause);
        return true;
    }

    /**
     * From now on this instance runs the version: new sessions take it, the catalog hears of it, and the task groups
     * that cannot take it in place are rebuilt by replay. @return the longest pause of those rebuilds, in ms
     */
    private long runFromNow(String from, String version, java.util.Set<String> rebuilt) {
        registry.endCanary(); // every session runs the new version, a canary's too
        active.activated(version);
        events.publishEvent(new RuleSetChanged(from, version));
        long pause = 0;
        for (String task : rebuilt) {
            pause = Math.max(pause, sessions.rebuild(task, REBUILD_TIMEOUT));
        }
        return pause;
    }

    /** The task groups whose sessions a version must rebuild by replay: it changes the fields of a type they bind. */
    private java.util.Set<String> rebuiltBy(KieContainer candidate) {
        java.util.Set<String> rebuilt = new java.util.TreeSet<>();
        for (String task : catalog.tasks()) {
            List<String> bound = catalog.factSpecs(task).stream().map(FactSpec::type).toList();
            if (candidate.getKieBaseNames().contains(task) && changesFields(active.kieBase(task), candidate.getKieBase(task), bound)) {
                rebuilt.add(task);
            }
        }
        return rebuilt;
    }

    /** Rollback: the active version goes back to the one that was active before it. */
    public Outcome rollback(String version, String user) {
        String current = active.version();
        if (!version.equals(current)) {
            throw new RefusedException("Rules " + version + " are not active (" + current + " is); only the active version can be rolled back.", List.of());
        }
        String previous = registry.previouslyActive().orElseThrow(() -> new RefusedException(
                "Rules " + version + " were never activated over another version here: there is nothing to roll back to.", List.of()));
        return activate(previous, user);
    }

    /**
     * Whether a version may run on the sessions: known, not retired, not active, compiles, passes the sandbox and its own
     * scenarios, and declares every type the bindings feed. @return the task groups whose sessions the version must
     * rebuild by replay (it changes a bound type's fields)
     */
    java.util.Set<String> check(String from, String version, String user) {
        var release = registry.find(version);
        if (release.isEmpty()) {
            throw new UnknownVersionException("There is no rules version " + version + " in the release registry.");
        }
        if ("RETIRED".equals(release.get().status())) {
            throw refuse(from, version, user, "Rules " + version + " are retired and cannot be activated again; publish the rules under a new version.",
                    List.of());
        }
        if (version.equals(from)) {
            throw refuse(from, version, user, "Rules " + version + " are already active.", List.of());
        }
        KieContainer candidate;
        try {
            candidate = kjars.container(version);
        } catch (RefusedVersionException e) {
            throw refuse(from, version, user, e.getMessage(), e.problems());
        } catch (RuntimeException e) {
            throw refuse(from, version, user, "Rules " + version + " do not compile: " + e.getMessage(), List.of());
        }
        byte[] kjar = registry.kjarBytes(version);
        Map<String, Map<String, FactSpec>> bindings = new LinkedHashMap<>();
        for (String task : catalog.tasks()) {
            Map<String, FactSpec> specs = new LinkedHashMap<>();
            catalog.factSpecs(task).forEach(s -> specs.put(s.type(), s));
            bindings.put(task, specs);
            if (!candidate.getKieBaseNames().contains(task)) {
                throw refuse(from, version, user, "Rules " + version + " have no task group '" + task + "', which the running sessions need.", List.of());
            }
            for (String type : specs.keySet()) {
                if (!declares(candidate.getKieBase(task), type)) {
                    List<String> feeding = catalog.bindings().entrySet().stream()
                            .filter(b -> b.getValue().task().equals(task) && b.getValue().type().equals(type)).map(Map.Entry::getKey).sorted().toList();
                    throw refuse(from, version, user, "Rules " + version + " no longer declare fact type " + type + ", which "
                            + (feeding.isEmpty() ? "a lookup of task " + task + " answers with" : "source bindings " + feeding + " feed")
                            + "; keep the type, or delete or rebind " + (feeding.isEmpty() ? "the lookup" : "those sources") + " first.", List.of());
                }
            }
        }
        // off the request thread and within the test budget: a rule that throws or loops there refuses the version
        Map<String, String> ruleTexts = KjarFiles.read(kjar, ".drl", ".dslr");
        io.recon.authoring.ScenarioChecks.Outcome scenarios;
        try {
            scenarios = runs.run(runs.testBudget(), "the scenarios of " + version, meter ->
                    io.recon.authoring.ScenarioChecks.run(candidate, KjarFiles.read(kjar, ".scenario.json"), ruleTexts, bindings, meter));
        } catch (io.recon.authoring.RuleRunFailure e) {
            throw refuse(from, version, user, "Rules " + version + " fail their own scenarios: " + e.getMessage(), e.problems(ruleTexts));
        }
        if (!scenarios.ok()) {
            throw refuse(from, version, user, "Rules " + version + " fail their own scenarios: " + String.join(" ", scenarios.failures()),
                    scenarios.problems());
        }
        return rebuiltBy(candidate);
    }

    private static boolean declares(KieBase kieBase, String type) {
        int dot = type.lastIndexOf('.');
        return kieBase.getFactType(type.substring(0, dot), type.substring(dot + 1)) != null;
    }

    /** Whether a bound type gains, loses or retypes a field: the facts in the sessions cannot be carried over in place. */
    private static boolean changesFields(KieBase running, KieBase candidate, Iterable<String> boundTypes) {
        for (String type : boundTypes) {
            int dot = type.lastIndexOf('.');
            FactType now = running.getFactType(type.substring(0, dot), type.substring(dot + 1));
            FactType next = candidate.getFactType(type.substring(0, dot), type.substring(dot + 1));
            if (now != null && next != null && !Objects.equals(fields(now), fields(next))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> fields(FactType type) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (FactField field : type.getFields()) {
            fields.put(field.getName(), field.getType().getName());
        }
        return fields;
    }

    RefusedException refuse(String from, String to, String user, String message, List<RuleProblem> problems) {
        registry.recordActivation(from, to, user, "REFUSED", message, null);
        log.warn("activation of rules {} refused: {}", to, message);
        return new RefusedException(message, problems);
    }
}
