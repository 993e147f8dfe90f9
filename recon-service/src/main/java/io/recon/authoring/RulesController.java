package io.recon.authoring;

import io.recon.fact.FactSpec;
import io.recon.source.SourceBinding;
import io.recon.source.SourceCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The analyst's workbench API: validate a rule set, and mock-test a rule set (a draft or a released
 * version) against timestamped records. Nothing here touches the running sessions or the store.
 */
@RestController
@RequestMapping("/api/rules")
class RulesController {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final RuleCompiler compiler;
    private final ReleasedRules released;
    private final SourceCatalog catalog;
    private final RuleRuns runs;
    private final io.recon.catalog.Catalog settings;

    RulesController(RuleCompiler compiler, ReleasedRules released, SourceCatalog catalog, RuleRuns runs, io.recon.catalog.Catalog settings) {
        this.compiler = compiler;
        this.settings = settings;
        this.released = released;
        this.catalog = catalog;
        this.runs = runs;
    }

    /** @param tasks the task groups (KieBases) to build; default: the service's task groups */
    record ValidateRequest(List<RuleFile> files, List<String> tasks) {
    }

    /** @param warnings what builds but may report what is not there ({@code kind: WARNING}); never makes {@code ok} false */
    record ValidateResponse(boolean ok, List<RuleProblem> errors, List<String> rules, List<RuleProblem> warnings) {
    }

    @PostMapping("/validate")
    ValidateResponse validate(@RequestBody ValidateRequest request) {
        Set<String> tasks = tasks(request.tasks(), request.files());
        RuleCompiler.Build build = compiler.build(request.files(), tasks, null, false);
        if (!build.ok()) {
            return new ValidateResponse(false, build.problems(), List.of(), List.of());
        }
        try {
            // the replay horizon is the task group's setting now (PUT /api/tasks/{task}), the default for one not in the catalog
            List<RuleProblem> warnings = compiler.warnings(request.files(), tasks, task -> settings.task(task).replayHorizonDuration());
            return new ValidateResponse(true, List.of(), ruleNames(build.container()), warnings);
        } finally {
            build.container().dispose();
        }
    }

    /**
     * @param files    a draft rule set; or
     * @param version  a released version
     * @param scenario the test to run; when absent, every {@code *.scenario.json} among the files
     */
    record TestRequest(List<RuleFile> files, String version, Scenario scenario) {
    }

    record TestResponse(boolean ok, List<RuleProblem> errors, List<MockTest.Result> results) {
    }

    @PostMapping("/test")
    ResponseEntity<TestResponse> test(@RequestBody TestRequest request) {
        List<Scenario> scenarios = new ArrayList<>();
        if (request.scenario() != null) {
            scenarios.add(request.scenario());
        } else if (request.files() != null) {
            scenarios.addAll(scenarios(request.files()));
        }
        if (scenarios.isEmpty()) {
            throw new MockTest.ScenarioException("Send a scenario (records and clock steps) to test, or include *.scenario.json files.");
        }
        KieContainer container;
        RuleCompiler.Build build = null;
        Map<String, String> sources;
        if (request.version() != null && (request.files() == null || request.files().stream().allMatch(f -> f.kind() == RuleFile.Kind.SCENARIO))) {
            container = released.container(request.version());
            sources = released.ruleTexts(request.version());
        } else {
            sources = ScenarioChecks.ruleTexts(request.files());
            Set<String> tasks = new TreeSet<>(tasks(null, request.files()));
            scenarios.forEach(s -> tasks.add(taskOf(s)));
            build = compiler.build(request.files(), tasks, null, false);
            if (!build.ok()) {
                return ResponseEntity.ok(new TestResponse(false, build.problems(), List.of()));
            }
            container = build.container();
        }
        try {
            // off the request thread, within the test budget: a rule that throws, loops or runs too long is a rule problem
            List<MockTest.Result> results = new ArrayList<>();
            KieContainer rules = container;
            runs.run(runs.testBudget(), "the mock test", meter -> {
                for (Scenario scenario : scenarios) {
                    results.add(new MockTest().run(kieBase(rules, taskOf(scenario)), scenario, bindings(taskOf(scenario)), meter));
                }
                return results;
            });
            return ResponseEntity.ok(new TestResponse(results.stream().allMatch(MockTest.Result::passed), List.of(), results));
        } catch (RuleRunFailure e) {
            // the run stopped: how far it got is in the problem's sentence (scenario and step)
            return ResponseEntity.ok(new TestResponse(false, e.problems(sources), List.of()));
        } finally {
            if (build != null) {
                build.container().dispose();
            }
        }
    }

