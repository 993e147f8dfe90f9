package io.recon.session;

import io.recon.catalog.CatalogSeed;
import io.recon.catalog.CatalogTask;
import java.util.List;
import org.springframework.stereotype.Component;

/** {@code recon.tasks} of application.yml, taken into the catalog at the first start that sees each task. */
@Component
class YamlTasksSeed implements CatalogSeed {

    private final TaskGroupsProperties tasks;

    YamlTasksSeed(TaskGroupsProperties tasks) {
        this.tasks = tasks;
    }

    @Override
    public List<CatalogTask> tasks() {
        return tasks.tasks().entrySet().stream().map(e -> {
            TaskGroupsProperties.TaskGroup g = e.getValue();
            return new CatalogTask(e.getKey(), true, g.partitions(), duration(g.allowedLateness()), duration(g.idleTimeout()),
                    duration(g.replayHorizon()), g.batchSize(), g.maxFirings(), g.quarantineAfter(), duration(g.quarantineWindow()),
                    1.0, List.of(), List.of(), "yaml");
        }).toList();
    }

    private static String duration(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
