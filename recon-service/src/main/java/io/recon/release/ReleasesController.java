package io.recon.release;

import io.recon.authoring.RefusedVersionException;
import io.recon.authoring.UnknownVersionException;
import io.recon.authoring.RuleCompiler;
import io.recon.authoring.RuleRunFailure;
import io.recon.authoring.RuleRuns;
import io.recon.authoring.ScenarioChecks;
import io.recon.authoring.RuleFile;
import io.recon.authoring.RuleProblem;
import io.recon.fact.FactSpec;
import io.recon.source.SourceCatalog;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rules versions: list them with their status and rule-level diff, publish a draft (the service
 * builds the kjar), activate a version into the running sessions, roll back.
 */
@RestController
@RequestMapping("/api/releases")
class ReleasesController {

    private final ReleaseRegistry registry;
    private final ReleaseActivator activator;
    private final ReleasedKjars kjars;
    private final RuleCompiler compiler;
    private final SourceCatalog catalog;
    private final ActiveRules active;
    private final ShadowRun shadow;
    private final ReleaseTransfer transfer;
    private final RuleRuns runs;
    private final io.recon.catalog.Catalog settings;

    ReleasesController(ReleaseRegistry registry, ReleaseActivator activator, ReleasedKjars kjars, RuleCompiler compiler,
                       SourceCatalog catalog, ActiveRules active, ShadowRun shadow, ReleaseTransfer transfer, RuleRuns runs,
                       io.recon.catalog.Catalog settings) {
        this.runs = runs;
        this.settings = settings;
        this.shadow = shadow;
        this.transfer = transfer;
        this.registry = registry;
        this.activator = activator;
        this.kjars = kjars;
        this.compiler = compiler;
        this.catalog = catalog;
        this.active = active;
    }

    @GetMapping
    List<ReleaseRegistry.Release> list() {
        return registry.list();
    }

    @GetMapping("/activations")
    List<ReleaseRegistry.Activation> activations() {
        return registry.activations();
    }

    @GetMapping("/{version}")
    ResponseEntity<ReleaseRegistry.Release> one(@PathVariable String version) {
        return ResponseEntity.of(registry.find(version));
    }

    /**
     * @param version a new version number; default: the newest version's next patch number
     * @param tasks   the task groups (KieBases) to build; default: the catalog's and those the files' packages declare
     * @param task    publish for one task group: {@code files} are its files only (under {@code recon/<task>/}), and the
     *                other task groups' files are taken from the active version as they are
     */
    record PublishRequest(String version, String notes, List<RuleFile> files, List<String> tasks, String task) {
    }

    record Refusal(String error, List<RuleProblem> errors) {
    }

    /** A published version, with what validation warns of in it (a warning never refuses). */
    record Published(@com.fasterxml.jackson.annotation.JsonUnwrapped ReleaseRegistry.Release release, List<RuleProblem> warnings) {
    }

