package io.recon.bench;

import io.recon.chaos.BrokerProcess;
import io.recon.chaos.ServiceProcess;
import io.recon.chaos.SourceDatabases;
import io.recon.fact.FactsTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/recon bench cluster}: the sessions' throughput with 1, 2 and 3 Recon instances ({@code recon.cluster.enabled},
 * each a JVM of its own) on one Kafka broker and one PostgreSQL server, and the pause of the partitions that move when an
 * instance joins. The instances join one by one on the same broker and database; after each join the workload is written
 * to the task group's facts topic while every session is paused (not timed), then the sessions are resumed and timed
 * until the checkpoint of every partition covers its last record, as in {@link ThroughputBenchmark}. On this machine the
 * instances share two cores: the figures show what the cluster costs, not what more machines would give.
 */
final class ClusterBenchmark {

    private static final int PARTITIONS = 6;
    private static final String OPERATOR = "bench-ops";
    private static final String PASSWORD = "bench-" + Long.toHexString(System.nanoTime());
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private ClusterBenchmark() {
    }

    static void run(BenchWorkload workload, int maxInstances) throws Exception {
        Path work = BenchApp.freshWorkDir("cluster");
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<ServiceProcess> instances = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        try (SourceDatabases postgres = new SourceDatabases(work.resolve("postgres"));
             BrokerProcess broker = new BrokerProcess(work.resolve("kafka/log"), io.recon.it.Ports.freePort())) {
            broker.start(Duration.ofMinutes(3));
            // the instances stop before the broker and the database they use (resources close before a finally)
            try {
                List<String> shared = new ArrayList<>(postgres.settings());
                shared.addAll(postgres.resultsSettings());
                shared.addAll(List.of("recon.kafka.bootstrap=" + broker.bootstrap(), "recon.cluster.enabled=true",
                        "recon.tasks.trade.partitions=" + PARTITIONS, "logging.level.root=WARN", "logging.level.io.recon=INFO",
                        "recon.catalog.key=" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                        "recon.security.users." + OPERATOR + ".password={bcrypt}"
                                + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder().encode(PASSWORD),
                        "recon.security.users." + OPERATOR + ".roles=OPERATOR"));
                long base = System.currentTimeMillis() + 24 * 3600_000L;
                for (int n = 1; n <= maxInstances; n++) {
                    Map<Integer, String> before = n == 1 ? Map.of() : owners(instances);
                    ServiceProcess joining = instance(work, "r" + n, shared);
                    instances.add(joining);
                    long started = System.currentTimeMillis();
                    joining.start();
                    joining.awaitUp(PATIENCE);
                    Join join = watchJoin(instances, "r" + n, before, started);
                    if (n == 1) {
                        ThroughputBenchmark.allowFutureTimestamps(broker.bootstrap());
                    } else {
                        joins.add(join.row(n));
                    }
                    runs.add(timeWorkload(instances, broker.bootstrap(), postgres, workload, base, join.owners()));
                    base += workload.span() + 3600_000L;
                }
            } finally {
                for (ServiceProcess instance : instances) {
                    instance.close();
                }
            }
        }
        BenchResults.table(String.format("Cluster: sessions' throughput with 1 to %d instances (JVMs of their own, one broker, one PostgreSQL),"
                        + " %s: %,d orders, %,d facts per run", maxInstances, workload.name(), workload.orders(), workload.facts()),
                with(List.of("| instances | partitions per instance | seconds | facts/s | facts checked / published | AMOUNT found / expected | MISSING found / expected |",
                        "|---:|---|---:|---:|---:|---:|---:|"), runs),
                "All instances on this machine's " + Runtime.getRuntime().availableProcessors() + " cores: it is CPU-bound, so more instances"
                        + " share the same cores (each also runs its own consumers, heartbeats and HTTP). Timed from the resume of the"
                        + " paused sessions to the checkpoint covering every partition's last record; the load is written before, not timed."
                        + " JVMs: -Xmx2g, G1, full JIT.");
        BenchResults.table("Cluster: the pause of the partitions that move when an instance joins (cooperative sticky assignment)",
                with(List.of("| instance joins | partitions moved | longest pause of a moved partition (s) | median (s) | longest pause of one that stayed (s) | JVM start to its first session running (s) |",
                        "|---|---:|---:|---:|---:|---:|"), joins),
                "A partition pauses from the moment no instance shows it RUNNING to the moment one does again (the old owner stores"
                        + " what its session found, the new one claims the partition, loads the checkpoint and replays), polled every 50 ms"
                        + " on every instance's /actuator/recon. The state moved is what the previous run left (the sample rules keep"
                        + " facts for 10 minutes of event time).");
    }

    private static List<String> with(List<String> head, List<String> rows) {
        List<String> all = new ArrayList<>(head);
        all.addAll(rows);
        return all;
    }

