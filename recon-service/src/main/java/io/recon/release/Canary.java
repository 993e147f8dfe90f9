package io.recon.release;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A rules version running on some partitions of one task group while the others keep the active version, to be
 * compared and then rolled out (activated) or back (ended). See {@link CanaryRelease}.
 *
 * @param startOffsets where each partition of the task group stood in its facts topic when the canary began
 */
public record Canary(String task, String version, Set<Integer> partitions, Map<Integer, Long> startOffsets, String startedBy,
                     Instant startedAt) {

    boolean covers(String task, int partition) {
        return this.task.equals(task) && partitions.contains(partition);
    }
}