    @PostMapping
    ResponseEntity<?> publish(@RequestBody PublishRequest request, Principal user) {
        String version = request.version() == null || request.version().isBlank() ? nextVersion() : request.version().trim();
        if (!version.matches("[0-9A-Za-z][0-9A-Za-z.\\-]*")) {
            return ResponseEntity.badRequest().body(new Refusal("Version '" + version + "' is not a version number such as 1.1.0.", List.of()));
        }
        if (registry.find(version).isPresent()) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(new Refusal("Version " + version
                    + " exists already and released versions never change; publish under a new version.", List.of()));
        }
        List<RuleFile> files = request.files() == null ? List.of() : request.files();
        if (request.task() != null && !request.task().isBlank()) {
            String prefix = "recon/" + request.task().strip() + "/";
            List<String> outside = files.stream().map(RuleFile::name).filter(n -> !n.startsWith(prefix)).sorted().toList();
            if (!outside.isEmpty()) {
                return ResponseEntity.badRequest().body(new Refusal("Publishing for task group " + request.task() + " takes its files only,"
                        + " named " + prefix + "...; " + outside + " belong elsewhere (the other task groups' files come from the active"
                        + " version as they are).", List.of()));
            }
            // the other task groups keep what they run: their files come from the active version, this group's are replaced
            List<RuleFile> merged = new java.util.ArrayList<>();
            String active = registry.active().orElseThrow();
            io.recon.authoring.KjarSources.read(registry.kjarBytes(active), false).files().stream()
                    .filter(f -> !f.name().startsWith(prefix)).forEach(merged::add);
            merged.addAll(files);
            files = merged;
        }
        TreeSet<String> tasks = new TreeSet<>(request.tasks() == null || request.tasks().isEmpty()
                ? RuleCompiler.taskGroups(catalog.taskGroups(), files) : request.tasks());
        RuleCompiler.Build build = compiler.build(files, tasks, kjars.releaseId(version), true);
        if (!build.ok()) {
            return ResponseEntity.unprocessableContent().body(new Refusal("The rules do not build; nothing was published.", build.problems()));
        }
        List<RuleProblem> warnings;
        try {
            warnings = compiler.warnings(files, tasks, task -> settings.task(task).replayHorizonDuration());
            Map<String, Map<String, FactSpec>> bindings = new LinkedHashMap<>();
            for (String task : catalog.tasks()) {
                Map<String, FactSpec> specs = new LinkedHashMap<>();
                catalog.factSpecs(task).forEach(s -> specs.put(s.type(), s));
                bindings.put(task, specs);
            }
            Map<String, String> scenarios = new LinkedHashMap<>();
            files.stream().filter(f -> f.kind() == RuleFile.Kind.SCENARIO).forEach(f -> scenarios.put(f.name(), f.text()));
            // off the request thread and within the test budget: a rule that throws or loops there is a rule problem
            Map<String, String> ruleTexts = ScenarioChecks.ruleTexts(files);
            ScenarioChecks.Outcome outcome;
            try {
                outcome = runs.run(runs.testBudget(), "the scenarios of " + version, meter ->
                        ScenarioChecks.run(build.container(), scenarios, ruleTexts, bindings, meter));
            } catch (RuleRunFailure e) {
                return ResponseEntity.unprocessableContent().body(new Refusal("The rules fail their own scenarios; nothing was published: "
                        + e.getMessage(), e.problems(ruleTexts)));
            }
            if (!outcome.ok()) {
                return ResponseEntity.unprocessableContent().body(new Refusal("The rules fail their own scenarios; nothing was published: "
                        + String.join(" ", outcome.failures()), outcome.problems()));
            }
        } finally {
            build.container().dispose();
        }
        ReleaseRegistry.Release release = registry.register(version, List.copyOf(tasks), user.getName(), request.notes(), "DRAFT",
                "PUBLISHED", build.kjar(), true);
        return ResponseEntity.status(HttpStatus.CREATED).body(new Published(release, warnings));
    }

    /** What the version would report differently from the active one over the recent facts; stores nothing. */
    @GetMapping("/{version}/shadow")
    ShadowRun.Report shadow(@PathVariable String version) {
        if (registry.find(version).isEmpty()) {
            throw new UnknownVersionException("There is no rules version " + version + " in the release registry.");
        }
        return shadow.run(version);
    }

    /** A rule of the candidate (or of the active version) failed during the shadow run, or the run used up its budget. */
    @ExceptionHandler(ShadowRun.ShadowFailedException.class)
    ResponseEntity<Refusal> shadowFailed(ShadowRun.ShadowFailedException e) {
        return ResponseEntity.unprocessableContent().body(new Refusal(e.getMessage(), e.problems()));
    }

    @ExceptionHandler(RuleRuns.BusyException.class)
    ResponseEntity<Refusal> busy(RuleRuns.BusyException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(new Refusal(e.getMessage(), List.of()));
    }

    /** The version with its registry entry, for import into another Recon. */
    @GetMapping("/{version}/export")
    ReleaseTransfer.Export export(@PathVariable String version) {
        return transfer.export(version);
    }

    @PostMapping("/import")
    ResponseEntity<ReleaseRegistry.Release> importRelease(@RequestBody ReleaseTransfer.Export export, Principal user) {
        boolean known = export != null && export.release() != null && registry.find(export.release().version()).isPresent();
        ReleaseRegistry.Release release = transfer.importRelease(export, user.getName());
        return ResponseEntity.status(known ? HttpStatus.OK : HttpStatus.CREATED).body(release);
    }

    @ExceptionHandler(ReleaseTransfer.ImportRefusedException.class)
    ResponseEntity<Refusal> importRefused(ReleaseTransfer.ImportRefusedException e) {
        return ResponseEntity.unprocessableContent().body(new Refusal(e.getMessage(), List.of()));
    }

    /** Retires a version that is not active: it stays listed, and can never be activated again. */
    @PostMapping("/{version}/retire")
    ResponseEntity<?> retire(@PathVariable String version) {
        if (registry.find(version).isEmpty()) {
            throw new UnknownVersionException("There is no rules version " + version + " in the release registry.");
        }
        if (!registry.retire(version)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(new Refusal("Rules " + version + " are active; activate another"
                    + " version before retiring this one.", List.of()));
        }
        return ResponseEntity.of(registry.find(version));
    }

    @PostMapping("/{version}/activate")
    ActivatorResponse activate(@PathVariable String version, Principal user) {
        return ActivatorResponse.of(activator.activate(version, user.getName()));
    }

    @PostMapping("/{version}/rollback")
    ActivatorResponse rollback(@PathVariable String version, Principal user) {
        return ActivatorResponse.of(activator.rollback(version, user.getName()));
    }

    /** @param rebuilt task groups whose sessions were rebuilt by replay (the version changed a bound type) */
    record ActivatorResponse(String active, String previous, long pauseMillis, int sessions, List<String> rebuilt) {
        static ActivatorResponse of(ReleaseActivator.Outcome outcome) {
            return new ActivatorResponse(outcome.to(), outcome.from(), outcome.pauseMillis(), outcome.sessions(), outcome.rebuilt());
        }
    }

    private String nextVersion() {
        String latest = registry.list().stream().map(ReleaseRegistry.Release::version).max(ReleaseRegistry.VERSION_ORDER).orElse("0.0.0");
        String[] parts = latest.split("[.-]");
        if (parts.length >= 3 && parts[2].matches("\\d+")) {
            return parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 1);
        }
        return latest + ".1";
    }

    @ExceptionHandler(ReleaseActivator.RefusedException.class)
    ResponseEntity<Refusal> refused(ReleaseActivator.RefusedException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(new Refusal(e.getMessage() + " The active version is still " + active.version() + ".",
                e.problems()));
    }

    @ExceptionHandler(RefusedVersionException.class)
    ResponseEntity<Refusal> refusedVersion(RefusedVersionException e) {
        return ResponseEntity.unprocessableContent().body(new Refusal(e.getMessage(), e.problems()));
    }

    @ExceptionHandler(UnknownVersionException.class)
    ResponseEntity<Refusal> unknown(UnknownVersionException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new Refusal(e.getMessage(), List.of()));
    }
}
