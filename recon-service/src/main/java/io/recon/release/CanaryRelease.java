package io.recon.release;

import io.recon.mismatch.MismatchQueries;
import io.recon.session.SessionManager;
import io.recon.session.SessionView;
import io.recon.source.SourceCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A canary: a version that passed the activation checks runs on some partitions of one task group, in place, while
 * the other partitions keep the active version. The report compares the partitions (mismatches opened and healed per
 * record read since the canary began); activating the version rolls it out to every session, ending the canary rolls
 * it back. One canary at a time; it outlives a restart, and with several instances each follows it ({@link #follow}).
 */
@Component
public class CanaryRelease {

    private static final Logger log = LoggerFactory.getLogger(CanaryRelease.class);

    private final ReleaseActivator activator;
    private final ReleaseRegistry registry;
    private final ReleasedKjars kjars;
    private final ActiveRules active;
    private final SessionManager sessions;
    private final SourceCatalog catalog;
    private final MismatchQueries mismatches;

    CanaryRelease(ReleaseActivator activator, ReleaseRegistry registry, ReleasedKjars kjars, ActiveRules active, SessionManager sessions,
                  SourceCatalog catalog, MismatchQueries mismatches) {
        this.activator = activator;
        this.registry = registry;
        this.kjars = kjars;
        this.active = active;
        this.sessions = sessions;
        this.catalog = catalog;
        this.mismatches = mismatches;
    }

    /** One partition of the canary's task group: the version it runs and what its sessions did since the canary began. */
    public record PartitionReport(int partition, String rulesVersion, boolean canary, String state, long recordsRead, long opened,
                                  long healed) {
    }

    /** The partitions on one version, summed: mismatches opened per 1,000 records read, the figure to compare. */
    public record Side(String version, List<Integer> partitions, long recordsRead, long opened, long healed, double openedPerThousand) {
    }

    public record Report(String task, String version, String active, Instant startedAt, String startedBy, Side candidate, Side baseline,
                         List<PartitionReport> partitions) {
    }

    /** Runs a version on some partitions of one task group; the other partitions and task groups keep the active version. */
    public Report start(String version, String task, Set<Integer> partitions, String user) {
        synchronized (activator) { // one activation or canary change at a time
            String from = active.version();
            Optional<Canary> running = active.canary();
            if (running.isPresent()) {
                throw activator.refuse(from, version, user, "A canary of rules " + running.get().version() + " runs on partitions "
                        + running.get().partitions() + " of task group '" + running.get().task() + "'; activate it or end it first.", List.of());
            }
            if (!catalog.tasks().contains(task)) {
                throw activator.refuse(from, version, user, "There is no task group '" + task + "' fed by a source; task groups: "
                        + catalog.tasks() + ".", List.of());
            }
            Map<Integer, Standing> standing = standing(task);
            if (partitions.isEmpty() || !standing.keySet().containsAll(partitions)) {
                throw activator.refuse(from, version, user, "Task group '" + task + "' has partitions " + standing.keySet() + "; name some of"
                        + " them for the canary, not " + partitions + ".", List.of());
            }
            if (partitions.containsAll(standing.keySet())) {
                throw activator.refuse(from, version, user, "A canary runs on some partitions of task group '" + task + "' " + standing.keySet()
                        + ", not on all of them: to run rules " + version + " everywhere, activate them.", List.of());
            }
            Set<String> rebuilt = activator.check(from, version, user);
            if (rebuilt.contains(task)) {
                throw activator.refuse(from, version, user, "Rules " + version + " change the fields of a type task group '" + task
                        + "' binds, so its sessions are rebuilt by replay, not moved in place: compare it with a shadow run"
                        + " (GET /api/releases/" + version + "/shadow) and activate it.", List.of());
            }
            Set<Integer> covered = new TreeSet<>(partitions);
            Map<Integer, Long> offsets = new TreeMap<>();
            standing.forEach((p, now) -> offsets.put(p, now.nextOffset()));
            Canary canary = new Canary(task, version, covered, offsets, user, Instant.now());
            ReleaseActivator.Moved moved = ReleaseActivator.awaitUpdates(move(version, task, covered));
            if (!moved.failures().isEmpty()) {
                ReleaseActivator.moveBack(move(from, task, covered));
                throw activator.refuse(from, version, user, "Rules " + version + " could not start as a canary; every session stays on " + from
                        + ": " + String.join("; ", moved.failures()), List.of());
            }
            try {
                registry.startCanary(canary);
                registry.recordActivation(from, version, user, "CANARY", "on partitions " + covered + " of task group '" + task + "'",
                        moved.pause());
            } catch (RuntimeException e) {
                registry.endCanary();
                ReleaseActivator.moveBack(move(from, task, covered));
                throw e;
            }
            active.canary(registry.canary()); // as stored: what the other instances follow, and compare with theirs
            log.info("canary: rules {} on partitions {} of task group '{}' by {} (the others stay on {}), pause {} ms", version, covered, task,
                    user, from, moved.pause());
            return report().orElseThrow();
        }
    }

    /** Rolls the canary back: its partitions return to the active version. */
    public Report end(String user) {
        synchronized (activator) { // one activation or canary change at a time
            Canary canary = active.canary().orElseThrow(NoCanaryException::new);
            Report last = report().orElseThrow();
            String version = active.version();
            ReleaseActivator.Moved moved = ReleaseActivator.awaitUpdates(move(version, canary.task(), canary.partitions()));
            registry.endCanary();
            active.canary(Optional.empty()); // a session that could not move back takes the active version when it restarts
            registry.recordActivation(canary.version(), version, user, "CANARY_ENDED", "partitions " + canary.partitions() + " of task group '"
                    + canary.task() + "' back on " + version + (moved.failures().isEmpty() ? "" : "; " + String.join("; ", moved.failures())),
                    moved.pause());
            log.info("canary of rules {} ended by {}: partitions {} of task group '{}' back on {}", canary.version(), user, canary.partitions(),
                    canary.task(), version);
            return last;
        }
    }

    /**
     * With several instances: a canary started or ended on another instance is taken here within about a second (the
     * sessions it covers that run here move to its version, or back to the active one). An activation ends a canary
     * through {@link ReleaseActivator#follow}.
     */
    public void follow() {
        synchronized (activator) {
            Optional<Canary> stored = registry.canary();
            Optional<Canary> mine = active.canary();
            if (stored.equals(mine)) {
                return;
            }
            String version = active.version();
            active.canary(stored);
            mine.ifPresent(c -> ReleaseActivator.moveBack(move(version, c.task(), c.partitions())));
            stored.ifPresent(c -> {
                ReleaseActivator.Moved moved = ReleaseActivator.awaitUpdates(move(c.version(), c.task(), c.partitions()));
                if (!moved.failures().isEmpty()) {
                    log.error("canary of rules {}, started on another instance: {} of its sessions here could not take it ({})", c.version(),
                            moved.failures().size(), String.join("; ", moved.failures()));
                }
            });
            log.info("canary {} on another instance: {} of this instance's sessions now run {}", stored.isPresent() ? "started" : "ended",
                    stored.or(() -> mine).map(c -> c.task() + " " + c.partitions()).orElse(""), stored.map(Canary::version).orElse(version));
        }
    }

    public Optional<Report> report() {
        return active.canary().map(canary -> {
            Map<Integer, MismatchQueries.PartitionChanges> changes = mismatches.changesByPartition(canary.task(), canary.startedAt());
            List<PartitionReport> partitions = new ArrayList<>();
            standing(canary.task()).forEach((p, now) -> {
                var changed = changes.getOrDefault(p, new MismatchQueries.PartitionChanges(p, 0, 0));
                long read = Math.max(0, now.nextOffset() - canary.startOffsets().getOrDefault(p, now.nextOffset()));
                partitions.add(new PartitionReport(p, now.rulesVersion(), canary.partitions().contains(p), now.state(), read,
                        changed.opened(), changed.healed()));
            });
            return new Report(canary.task(), canary.version(), active.version(), canary.startedAt(), canary.startedBy(),
                    side(canary.version(), partitions, true), side(active.version(), partitions, false), partitions);
        });
    }

    private static Side side(String version, List<PartitionReport> partitions, boolean canary) {
        List<PartitionReport> mine = partitions.stream().filter(p -> p.canary() == canary).toList();
        long read = mine.stream().mapToLong(PartitionReport::recordsRead).sum();
        long opened = mine.stream().mapToLong(PartitionReport::opened).sum();
        return new Side(version, mine.stream().map(PartitionReport::partition).toList(), read, opened,
                mine.stream().mapToLong(PartitionReport::healed).sum(), read == 0 ? 0 : Math.round(opened * 1_000_000.0 / read) / 1000.0);
    }

    /**
     * Moves this instance's sessions of some partitions of a task group in place to a version, loaded first where this
     * instance has not loaded it yet (a canary started on another instance).
     */
    private List<java.util.concurrent.CompletableFuture<Long>> move(String version, String task, Set<Integer> partitions) {
        return sessions.updateRules(kjars.load(version), version, task, partitions);
    }

    /** Where one partition of a task group stands: the version it runs, its state and its next offset. */
    private record Standing(String rulesVersion, String state, long nextOffset) {
    }

    /** Each partition of a task group now: this instance's sessions as they run, other instances' as of their last checkpoint. */
    private Map<Integer, Standing> standing(String task) {
        Map<Integer, Standing> standing = new TreeMap<>();
        sessions.checkpoints(task).forEach((p, checkpoint) -> standing.put(p, new Standing(checkpoint.rulesVersion(), "ON_ANOTHER_INSTANCE",
                checkpoint.nextOffset())));
        for (SessionView view : sessions.sessions()) {
            if (view.task().equals(task)) {
                standing.put(view.partition(), new Standing(view.rulesVersion(), view.state(), view.nextOffset()));
            }
        }
        return standing;
    }

    /** There is no canary to end. */
    public static final class NoCanaryException extends RuntimeException {
        NoCanaryException() {
            super("No canary runs; start one with POST /api/releases/{version}/canary.");
        }
    }
}
