package io.recon.authoring;

import io.recon.fact.FactSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.kie.api.runtime.KieContainer;

/**
 * The checks a version must pass before it runs in the service, on its own files: the sandbox policy
 * on its DRL, and its own scenario files ({@code *.scenario.json}) on its own rules.
 */
public final class ReleaseChecks {

    private ReleaseChecks() {
    }

    /** @param drlFiles path to DRL text, as found in the kjar */
    public static List<RuleProblem> sandbox(Map<String, String> drlFiles) {
        TreeSet<String> packages = new TreeSet<>();
        drlFiles.values().forEach(drl -> packages.addAll(DrlTokens.packages(drl)));
        List<RuleProblem> problems = new ArrayList<>();
        SandboxPolicy policy = new SandboxPolicy();
        drlFiles.forEach((name, drl) -> problems.addAll(policy.check(name, drl, packages, SandboxPolicy.Locator.SAME)));
        return problems;
    }

    /** Runs every scenario file on the version's rules; @return the failures, each a sentence naming the scenario. */
    public static List<String> scenarios(KieContainer container, Map<String, String> scenarioFiles, Map<String, Map<String, FactSpec>> bindingsByTask) {
        return ScenarioChecks.run(container, scenarioFiles, Map.of(), bindingsByTask, io.recon.session.RunBudget.UNLIMITED.start()).failures();
    }
}
