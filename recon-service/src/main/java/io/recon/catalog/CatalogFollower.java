package io.recon.catalog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * With several instances ({@code recon.cluster.enabled}), a catalog write is applied by the instance that took it;
 * this makes every other instance apply it too, within about a second: a task switched off pauses its sessions
 * everywhere, a new table is captured by whichever instance runs the captures, every instance lists the new entry.
 */
@Component
@ConditionalOnProperty(name = "recon.cluster.enabled", havingValue = "true")
class CatalogFollower {

    private static final Logger log = LoggerFactory.getLogger(CatalogFollower.class);

    private final Catalog catalog;

    CatalogFollower(Catalog catalog) {
        this.catalog = catalog;
    }

    @Scheduled(fixedDelayString = "${recon.cluster.catalog-follow-interval:1000}", initialDelay = 1000)
    void follow() {
        try {
            int changed = catalog.follow();
            if (changed > 0) {
                log.info("catalog: applied {} change(s) another instance wrote", changed);
            }
        } catch (RuntimeException e) {
            // the store could not be read: the next look reads the same rows again
            log.warn("catalog: could not follow the other instances' changes ({}); retrying", e.toString());
        }
    }
}