    /** The scenario files of a rule set, parsed. */
    static List<Scenario> scenarios(List<RuleFile> files) {
        List<Scenario> scenarios = new ArrayList<>();
        for (RuleFile file : files) {
            if (file.kind() == RuleFile.Kind.SCENARIO) {
                try {
                    Scenario scenario = JSON.readValue(file.text(), Scenario.class);
                    scenarios.add(scenario.name() == null
                            ? new Scenario(file.name(), scenario.task(), scenario.start(), scenario.types(), scenario.steps()) : scenario);
                } catch (RuntimeException e) {
                    throw new MockTest.ScenarioException("Scenario file " + file.name() + " is not valid: " + DroolsMessages.firstLine(e));
                }
            }
        }
        return scenarios;
    }

    private static String taskOf(Scenario scenario) {
        return scenario.task() == null ? "trade" : scenario.task();
    }

    private static KieBase kieBase(KieContainer container, String task) {
        if (!container.getKieBaseNames().contains(task)) {
            throw new MockTest.ScenarioException("The rules have no task group '" + task + "'; they define " + container.getKieBaseNames() + ".");
        }
        return container.getKieBase(task);
    }

    private Map<String, FactSpec> bindings(String task) {
        Map<String, FactSpec> specs = new LinkedHashMap<>();
        for (SourceBinding binding : catalog.bindings().values()) {
            if (binding.task().equals(task)) {
                specs.putIfAbsent(binding.type(), binding.factSpec());
            }
        }
        return specs;
    }

    private Set<String> tasks(List<String> requested, List<RuleFile> files) {
        if (requested != null && !requested.isEmpty()) {
            return new TreeSet<>(requested);
        }
        return RuleCompiler.taskGroups(catalog.taskGroups().isEmpty() ? Set.of("trade") : catalog.taskGroups(), files);
    }

    static List<String> ruleNames(KieContainer container) {
        List<String> names = new ArrayList<>();
        for (String kbase : container.getKieBaseNames()) {
            for (KiePackage pkg : container.getKieBase(kbase).getKiePackages()) {
                for (Rule rule : pkg.getRules()) {
                    names.add(pkg.getName() + "." + rule.getName());
                }
            }
        }
        return names.stream().sorted().toList();
    }

    record Refusal(String error) {
    }

    @ExceptionHandler(MockTest.ScenarioException.class)
    ResponseEntity<Refusal> badScenario(MockTest.ScenarioException e) {
        return ResponseEntity.badRequest().body(new Refusal(e.getMessage()));
    }

    @ExceptionHandler(RuleRuns.BusyException.class)
    ResponseEntity<Refusal> busy(RuleRuns.BusyException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(new Refusal(e.getMessage()));
    }

    @ExceptionHandler(RefusedVersionException.class)
    ResponseEntity<TestResponse> refusedVersion(RefusedVersionException e) {
        return ResponseEntity.unprocessableContent().body(new TestResponse(false, e.problems(), List.of()));
    }

    @ExceptionHandler(UnknownVersionException.class)
    ResponseEntity<Refusal> unknownVersion(UnknownVersionException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new Refusal(e.getMessage()));
    }
}
