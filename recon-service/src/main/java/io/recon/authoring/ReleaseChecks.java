package io.recon.authoring;

import io.recon.fact.FactSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kie.api.runtime.KieContainer;

/**
 * The checks a version must pass before it runs in the service, beyond the build and sandbox check every
 * version gets from {@link RuleCompiler}: its own scenario files ({@code *.scenario.json}) on its own rules.
 */
public final class ReleaseChecks {

    private ReleaseChecks() {
    }

    /** Runs every scenario file on the version's rules; @return the failures, each a sentence naming the scenario. */
    public static List<String> scenarios(KieContainer container, Map<String, String> scenarioFiles, Map<String, Map<String, FactSpec>> bindingsByTask) {
        return ScenarioChecks.run(container, scenarioFiles, Map.of(), bindingsByTask, io.recon.session.RunBudget.UNLIMITED.start()).failures();
    }
}