    private static ServiceProcess instance(Path work, String id, List<String> shared) throws java.io.IOException {
        Path dir = Files.createDirectories(work.resolve(id));
        List<String> settings = new ArrayList<>(shared);
        settings.add("recon.cluster.instance-id=" + id);
        return new ServiceProcess(dir, null, Path.of(BenchApp.rulesRepository()).toAbsolutePath(), settings, List.of("-Xmx2g"))
                .signInAs(OPERATOR, PASSWORD);
    }

    record Join(Map<Integer, String> owners, Map<Integer, Long> pauses, long firstSessionMs, Map<Integer, String> before) {

        String row(int n) {
            List<Long> moved = new ArrayList<>();
            long stayed = 0;
            for (Map.Entry<Integer, String> e : owners.entrySet()) {
                long pause = pauses.getOrDefault(e.getKey(), 0L);
                if (e.getValue().equals(before.get(e.getKey()))) {
                    stayed = Math.max(stayed, pause);
                } else {
                    moved.add(pause);
                }
            }
            moved.sort(null);
            return String.format("| r%d joins %d | %d of %d | %.2f | %.2f | %.2f | %.1f |", n, n - 1, moved.size(), owners.size(),
                    moved.isEmpty() ? 0 : moved.get(moved.size() - 1) / 1e3, moved.isEmpty() ? 0 : moved.get(moved.size() / 2) / 1e3,
                    stayed / 1e3, firstSessionMs / 1e3);
        }
    }

