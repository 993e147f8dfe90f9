package io.recon.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.Message;
import org.kie.api.builder.Results;
import org.kie.api.runtime.KieContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The released rules version the sessions run, loaded from the release repository (no Maven at run
 * time: the kjar's bytes go into the in-memory KIE repository, see shared/STACK.md).
 */
@Component
public class ActiveRules {

    private static final Logger log = LoggerFactory.getLogger(ActiveRules.class);

    private final KieContainer container;
    private final ReleaseId releaseId;

    public ActiveRules(RulesProperties properties) {
        KieServices ks = KieServices.get();
        this.releaseId = ks.newReleaseId(properties.groupId(), properties.artifactId(), properties.version());
        Path jar = locate(properties);
        try {
            ks.getRepository().addKieModule(ks.getResources().newByteArrayResource(Files.readAllBytes(jar)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read released rules " + jar + ": " + e.getMessage(), e);
        }
        long started = System.nanoTime();
        this.container = ks.newKieContainer(releaseId);
        Results results = container.verify();
        if (results.hasMessages(Message.Level.ERROR)) {
            throw new IllegalStateException("released rules " + releaseId + " do not compile:\n" + results.getMessages(Message.Level.ERROR)
                    .stream().map(Object::toString).collect(Collectors.joining("\n")));
        }
        log.info("rules {} loaded from {} in {} ms; task groups {}", releaseId, jar, (System.nanoTime() - started) / 1_000_000,
                container.getKieBaseNames());
    }

    public String version() {
        return releaseId.getVersion();
    }

    /** The KieBase of a task group: the kjar names one KieBase per task group. */
    public KieBase kieBase(String task) {
        if (!container.getKieBaseNames().contains(task)) {
            throw new IllegalStateException("rules " + releaseId + " have no KieBase for task group '" + task
                    + "'; they define " + container.getKieBaseNames());
        }
        return container.getKieBase(task);
    }

    private Path locate(RulesProperties p) {
        Path jar = Path.of(p.repository()).resolve(p.groupId().replace('.', '/')).resolve(p.artifactId()).resolve(p.version())
                .resolve(p.artifactId() + "-" + p.version() + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("released rules not found at " + jar.toAbsolutePath()
                    + ": set recon.rules.repository to the rules-repo/repository directory and recon.rules.version to a released version");
        }
        return jar;
    }
}
