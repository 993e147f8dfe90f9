package io.recon.session;

import io.recon.catalog.Catalog;
import io.recon.catalog.CatalogTask;
import org.springframework.stereotype.Component;

/** A task group's session settings as the catalog holds them now (application.yml only seeded them). */
@Component
public class TaskGroups {

    private final Catalog catalog;

    TaskGroups(Catalog catalog) {
        this.catalog = catalog;
    }

    public TaskGroupsProperties.TaskGroup task(String name) {
        CatalogTask t = catalog.task(name);
        return new TaskGroupsProperties.TaskGroup(t.partitions(), t.allowedLatenessDuration(), t.idleTimeoutDuration(),
                t.replayHorizonDuration(), t.batchSize(), t.maxFirings(), t.quarantineAfter(), t.quarantineWindowDuration());
    }

    public boolean enabled(String name) {
        return catalog.task(name).isEnabled();
    }
}
