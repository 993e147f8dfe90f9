package io.recon.authoring;

import io.recon.fact.FactMapper;
import io.recon.fact.FactSpec;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import io.recon.mismatch.MismatchChange;
import io.recon.rules.Mismatch;
import io.recon.session.RunBudget;
import io.recon.session.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.type.FactType;
import tools.jackson.databind.JsonNode;

/**
 * Runs a {@link Scenario} on a rule set with the service's own session semantics (see
 * {@link Simulation}): event time moves one second at a time, as the service's watermarks do, and
 * rules fire after every record and every second. Reports, per step, the rules that fired and the
 * mismatches detected and healed, and checks the step's expectations.
 */
public final class MockTest {

    static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long TICK = 1000;
    private static final long MAX_TICKS = 200_000;

    public record Change(String type, String key, String severity, String reason, String rule) {
    }

    public record StepResult(int step, Instant at, String did, Map<String, Long> fired, List<Change> detected, List<Change> healed,
                             List<String> open, String failure) {
    }

    public record Result(String scenario, boolean passed, List<StepResult> steps, List<String> open, Map<String, Long> fired,
                         List<String> failures) {
    }

    /** A scenario that cannot be run as written (unknown type, bad time): the message says what to fix. */
    public static final class ScenarioException extends RuntimeException {
        ScenarioException(String message) {
            super(message);
        }
    }

    /**
     * @param bindings how the service identifies records of each declared type (full type name to spec);
     *                 a scenario's own {@code types} take precedence
     */
    public Result run(KieBase kieBase, Scenario scenario, Map<String, FactSpec> bindings) {
        return run(kieBase, scenario, bindings, RunBudget.UNLIMITED.start());
    }

    /**
     * Within the run's budget; a rule that throws or keeps firing, and a run past its budget, stop the test with a
     * {@link RuleRunFailure} naming the scenario and the step.
     */
    public Result run(KieBase kieBase, Scenario scenario, Map<String, FactSpec> bindings, RunBudget.Meter meter) {
        if (scenario.steps() == null || scenario.steps().isEmpty()) {
            throw new ScenarioException("The scenario has no steps: add records to insert and the mismatches you expect.");
        }
        Instant start = scenario.start() == null ? DEFAULT_START : parseInstant(scenario.start(), "start");
        Map<String, FactSpec> specs = specs(kieBase, scenario, bindings);
        TaskFacts facts;
        try {
            facts = new TaskFacts(kieBase, List.copyOf(specs.values()));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(e.getMessage());
        }
        List<StepResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, Long> total = new TreeMap<>();
        int stepNumber = 0;
        try (Simulation session = new Simulation(kieBase, facts, 0, meter)) {
            session.advanceTo(start.toEpochMilli());
            session.drainFirings();
            long now = start.toEpochMilli();
            for (int i = 0; i < scenario.steps().size(); i++) {
                stepNumber = i + 1;
                meter.record();
                Scenario.Step step = scenario.steps().get(i);
                long at = step.at() == null || step.at().isNull() ? now : time(step.at(), start, i);
                List<MismatchChange> changes = new ArrayList<>();
                if (at > now) {
                    changes.addAll(tick(session, now, at));
                    now = at;
                }
                String did = apply(session, step, specs, facts, kieBase, at, i);
                changes.addAll(session.drainChanges());
                Map<String, Long> fired = new TreeMap<>(session.drainFirings());
                fired.forEach((rule, n) -> total.merge(rule, n, Long::sum));
                List<String> open = open(session.openMismatches());
                String failure = null;
                if (step.expect() != null) {
                    Set<String> expected = new TreeSet<>(step.expect().stream().map(e -> e.trim().replaceAll("\\s+", " ")).toList());
                    if (!expected.equals(new TreeSet<>(open))) {
                        Set<String> missing = new TreeSet<>(expected);
                        missing.removeAll(open);
                        Set<String> unexpected = new TreeSet<>(open);
                        unexpected.removeAll(expected);
                        failure = "Step " + (i + 1) + " (at " + seconds(at - start.toEpochMilli()) + "): expected open mismatches " + expected
                                + " but found " + open + (missing.isEmpty() ? "" : "; not reported: " + missing)
                                + (unexpected.isEmpty() ? "" : "; reported but not expected: " + unexpected) + ".";
                        failures.add(failure);
                    }
                }
                results.add(new StepResult(i + 1, Instant.ofEpochMilli(at), did, fired, changes(changes, MismatchChange.Kind.DETECTED),
                        changes(changes, MismatchChange.Kind.HEALED), open, failure));
            }
            return new Result(scenario.name(), failures.isEmpty(), results, open(session.openMismatches()), total, failures);
        } catch (Simulation.RuleFailure e) {
            throw RuleRunFailure.of(e, where(scenario, stepNumber));
        } catch (RunBudget.Exceeded e) {
            throw RuleRunFailure.of(e, where(scenario, stepNumber));
        }
    }

    private static String where(Scenario scenario, int step) {
        return (scenario.name() == null ? "the scenario" : "scenario '" + scenario.name() + "'") + (step > 0 ? ", step " + step : "");
    }

