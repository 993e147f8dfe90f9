package io.recon.release;

import io.recon.authoring.RuleProblem;
import io.recon.authoring.RuleRunFailure;
import io.recon.authoring.RuleRuns;
import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactsTopic;
import io.recon.fact.TaskFacts;
import io.recon.mismatch.MismatchChange;
import io.recon.session.RunBudget;
import io.recon.session.Simulation;
import io.recon.session.TaskGroups;
import io.recon.source.SourceCatalog;
import io.recon.system.KafkaEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.kie.api.KieBase;
import org.springframework.stereotype.Component;

/**
 * A shadow run: the recent facts stream of every task group (the last {@code recon.releases.shadow-window}
 * of event time, read back from the facts topic) replayed into two isolated sessions per partition, one
 * on the active version and one on the candidate. Reports the mismatches the candidate would add and
 * those it would no longer report. Nothing is stored, no action fires, the running sessions are untouched.
 */
@Component
public class ShadowRun {

    private final ReleasesProperties properties;
    private final KafkaEndpoint kafka;
    private final SourceCatalog catalog;
    private final ActiveRules active;
    private final ReleasedKjars kjars;
    private final TaskGroups taskGroups;
    private final RuleRuns runs;
    private final ReleaseRegistry registry;

    ShadowRun(ReleasesProperties properties, KafkaEndpoint kafka, SourceCatalog catalog, ActiveRules active, ReleasedKjars kjars,
              TaskGroups taskGroups, RuleRuns runs, ReleaseRegistry registry) {
        this.runs = runs;
        this.registry = registry;
        this.properties = properties;
        this.kafka = kafka;
        this.catalog = catalog;
        this.active = active;
        this.kjars = kjars;
        this.taskGroups = taskGroups;
    }

    public record Finding(String task, String type, String key, String severity, String reason, String rule) {
    }

    public record Report(String candidate, String active, Duration window, long records, long millis, long recordsPerSecond,
                         List<Finding> added, List<Finding> removed) {
    }

    /** The candidate failed at run time, or the run used up its budget: the problems point at the rule. */
    public static final class ShadowFailedException extends RuntimeException {
        private final transient List<RuleProblem> problems;

        ShadowFailedException(String message, List<RuleProblem> problems) {
            super(message);
            this.problems = problems;
        }

        public List<RuleProblem> problems() {
            return problems;
        }
    }

    /**
     * Off the request thread, within the shadow budget ({@code recon.rule-runs}): a candidate's rule that throws or
     * keeps firing stops the run as a {@link ShadowFailedException}; the active version's faults are skipped as its
     * live sessions skip them.
     */
    public Report run(String version) {
        try {
            return runs.run(runs.shadowBudget(), "the shadow run of " + version, meter -> run(version, meter));
        } catch (RuleRunFailure e) {
            Map<String, String> texts = e.rule() == null ? Map.of() : KjarFiles.read(registry.kjarBytes(version), ".drl", ".dslr");
            throw new ShadowFailedException("The shadow run of rules " + version + " stopped: " + e.getMessage(), e.problems(texts));
        }
    }

    private Report run(String version, RunBudget.Meter meter) {
        String current = active.version();
        long started = System.nanoTime();
        long records = 0;
        List<Finding> added = new ArrayList<>();
        List<Finding> removed = new ArrayList<>();
        for (String task : catalog.tasks()) {
            KieBase base = kjars.container(current).getKieBase(task);
            if (!kjars.container(version).getKieBaseNames().contains(task)) {
                throw new ReleaseActivator.RefusedException("Rules " + version + " have no task group '" + task + "'.", List.of());
            }
            KieBase candidate = kjars.container(version).getKieBase(task);
            Map<String, Finding> before = new TreeMap<>();
            Map<String, Finding> after = new TreeMap<>();
            records += replay(task, version, base, candidate, before, after, meter);
            after.forEach((id, finding) -> {
                if (!before.containsKey(id)) {
                    added.add(finding);
                }
            });
            before.forEach((id, finding) -> {
                if (!after.containsKey(id)) {
                    removed.add(finding);
                }
            });
        }
        long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        return new Report(version, current, properties.shadowWindow(), records, millis, records * 1000 / millis, added, removed);
    }

    /** Replays each partition of the task's facts topic into a session of each version; @return records replayed. */
    private long replay(String task, String version, KieBase base, KieBase candidate, Map<String, Finding> before, Map<String, Finding> after,
                        RunBudget.Meter meter) {
        long lateness = taskGroups.task(task).allowedLateness().toMillis();
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.readerProperties("recon-shadow"))) {
            List<PartitionInfo> partitions = consumer.partitionsFor(FactsTopic.name(task));
            for (PartitionInfo info : partitions == null ? List.<PartitionInfo>of() : partitions) {
                TopicPartition tp = new TopicPartition(info.topic(), info.partition());
                consumer.assign(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                long from = System.currentTimeMillis() - properties.shadowWindow().toMillis();
                OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(tp, from)).get(tp);
                if (start == null || start.offset() >= end) {
                    continue;
                }
                consumer.seek(tp, start.offset());
                try (Simulation a = new Simulation(base, new TaskFacts(base, catalog.factSpecs(task)), lateness, meter, true);
                     Simulation b = new Simulation(candidate, new TaskFacts(candidate, catalog.factSpecs(task)), lateness, meter, false)) {
                    long position = start.offset();
                    while (position < end) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                            if (record.offset() >= end) {
                                break;
                            }
                            FactEnvelope envelope;
                            try {
                                envelope = FactCodec.decode(record.value());
                            } catch (RuntimeException e) {
                                continue; // the live session dead-letters it; a shadow run has nothing to add
                            }
                            meter.record();
                            applyQuietly(a, envelope);
                            try {
                                applyQuietly(b, envelope);
                            } catch (Simulation.RuleFailure e) {
                                throw RuleRunFailure.of(e, "task " + task + ", partition " + info.partition() + ", rules " + version);
                            }
                            collect(task, a.drainChanges(), before);
                            collect(task, b.drainChanges(), after);
                            records++;
                        }
                        position = consumer.position(tp);
                    }
                }
            }
        }
        return records;
    }

    private static void applyQuietly(Simulation session, FactEnvelope envelope) {
        try {
            session.apply(envelope);
        } catch (Simulation.RuleFailure | RunBudget.Exceeded e) {
            throw e; // the rules failed, or the run is over budget: not the record's fault
        } catch (RuntimeException e) {
            // a record the rules cannot take: the running session dead-letters it too
        }
    }

    private static void collect(String task, List<MismatchChange> changes, Map<String, Finding> found) {
        for (MismatchChange change : changes) {
            if (change.kind() == MismatchChange.Kind.DETECTED) {
                found.putIfAbsent(change.mismatch().getType() + " " + change.mismatch().getKey(), new Finding(task, change.mismatch().getType(),
                        change.mismatch().getKey(), String.valueOf(change.mismatch().getSeverity()), change.mismatch().getReason(), change.rule()));
            }
        }
    }
}
