package io.recon.release;

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
 * Rules versions as KIE modules: read from the registry (published) or rules-repo (released) and put
 * into the in-memory KIE repository, which is what lets {@code KieContainer.updateToVersion} work
 * without Maven at run time.
 */
@Component
public class ReleasedKjars {

    private final ReleaseRegistry registry;
    private final RulesProperties properties;
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();
    private final Map<String, KieContainer> shared = new ConcurrentHashMap<>();

    ReleasedKjars(ReleaseRegistry registry, RulesProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    public ReleaseId releaseId(String version) {
        return KieServices.get().newReleaseId(properties.groupId(), properties.artifactId(), version);
    }

    /** Puts a version into the in-memory KIE repository (once). */
    public ReleaseId load(String version) {
        ReleaseId id = releaseId(version);
        if (loaded.add(version)) {
            KieServices ks = KieServices.get();
            try {
                ks.getRepository().addKieModule(ks.getResources().newByteArrayResource(registry.kjarBytes(version)));
            } catch (RuntimeException e) {
                loaded.remove(version);
                throw e;
            }
        }
        return id;
    }

    /** A shared, read-only container of a version, for checks and mock tests. */
    public KieContainer container(String version) {
        return shared.computeIfAbsent(version, v -> newContainer(v));
    }

    /** A container of its own, for an owner that will update it (a session). Refuses a version that does not compile. */
    public KieContainer newContainer(String version) {
        KieContainer container = KieServices.get().newKieContainer(load(version));
        Results results = container.verify();
        if (results.hasMessages(Message.Level.ERROR)) {
            container.dispose();
            throw new IllegalStateException("rules " + version + " do not compile: " + results.getMessages(Message.Level.ERROR));
        }
        return container;
    }

    public static final class UnknownVersionException extends RuntimeException {
        public UnknownVersionException(String message) {
            super(message);
        }
    }
}