    /** Event time passes one watermark tick at a time, as in the service. */
    private static List<MismatchChange> tick(Simulation session, long from, long to) {
        List<MismatchChange> changes = new ArrayList<>();
        long step = Math.max(TICK, (to - from) / MAX_TICKS);
        for (long t = from + step; t < to; t += step) {
            session.advanceTo(t);
            changes.addAll(session.drainChanges());
        }
        session.advanceTo(to);
        changes.addAll(session.drainChanges());
        return changes;
    }

    private static String apply(Simulation session, Scenario.Step step, Map<String, FactSpec> specs, TaskFacts facts, KieBase kieBase,
                                long at, int index) {
        String type = step.insert() != null ? step.insert() : step.update() != null ? step.update() : step.delete();
        if (type == null) {
            return step.expect() != null ? "check" : "clock";
        }
        String fullName = fullName(kieBase, type, index);
        FactSpec spec = specs.get(fullName);
        Map<String, Object> values = new HashMap<>(step.fields() == null ? Map.of() : step.fields());
        if (spec.eventTimeField() != null) {
            values.putIfAbsent(spec.eventTimeField(), at);
        }
        MappedFact fact;
        try {
            fact = facts.mapper(fullName).map(values, at);
        } catch (RuntimeException e) {
            throw new ScenarioException("Step " + (index + 1) + ": the " + type + " record cannot be read: " + e.getMessage());
        }
        if (step.delete() != null) {
            session.delete(fact);
            return "delete " + type + " " + fact.id();
        }
        session.upsert(fact);
        return (step.insert() != null ? "insert " : "update ") + type + " " + fact.id();
    }

    private static Map<String, FactSpec> specs(KieBase kieBase, Scenario scenario, Map<String, FactSpec> bindings) {
        Map<String, FactSpec> specs = new LinkedHashMap<>();
        for (int i = 0; i < scenario.steps().size(); i++) {
            Scenario.Step step = scenario.steps().get(i);
            String type = step.insert() != null ? step.insert() : step.update() != null ? step.update() : step.delete();
            if (type == null) {
                continue;
            }
            String fullName = fullName(kieBase, type, i);
            String simple = fullName.substring(fullName.lastIndexOf('.') + 1);
            Scenario.TypeBinding own = scenario.types() == null ? null
                    : scenario.types().getOrDefault(simple, scenario.types().get(fullName));
            if (own != null) {
                specs.put(fullName, new FactSpec(fullName, own.key(), own.id(), own.time()));
            } else if (bindings.containsKey(fullName)) {
                specs.put(fullName, bindings.get(fullName));
            } else {
                throw new ScenarioException("Step " + (i + 1) + ": no source binding says how " + simple + " records are identified;"
                        + " add \"types\": { \"" + simple + "\": { \"key\": \"<correlation key field>\", \"id\": \"<record id field>\","
                        + " \"time\": \"<event-time field>\" } } to the scenario.");
            }
        }
        return specs;
    }

    private static String fullName(KieBase kieBase, String type, int index) {
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (FactType factType : pkg.getFactTypes()) {
                if (factType.getName().equals(type) || factType.getSimpleName().equals(type)) {
                    return factType.getName();
                }
            }
        }
        throw new ScenarioException("Step " + (index + 1) + ": the rules declare no fact type " + type + ".");
    }

    private static long time(JsonNode at, Instant start, int index) {
        if (at.isNumber()) {
            return start.toEpochMilli() + Math.round(at.asDouble() * 1000);
        }
        String text = at.asString().trim();
        try {
            if (text.matches("\\d+(\\.\\d+)?(ms|s|m|h)")) {
                String unit = text.replaceAll("[0-9.]", "");
                double value = Double.parseDouble(text.substring(0, text.length() - unit.length()));
                long factor = switch (unit) {
                    case "ms" -> 1;
                    case "s" -> 1000;
                    case "m" -> 60_000;
                    default -> 3_600_000;
                };
                return start.toEpochMilli() + Math.round(value * factor);
            }
            return Instant.parse(text).toEpochMilli();
        } catch (RuntimeException e) {
            throw new ScenarioException("Step " + (index + 1) + ": 'at' is " + text + "; write seconds after start (30), a duration"
                    + " (\"90s\", \"2m\") or an instant (\"2026-01-01T00:00:30Z\").");
        }
    }

    private static Instant parseInstant(String text, String what) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            throw new ScenarioException("'" + what + "' is " + text + "; write an instant such as 2026-01-01T00:00:00Z.");
        }
    }

    private static List<String> open(Set<Mismatch> mismatches) {
        return mismatches.stream().map(m -> m.getType() + " " + m.getKey()).sorted().toList();
    }

    private static List<Change> changes(List<MismatchChange> changes, MismatchChange.Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).map(c -> new Change(c.mismatch().getType(), c.mismatch().getKey(),
                String.valueOf(c.mismatch().getSeverity()), c.mismatch().getReason(), c.rule())).toList();
    }

    private static String seconds(long millis) {
        return Duration.ofMillis(millis).toString().substring(2).toLowerCase();
    }
}
