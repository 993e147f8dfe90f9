package io.recon.release;

import io.recon.catalog.RuleSet;
import java.util.Optional;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The rules version the sessions run. At start: the version the registry marks ACTIVE (the last
 * activation survives a restart), else {@code recon.rules.version}. Activation changes it
 * (see {@link ReleaseActivator}); each session holds its own container of this version.
 */
@Component
public class ActiveRules implements RuleSet {

    private static final Logger log = LoggerFactory.getLogger(ActiveRules.class);

    private final ReleasedKjars kjars;
    private volatile String version;
    private volatile KieContainer container;
    /** A version running on some partitions of one task group before it is rolled out or back, if any. */
    private volatile Optional<Canary> canary;

    public ActiveRules(RulesProperties properties, ReleasedKjars kjars, ReleaseRegistry registry) {
        this.kjars = kjars;
        String start = registry.active().orElse(properties.version());
        if (registry.find(start).isEmpty()) {
            throw new IllegalStateException("released rules " + start + " not found: set recon.rules.repository to the rules-repo/repository"
                    + " directory and recon.rules.version to a released version");
        }
        long started = System.nanoTime();
        this.container = kjars.container(start);
        this.version = start;
        registry.markActive(start);
        this.canary = registry.canary();
        canary.ifPresent(c -> log.info("canary: rules {} on partitions {} of task group '{}'", c.version(), c.partitions(), c.task()));
        log.info("rules {} loaded in {} ms; task groups {}", start, (System.nanoTime() - started) / 1_000_000, container.getKieBaseNames());
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public KieBase kieBase(String task) {
        KieContainer current = container;
        if (!current.getKieBaseNames().contains(task)) {
            throw new IllegalStateException("rules " + version + " have no KieBase for task group '" + task
                    + "'; they define " + current.getKieBaseNames());
        }
        return current.getKieBase(task);
    }

    @Override
    public String version(String task, int partition) {
        return canary.filter(c -> c.covers(task, partition)).map(Canary::version).orElse(version);
    }

    @Override
    public KieContainer newSessionContainer(String task, int partition) {
        return kjars.newContainer(version(task, partition));
    }

    Optional<Canary> canary() {
        return canary;
    }

    /** From now on the sessions the canary covers (re)start on its version, or, with none, on the active one. */
    void canary(Optional<Canary> running) {
        this.canary = running;
    }

    /** The new active version replaces any canary: every session runs it. */
    void activated(String newVersion) {
        this.container = kjars.container(newVersion);
        this.version = newVersion;
        this.canary = Optional.empty();
    }
}
