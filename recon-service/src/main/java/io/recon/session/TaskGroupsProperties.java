package io.recon.session;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
     * @param maxFirings       the firing cap: at most this many rule firings per record; hitting it is a rule fault
     * @param quarantineAfter  a rule that faults (throws or hits the cap) this often within {@code quarantineWindow}
     *                         is quarantined in this task group
     * @param quarantineWindow see {@code quarantineAfter}
     */
    public record TaskGroup(@DefaultValue("2") int partitions,
                            @DefaultValue("5s") Duration allowedLateness,
                            @DefaultValue("2s") Duration idleTimeout,
                            @DefaultValue("30m") Duration replayHorizon,
                            @DefaultValue("500") int batchSize,
                            @DefaultValue("10000") int maxFirings,
                            @DefaultValue("3") int quarantineAfter,
                            @DefaultValue("5m") Duration quarantineWindow) {

        @ConstructorBinding
        public TaskGroup {
        }

        /** A task group with the default firing cap and quarantine. */
        public TaskGroup(int partitions, Duration allowedLateness, Duration idleTimeout, Duration replayHorizon, int batchSize) {
            this(partitions, allowedLateness, idleTimeout, replayHorizon, batchSize, 10_000, 3, Duration.ofMinutes(5));
        }

        static TaskGroup defaults() {
            return new TaskGroup(2, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(30), 500, 10_000, 3, Duration.ofMinutes(5));
        }
    }

    public TaskGroup task(String name) {
        return tasks.getOrDefault(name, TaskGroup.defaults());
    }
}
