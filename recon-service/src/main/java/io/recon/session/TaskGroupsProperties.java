package io.recon.session;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code recon.tasks.<name>}: one entry per task group; the name is the KieBase name in the kjar. */
@ConfigurationProperties("recon")
public record TaskGroupsProperties(Map<String, TaskGroup> tasks) {

    public TaskGroupsProperties {
        tasks = tasks == null ? Map.of() : Map.copyOf(tasks);
    }

    /**
     * @param partitions       sessions per task group; facts are spread by correlation key
     * @param allowedLateness  how far behind the newest event a record may arrive and still count as on time
     * @param idleTimeout      a source silent this long no longer holds the clock back; wall time moves it
     * @param replayHorizon    how much event time a restarted session replays; must exceed the longest @expires
     * @param batchSize        records a session takes from its partition at a time
     */
    public record TaskGroup(@DefaultValue("2") int partitions,
                            @DefaultValue("5s") Duration allowedLateness,
                            @DefaultValue("2s") Duration idleTimeout,
                            @DefaultValue("30m") Duration replayHorizon,
                            @DefaultValue("500") int batchSize) {

        static TaskGroup defaults() {
            return new TaskGroup(2, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(30), 500);
        }
    }

    public TaskGroup task(String name) {
        return tasks.getOrDefault(name, TaskGroup.defaults());
    }
}
