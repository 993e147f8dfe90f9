package io.recon.release;

import io.recon.authoring.KjarSources;
import io.recon.authoring.RefusedVersionException;
import io.recon.authoring.ReleasedRules;
import io.recon.authoring.RuleCompiler;
import io.recon.authoring.RuleProblem;
import io.recon.session.UpdatableKieModule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kie.api.KieServices;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.Results;
import org.kie.api.runtime.KieContainer;
import org.springframework.stereotype.Component;

/**
 * Rules versions as KIE modules. Whatever its origin (published, imported, released in rules-repo), a
 * version's kjar is read for its sources only and rebuilt with the service's own {@link RuleCompiler}
 * (executable model, bytecode check) into the in-memory KIE repository, before anything of it is
 * loaded; that is what lets {@code KieContainer.updateToVersion} work without Maven at run time. The
 * built module is kept per version, so every session of a version shares it.
 */
@Component
public class ReleasedKjars implements ReleasedRules {

    private final ReleaseRegistry registry;
    private final RulesProperties properties;
    private final RuleCompiler compiler;
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();
    private final Map<String, KieContainer> shared = new ConcurrentHashMap<>();

    ReleasedKjars(ReleaseRegistry registry, RulesProperties properties, RuleCompiler compiler) {
        this.registry = registry;
        this.properties = properties;
        this.compiler = compiler;
    }

    public ReleaseId releaseId(String version) {
        return KieServices.get().newReleaseId(properties.groupId(), properties.artifactId(), version);
    }

    /** Builds and checks a version into the in-memory KIE repository (once); refuses one that fails the check. */
    public ReleaseId load(String version) {
        ReleaseId id = releaseId(version);
        if (!loaded.contains(version)) {
            synchronized (this) { // one build per version, however many sessions start at once
                if (!loaded.contains(version)) {
                    List<RuleProblem> problems = build(id, registry.kjarBytes(version), false);
                    if (!problems.isEmpty()) {
                        boolean compiles = problems.stream().noneMatch(p -> p.kind() == RuleProblem.Kind.COMPILE);
                        throw new RefusedVersionException("Rules " + version + (compiles ? " are refused by the sandbox check: " : " do not compile: ")
                                + problems.get(0).message()
                                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""), problems);
                    }
                    loaded.add(version);
                }
            }
        }
        return id;
    }

    /**
     * Rebuilds a kjar from its sources under {@code id} and checks it; @return the problems (empty: built
     * into the KIE repository). @param refuseClasses true for a kjar from outside (import).
     */
    public List<RuleProblem> build(ReleaseId id, byte[] kjar, boolean refuseClasses) {
        KjarSources.Sources sources = KjarSources.read(kjar, refuseClasses);
        RuleCompiler.Build build = compiler.compile(sources.files(), sources.tasks(), id);
        return build.problems();
    }

    /** Checks a kjar from outside before it is registered as {@code version}: refuses compiled code and whatever fails the check. */
    public List<RuleProblem> verifyImport(String version, byte[] kjar) {
        synchronized (this) {
            List<RuleProblem> problems = build(releaseId(version), kjar, true);
            if (problems.isEmpty()) {
                loaded.add(version);
            }
            return problems;
        }
    }

    /** A shared, read-only container of a version, for checks and mock tests. */
    @Override
    public KieContainer container(String version) {
        return shared.computeIfAbsent(version, v -> newContainer(v));
    }

    @Override
    public Map<String, String> ruleTexts(String version) {
        return KjarFiles.read(registry.kjarBytes(version), ".drl", ".dslr");
    }

    /** A container of its own, for an owner that will update it (a session). Refuses a version that does not compile. */
    public KieContainer newContainer(String version) {
        KieContainer container = UpdatableKieModule.newContainer(load(version)); // a module of its own: see there
        Results results = container.verify();
        if (results.hasMessages(Message.Level.ERROR)) {
            container.dispose();
            throw new IllegalStateException("rules " + version + " do not compile: " + results.getMessages(Message.Level.ERROR));
        }
        return container;
    }

}
