package io.recon.bench;

import io.recon.fact.FactsTopic;
import io.recon.session.SessionManager;
import io.recon.session.SessionView;
import io.recon.system.KafkaEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Facts per second through Kafka -> sessions -> store, the sessions alone: the workload is written to
 * the facts topic while the sessions are paused, then they are resumed and timed from their first
 * record to the checkpoint that covers their last one. Then the two baselines read the same records
 * from the same topic: Kafka Streams (RocksDB) and a hand-written hash join, each storing its findings
 * in a mismatch-shaped table of the same PostgreSQL.
 */
final class ThroughputBenchmark {

    private ThroughputBenchmark() {
    }

    static void run(BenchWorkload workload) throws Exception {
        try (BenchApp app = BenchApp.start(BenchApp.freshWorkDir("throughput"), "recon.demo.traffic=false")) {
            SessionManager sessions = app.bean(SessionManager.class);
            String bootstrap = app.bean(KafkaEndpoint.class).bootstrap();
            JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
            int partitions = sessions.sessions().size();
            for (int p = 0; p < partitions; p++) {
                sessions.pause(BenchWorkload.TASK, p, true);
            }
            waitFor(() -> sessions.sessions().stream().allMatch(s -> "PAUSED".equals(s.state())), 60_000, "the sessions to pause");
            allowFutureTimestamps(bootstrap);
            long published;
            long loadStarted = System.nanoTime();
            try (TopicWriter publisher = new TopicWriter(bootstrap)) {
                published = workload.publish(publisher, partitions);
            }
            double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
            Map<TopicPartition, Long> ends = endOffsets(bootstrap, partitions);
            Map<Integer, Long> startOffsets = new HashMap<>();
            sessions.sessions().forEach(s -> startOffsets.put(s.partition(), s.nextOffset()));

            Recon recon = timeSessions(sessions, ends, startOffsets);
            long amount = jdbc.queryForObject("select count(*) from mismatch where type = 'AMOUNT'", Long.class);
            long missing = jdbc.queryForObject("select count(*) from mismatch where type = 'MISSING'", Long.class);
            long other = jdbc.queryForObject("select count(*) from mismatch where type not in ('AMOUNT', 'MISSING')", Long.class);

            FindingTable hashTable = new FindingTable(jdbc, "bench_hashjoin_mismatch");
            double hashSeconds = HashJoinBaseline.run(bootstrap, ends, hashTable);
            FindingTable streamsTable = new FindingTable(jdbc, "bench_streams_mismatch");
            double streamsSeconds = StreamsBaseline.run(bootstrap, ends, streamsTable,
                    BenchApp.freshWorkDir("streams-state"));

            long facts = workload.facts();
            double reconRate = facts / recon.seconds();
            double streamsRate = facts / streamsSeconds;
            double hashRate = facts / hashSeconds;
            List<String> lines = new ArrayList<>();
            lines.add("| contender | seconds | facts/s | Recon's ratio to it | AMOUNT found / expected | MISSING found / expected |");
            lines.add("|---|---:|---:|---:|---:|---:|");
            lines.add(String.format("| Recon (%d sessions, Kafka -> sessions -> store) | %.2f | %,.0f | 1.00 | %d / %d | %d / %d |",
                    partitions, recon.seconds(), reconRate, amount, workload.expectedAmount(), missing, workload.expectedMissing()));
            lines.add(String.format("| Kafka Streams 4.3.0, RocksDB, %d threads | %.2f | %,.0f | %.2f | %d / %d | %d / %d |",
                    partitions, streamsSeconds, streamsRate, reconRate / streamsRate, streamsTable.count("AMOUNT"), workload.expectedAmount(),
                    streamsTable.count("MISSING"), workload.expectedMissing()));
            lines.add(String.format("| hand-written hash join, %d threads (ceiling) | %.2f | %,.0f | %.2f | %d / %d | %d / %d |",
                    partitions, hashSeconds, hashRate, reconRate / hashRate, hashTable.count("AMOUNT"), workload.expectedAmount(),
                    hashTable.count("MISSING"), workload.expectedMissing()));
            BenchResults.table(String.format("Throughput, %s: %,d orders, %,d facts (+ %,d watermarks), 1%% mismatches",
                            workload.name(), workload.orders(), facts, published - facts), lines,
                    String.format("Pre-loaded into the facts topic in %.1f s (not timed). Recon: from the sessions' first record after resume"
                                    + " to the checkpoint covering their last one (%.2f s to the last record applied); peak live facts in the"
                                    + " sessions %,d; other mismatch types stored: %d. Kafka Streams: from its first record read to its last"
                                    + " finding stored; its windows of the last 35 s of event time close only on a later record, so a few"
                                    + " MISSING at the end are not found. Baselines store only the mismatch rows (Recon also writes history,"
                                    + " stats and its checkpoint in the same transaction).",
                            loadSeconds, recon.applied(), recon.peakLiveFacts(), other));
        }
    }

