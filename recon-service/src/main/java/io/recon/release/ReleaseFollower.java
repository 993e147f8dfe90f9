package io.recon.release;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * With several instances ({@code recon.cluster.enabled}), an activation or rollback moves the sessions of the instance
 * that took it; this moves every other instance's sessions to the version within about a second, so that the
 * partitions of a task group do not run different rules for long; a canary started or ended elsewhere likewise.
 */
@Component
@ConditionalOnProperty(name = "recon.cluster.enabled", havingValue = "true")
class ReleaseFollower {

    private static final Logger log = LoggerFactory.getLogger(ReleaseFollower.class);

    private final ReleaseActivator activator;
    private final CanaryRelease canary;

    ReleaseFollower(ReleaseActivator activator, CanaryRelease canary) {
        this.activator = activator;
        this.canary = canary;
    }

    @Scheduled(fixedDelayString = "${recon.cluster.catalog-follow-interval:1000}", initialDelay = 1000)
    void follow() {
        try {
            activator.follow();
            canary.follow();
        } catch (RuntimeException e) {
            // the registry or the kjar could not be read: the next look tries again
            log.warn("rules: could not take the version another instance activated ({}); retrying", e.toString());
        }
    }
}
