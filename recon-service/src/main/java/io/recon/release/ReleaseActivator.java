package io.recon.release;

import io.recon.authoring.RefusedVersionException;
import io.recon.authoring.UnknownVersionException;
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
 * stays. Every attempt is recorded.
 */
@Component
public class ReleaseActivator {

    private static final Logger log = LoggerFactory.getLogger(ReleaseActivator.class);
    private static final long SESSION_TIMEOUT_SECONDS = 60;

    private final ReleaseRegistry registry;
    private final ReleasedKjars kjars;
    private final ActiveRules active;
    private final SessionManager sessions;
    private final SourceCatalog catalog;

    private final io.recon.authoring.RuleRuns runs;

    ReleaseActivator(ReleaseRegistry registry, ReleasedKjars kjars, ActiveRules active, SessionManager sessions, SourceCatalog catalog,
                     io.recon.authoring.RuleRuns runs) {
        this.runs = runs;
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

    public record Outcome(String from, String to, long pauseMillis, int sessions) {
    }

    public synchronized Outcome activate(String version, String user) {
        String from = active.version();
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
        check(from, version, user);
        List<CompletableFuture<Long>> updates = sessions.updateRules(kjars.releaseId(version), version);
        List<String> failures = new ArrayList<>();
        long pause = 0;
        List<Integer> moved = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            try {
                pause = Math.max(pause, updates.get(i).get(SESSION_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                moved.add(i);
            } catch (ExecutionException e) {
                failures.add(e.getCause().getMessage());
            } catch (TimeoutException e) {
                failures.add("a session did not take the update within " + SESSION_TIMEOUT_SECONDS + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add("interrupted");
            }
        }
        if (!failures.isEmpty()) {
            if (!moved.isEmpty()) {
                sessions.updateRules(kjars.releaseId(from), from).forEach(f -> f.orTimeout(SESSION_TIMEOUT_SECONDS, TimeUnit.SECONDS).exceptionally(e -> null).join());
            }
            throw refuse(from, version, user, "Rules " + version + " could not be activated; " + from + " stays active: "
                    + String.join("; ", failures), List.of());
        }
        registry.markActive(version);
        active.activated(version);
        registry.recordActivation(from, version, user, "ACTIVATED", updates.size() + " sessions updated in place", pause);
        log.info("rules {} activated by {} (was {}): {} sessions, longest pause {} ms", version, user, from, updates.size(), pause);
        return new Outcome(from, version, pause, updates.size());
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

    private void check(String from, String version, String user) {
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
            String shape = shapeChange(active.kieBase(task), candidate.getKieBase(task), specs.keySet());
            if (shape != null) {
                throw refuse(from, version, user, "Rules " + version + " " + shape + ": an in-place update cannot carry the facts of that type"
                        + " over. Keep the type as it is (add a new type instead) in this version.", List.of());
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
    }

    /** Null when every bound type keeps its fields and their types; else what changed, in words. */
    private static String shapeChange(KieBase running, KieBase candidate, Iterable<String> boundTypes) {
        for (String type : boundTypes) {
            int dot = type.lastIndexOf('.');
            FactType now = running.getFactType(type.substring(0, dot), type.substring(dot + 1));
            FactType next = candidate.getFactType(type.substring(0, dot), type.substring(dot + 1));
            if (next == null) {
                return "no longer declare fact type " + type + ", which a source binding feeds";
            }
            if (now != null && !Objects.equals(fields(now), fields(next))) {
                return "change the fields of fact type " + type + " (" + fields(now) + " becomes " + fields(next) + ")";
            }
        }
        return null;
    }

    private static Map<String, String> fields(FactType type) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (FactField field : type.getFields()) {
            fields.put(field.getName(), field.getType().getName());
        }
        return fields;
    }

    private RefusedException refuse(String from, String to, String user, String message, List<RuleProblem> problems) {
        registry.recordActivation(from, to, user, "REFUSED", message, null);
        log.warn("activation of rules {} refused: {}", to, message);
        return new RefusedException(message, problems);
    }
}
