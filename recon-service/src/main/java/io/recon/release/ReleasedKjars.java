package io.recon.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kie.api.KieServices;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;
import org.springframework.stereotype.Component;

/**
 * Released kjar versions from the release repository (Maven layout), loaded on demand into the
 * in-memory KIE repository; one container per version, kept for the life of the service.
 */
@Component
public class ReleasedKjars {

    private final RulesProperties properties;
    private final Map<String, KieContainer> containers = new ConcurrentHashMap<>();

    ReleasedKjars(RulesProperties properties) {
        this.properties = properties;
    }

    /** The rules of a released version; throws {@link UnknownVersionException} when the repository has no such version. */
    public KieContainer container(String version) {
        return containers.computeIfAbsent(version, this::load);
    }

    public Path jar(String version) {
        return Path.of(properties.repository()).resolve(properties.groupId().replace('.', '/')).resolve(properties.artifactId())
                .resolve(version).resolve(properties.artifactId() + "-" + version + ".jar");
    }

    private KieContainer load(String version) {
        Path jar = jar(version);
        if (!Files.isRegularFile(jar)) {
            throw new UnknownVersionException("There is no released rules version " + version + " (looked for " + jar.getFileName()
                    + " in the release repository).");
        }
        KieServices ks = KieServices.get();
        ReleaseId id = ks.newReleaseId(properties.groupId(), properties.artifactId(), version);
        try {
            ks.getRepository().addKieModule(ks.getResources().newByteArrayResource(Files.readAllBytes(jar)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read released rules " + jar + ": " + e.getMessage(), e);
        }
        return ks.newKieContainer(id);
    }

    public static final class UnknownVersionException extends RuntimeException {
        public UnknownVersionException(String message) {
            super(message);
        }
    }
}
