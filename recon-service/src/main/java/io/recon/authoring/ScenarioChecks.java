package io.recon.authoring;

import io.recon.fact.FactSpec;
import io.recon.session.RunBudget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.runtime.KieContainer;

/**
 * A version's own scenario files run on its own rules, as publish and activation require, within one run's budget.
 * A scenario that fails says what it expected; a rule that fails at run time there is also a {@link RuleProblem}
 * pointing at the rule, so that the analyst's editor shows it where the rule is.
 */
public final class ScenarioChecks {

    private ScenarioChecks() {
    }

    /** @param failures one sentence per failing scenario; @param problems the run-time rule problems among them */
    public record Outcome(List<String> failures, List<RuleProblem> problems) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /**
     * @param scenarioFiles name to the text of each {@code *.scenario.json}
     * @param ruleTexts     name to the text of each DRL/DSLR file, to find where a failing rule is declared
     */
    public static Outcome run(KieContainer container, Map<String, String> scenarioFiles, Map<String, String> ruleTexts,
                              Map<String, Map<String, FactSpec>> bindingsByTask, RunBudget.Meter meter) {
        List<RuleFile> files = scenarioFiles.entrySet().stream().map(e -> new RuleFile(e.getKey(), e.getValue())).toList();
        List<String> failures = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        for (Scenario scenario : RulesController.scenarios(files)) {
            String task = scenario.task() == null ? "trade" : scenario.task();
            try {
                if (!container.getKieBaseNames().contains(task)) {
                    failures.add("Scenario '" + scenario.name() + "': the rules have no task group '" + task + "'.");
                    continue;
                }
                MockTest.Result result = new MockTest().run(container.getKieBase(task), scenario, bindingsByTask.getOrDefault(task, Map.of()),
                        meter);
                result.failures().forEach(f -> failures.add("Scenario '" + scenario.name() + "': " + f));
            } catch (MockTest.ScenarioException e) {
                failures.add("Scenario '" + scenario.name() + "': " + e.getMessage());
            } catch (RuleRunFailure e) {
                failures.add(e.getMessage());
                problems.add(e.problem(ruleTexts));
                if (e.limit() != null) {
                    break; // the run's budget is spent: the scenarios after this one cannot run either
                }
            }
        }
        return new Outcome(failures, problems);
    }

    /** The files a rule can be declared in, by name, to point a run-time problem at its rule. */
    public static Map<String, String> ruleTexts(List<RuleFile> files) {
        Map<String, String> texts = new LinkedHashMap<>();
        if (files != null) {
            files.stream().filter(f -> f.kind() == RuleFile.Kind.DRL || f.kind() == RuleFile.Kind.DSLR).forEach(f -> texts.put(f.name(), f.text()));
        }
        return texts;
    }
}