    /**
     * Polls every instance until every partition runs on exactly one of them, the joining one among them, and that has
     * held for two seconds; meanwhile measures, per partition, the longest time no instance showed it RUNNING.
     */
    private static Join watchJoin(List<ServiceProcess> instances, String joining, Map<Integer, String> before, long started)
            throws Exception {
        Map<Integer, Long> notRunningSince = new HashMap<>();
        Map<Integer, Long> pauses = new HashMap<>();
        long firstSession = 0;
        long stableSince = 0;
        long deadline = System.currentTimeMillis() + PATIENCE.toMillis();
        while (System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            Map<Integer, List<String>> running = running(instances);
            if (running == null) {
                Thread.sleep(50);
                continue; // an instance did not answer: this sample says nothing
            }
            for (int p = 0; p < PARTITIONS; p++) {
                boolean live = running.getOrDefault(p, List.of()).size() == 1;
                if (!live) {
                    notRunningSince.putIfAbsent(p, now);
                } else if (notRunningSince.containsKey(p)) {
                    pauses.merge(p, now - notRunningSince.remove(p), Math::max);
                }
            }
            boolean joined = running.values().stream().anyMatch(l -> l.contains(joining));
            if (joined && firstSession == 0) {
                firstSession = now - started;
            }
            boolean covered = running.size() == PARTITIONS && running.values().stream().allMatch(l -> l.size() == 1);
            if (covered && joined) {
                if (stableSince == 0) {
                    stableSince = now;
                } else if (now - stableSince >= 2_000) {
                    Map<Integer, String> owners = new TreeMap<>();
                    running.forEach((p, l) -> owners.put(p, l.get(0)));
                    System.out.printf("cluster     %s joined: partitions %s (before: %s)%n", joining, owners, before);
                    return new Join(owners, pauses, firstSession, before);
                }
            } else {
                stableSince = 0;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the partitions were not each running once, on " + joining + " too, within " + PATIENCE);
    }

    /** @return partition -> the instances showing it RUNNING, or null when an instance did not answer */
    private static Map<Integer, List<String>> running(List<ServiceProcess> instances) throws InterruptedException {
        Map<Integer, List<String>> running = new TreeMap<>();
        for (int i = 0; i < instances.size(); i++) {
            try {
                for (JsonNode s : instances.get(i).sessions()) {
                    if ("RUNNING".equals(s.get("state").asString())) {
                        running.computeIfAbsent(s.get("partition").asInt(), p -> new ArrayList<>()).add("r" + (i + 1));
                    }
                }
            } catch (java.io.IOException e) {
                return null;
            }
        }
        return running;
    }

    private static Map<Integer, String> owners(List<ServiceProcess> instances) throws InterruptedException {
        Map<Integer, List<String>> running = running(instances);
        Map<Integer, String> owners = new TreeMap<>();
        if (running != null) {
            running.forEach((p, l) -> owners.put(p, l.get(0)));
        }
        return owners;
    }

    /** Pauses every session on its owner, loads the workload, resumes them all and times them to their checkpoints. */
    private static String timeWorkload(List<ServiceProcess> instances, String bootstrap, SourceDatabases postgres, BenchWorkload workload,
                                       long base, Map<Integer, String> owners) throws Exception {
        for (Map.Entry<Integer, String> e : owners.entrySet()) {
            owner(instances, e.getValue()).post("/actuator/recon/" + BenchWorkload.TASK + "/" + e.getKey() + "/pause");
        }
        Map<Integer, JsonNode> views = awaitViews(instances, owners, v -> "PAUSED".equals(v.get("state").asString()), "the sessions to pause");
        long[] before = {count(postgres, "AMOUNT"), count(postgres, "MISSING"), checked(postgres)};
        try (TopicWriter writer = new TopicWriter(bootstrap)) {
            workload.publish(writer, PARTITIONS, base, "B" + instances.size() + "-");
        }
        Map<TopicPartition, Long> ends = ThroughputBenchmark.endOffsets(bootstrap, PARTITIONS);
        long[] end = new long[PARTITIONS];
        long[] belowEndAt = new long[PARTITIONS];
        long[] checkpointAt = new long[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            end[p] = ends.get(new TopicPartition(FactsTopic.name(BenchWorkload.TASK), p));
        }
        long resumed = System.currentTimeMillis();
        for (Map.Entry<Integer, String> e : owners.entrySet()) {
            owner(instances, e.getValue()).post("/actuator/recon/" + BenchWorkload.TASK + "/" + e.getKey() + "/resume");
        }
        long deadline = resumed + 30 * 60_000L;
        int done = 0;
        while (done < PARTITIONS) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the sessions did not take the workload within 30 minutes");
            }
            Thread.sleep(50);
            long now = System.currentTimeMillis();
            views = views(instances, owners);
            done = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                JsonNode v = views.get(p);
                if (v == null) {
                    continue;
                }
                if (v.get("nextOffset").asLong() < end[p]) {
                    belowEndAt[p] = now;
                } else if (checkpointAt[p] == 0 && v.hasNonNull("lastCheckpoint")) {
                    long checkpoint = Instant.parse(v.get("lastCheckpoint").asString()).toEpochMilli();
                    // the first checkpoint after the last record was seen unapplied covers it
                    if (checkpoint >= belowEndAt[p]) {
                        checkpointAt[p] = checkpoint;
                    }
                }
                done += checkpointAt[p] != 0 ? 1 : 0;
            }
        }
        long last = 0;
        for (long at : checkpointAt) {
            last = Math.max(last, at);
        }
        double seconds = (last - resumed) / 1e3;
        long amount = count(postgres, "AMOUNT") - before[0];
        long missing = count(postgres, "MISSING") - before[1];
        long checked = checked(postgres) - before[2];
        Map<String, Integer> perInstance = new TreeMap<>();
        owners.values().forEach(o -> perInstance.merge(o, 1, Integer::sum));
        System.out.printf("cluster     %d instances: %,d facts in %.2f s%n", instances.size(), workload.facts(), seconds);
        return String.format("| %d | %s | %.2f | %,.0f | %,d / %,d | %d / %d | %d / %d |", instances.size(), perInstance, seconds,
                workload.facts() / seconds, checked, workload.facts(), amount, workload.expectedAmount(), missing, workload.expectedMissing());
    }

    private static ServiceProcess owner(List<ServiceProcess> instances, String id) {
        return instances.get(Integer.parseInt(id.substring(1)) - 1);
    }

    private static Map<Integer, JsonNode> awaitViews(List<ServiceProcess> instances, Map<Integer, String> owners,
                                                      java.util.function.Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Map<Integer, JsonNode> views = views(instances, owners);
            if (views.size() == PARTITIONS && views.values().stream().allMatch(condition)) {
                return views;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    /** Each partition's session as its owner shows it (a partition its owner no longer shows is left out). */
    private static Map<Integer, JsonNode> views(List<ServiceProcess> instances, Map<Integer, String> owners) throws Exception {
        Map<Integer, JsonNode> views = new HashMap<>();
        Map<String, JsonNode> byInstance = new HashMap<>();
        for (String id : new java.util.TreeSet<>(owners.values())) {
            try {
                byInstance.put(id, owner(instances, id).sessions());
            } catch (java.io.IOException e) {
                // busy: next poll
            }
        }
        owners.forEach((p, id) -> {
            JsonNode sessions = byInstance.get(id);
            if (sessions != null) {
                for (JsonNode s : sessions) {
                    if (s.get("partition").asInt() == p && BenchWorkload.TASK.equals(s.get("task").asString())) {
                        views.put(p, s);
                    }
                }
            }
        });
        return views;
    }

    private static long count(SourceDatabases postgres, String type) throws Exception {
        return query(postgres, "select count(*) from mismatch where type = '" + type + "'");
    }

    private static long checked(SourceDatabases postgres) throws Exception {
        return query(postgres, "select coalesce(sum(checked), 0) from task_checked");
    }

    private static long query(SourceDatabases postgres, String sql) throws Exception {
        try (Connection c = postgres.connectResults(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