    record Recon(double seconds, double applied, long peakLiveFacts) {
    }

    /** Wall-clock milliseconds, as the sessions stamp their checkpoints; views are read every millisecond. */
    private static Recon timeSessions(SessionManager sessions, Map<TopicPartition, Long> ends, Map<Integer, Long> startOffsets)
            throws InterruptedException {
        int partitions = ends.size();
        long[] belowEndAt = new long[partitions];
        long[] reachedAt = new long[partitions];
        long[] checkpointAt = new long[partitions];
        long first = 0;
        long peak = 0;
        long sampled = 0;
        for (int p = 0; p < partitions; p++) {
            sessions.pause(BenchWorkload.TASK, p, false);
        }
        long deadline = System.currentTimeMillis() + 30 * 60_000L;
        for (int done = 0; done < partitions; Thread.sleep(1)) {
            long now = System.currentTimeMillis();
            if (now > deadline) {
                throw new IllegalStateException("the sessions did not take the workload within 30 minutes: " + sessions.sessions());
            }
            List<SessionView> views = sessions.sessions();
            done = 0;
            for (SessionView view : views) {
                int p = view.partition();
                if (first == 0 && view.nextOffset() > startOffsets.get(p)) {
                    first = now;
                }
                if (view.nextOffset() < ends.get(new TopicPartition(FactsTopic.name(BenchWorkload.TASK), p))) {
                    belowEndAt[p] = now;
                } else if (reachedAt[p] == 0) {
                    reachedAt[p] = now;
                }
                // the first checkpoint written after the last record was seen unapplied covers it
                Instant checkpoint = view.lastCheckpoint();
                if (reachedAt[p] != 0 && checkpointAt[p] == 0 && checkpoint != null && checkpoint.toEpochMilli() >= belowEndAt[p]) {
                    checkpointAt[p] = checkpoint.toEpochMilli();
                }
                done += checkpointAt[p] != 0 ? 1 : 0;
            }
            if (now - sampled >= 100) {
                peak = Math.max(peak, views.stream().mapToLong(v -> v.liveFactsByType().values().stream().mapToLong(Long::longValue).sum()).sum());
                sampled = now;
            }
        }
        long applied = 0;
        long checkpointed = 0;
        for (int p = 0; p < partitions; p++) {
            applied = Math.max(applied, reachedAt[p]);
            checkpointed = Math.max(checkpointed, checkpointAt[p]);
        }
        return new Recon((checkpointed - first) / 1e3, (applied - first) / 1e3, peak);
    }

    /**
     * The workload's event times run a day ahead of the wall clock (see {@link BenchWorkload#publish}); the broker
     * refuses record timestamps more than an hour ahead unless the topic says otherwise.
     */
    static void allowFutureTimestamps(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, FactsTopic.name(BenchWorkload.TASK));
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE)), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
    }

    static Map<TopicPartition, Long> endOffsets(String bootstrap, int partitions) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(FactsTopic.name(BenchWorkload.TASK), p));
            }
            return new HashMap<>(consumer.endOffsets(all));
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
