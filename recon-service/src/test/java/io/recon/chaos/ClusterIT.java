package io.recon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.it.RunsAlone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three Recon instances as JVMs of their own on one Kafka broker and one PostgreSQL server ({@code recon.cluster.enabled}),
 * with the seeded demo traffic flowing: the six partitions of the task group are shared by Kafka's consumer group, one
 * instance runs the captures and the clock. The instance that runs them is SIGKILLed (its partitions and the singletons
 * move to the survivors); another is frozen with SIGSTOP until its partitions have moved, then woken (its late writes
 * are refused by the fence); a fourth joins (the partitions rebalance). Before the traffic, a task switched off on one
 * instance pauses the sessions of all three, and a version activated on one runs on all three;
 * under the traffic, a version adding a field to a bound type rebuilds the sessions of all three by replay. The day ends as the traffic's ground truth
 * says: each injected fault found once, one alert each, every fact counted once.
 */
@RunsAlone // four service JVMs, a broker and a PostgreSQL server: the whole machine
class ClusterIT {

    private static final int PARTITIONS = 6;
    private static final String OPERATOR = "cluster-ops";
    private static final String PASSWORD = "cluster-test-" + Long.toHexString(System.nanoTime());
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    /** While set, {@link #awaitCoverage} also waits for every partition's clock to pass it. */
    private static volatile long clockPast;

    @Test
    void partitionsAndSingletonsMoveOnAKillAPauseAndAJoinWithNothingLostOrRepeated() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/tmp"), "recon-cluster-it-");
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, ServiceProcess> instances = new LinkedHashMap<>();
        try (SourceDatabases postgres = new SourceDatabases(work.resolve("postgres"));
             BrokerProcess broker = new BrokerProcess(work.resolve("kafka/log"), io.recon.it.Ports.freePort());
             AlertReceiver receiver = new AlertReceiver()) {
            broker.start(Duration.ofMinutes(3));
            List<String> shared = new ArrayList<>(ChaosRun.settings(receiver.url()));
            shared.addAll(postgres.settings());
            shared.addAll(postgres.resultsSettings());
            shared.addAll(List.of("recon.kafka.bootstrap=" + broker.bootstrap(), "recon.cluster.enabled=true",
                    "recon.cluster.session-timeout=6s", "recon.tasks.trade.partitions=" + PARTITIONS,
                    // one key for the catalog's stored passwords, shared by the instances as their database is
                    "recon.catalog.key=" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                    // no demo users on an external database: an operator of the test's own, as a bcrypt hash
                    "recon.security.users." + OPERATOR + ".password={bcrypt}"
                            + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder().encode(PASSWORD),
                    "recon.security.users." + OPERATOR + ".roles=OPERATOR,ANALYST,RELEASER"));
            for (String id : List.of("r1", "r2", "r3")) {
                instances.put(id, instance(work, id, shared));
                instances.get(id).start();
            }
            for (ServiceProcess instance : instances.values()) {
                instance.awaitUp(PATIENCE);
            }
            // the third member may join a moment after the first two have shared the partitions: wait for its share
            Map<Integer, String> owners = awaitCoverage(instances, Set.of(), "r1", "r2", "r3");
            System.out.println("[cluster test] partitions: " + owners);
            assertThat(new TreeSet<>(owners.values())).as("every instance runs sessions").hasSize(3);

            aCatalogWriteOnOneInstanceIsAppliedByAll(instances);
            activateOnAnInstanceWithoutTheCaptures(instances, Set.of(), "1.0.1", types -> types);
            aCanaryStartedOnOneInstanceRunsWhereverItsPartitionsRun(instances);

            try (SeededTraffic traffic = new SeededTraffic(23, postgres::jdbcUrl, broker.bootstrap())) {
                traffic.run(100 / SeededTraffic.TX_PER_FLOW, 60);
                Thread.sleep(6_000);
                // under the traffic, a new field of Order: every instance rebuilds its sessions by replay
                activateOnAnInstanceWithoutTheCaptures(instances, Set.of(), "1.0.2", types -> types.replace(
                        "    updatedAt  : long\n", "    updatedAt  : long\n    note       : String\n"));
                Thread.sleep(3_000);

                String leader = leader(instances, Set.of());
                long killed = System.currentTimeMillis();
                instances.get(leader).kill();
                Set<String> away = new TreeSet<>(Set.of(leader));
                Map<Integer, String> afterKill = awaitCoverage(instances, away);
                long failover = System.currentTimeMillis() - killed;
                String newLeader = leader(instances, away);
                System.out.printf("[cluster test] SIGKILL of %s (it ran the singletons): its partitions live on the survivors after %.1f s,"
                        + " the singletons on %s; partitions %s%n", leader, failover / 1000.0, newLeader, afterKill);

                Thread.sleep(5_000);
                String frozen = instances.keySet().stream().filter(id -> !away.contains(id) && !id.equals(newLeader)).findFirst().orElseThrow();
                instances.get(frozen).signal("STOP");
                long stopped = System.currentTimeMillis();
                away.add(frozen);
                Map<Integer, String> afterStop = awaitCoverage(instances, away);
                System.out.printf("[cluster test] SIGSTOP of %s: its partitions moved after %.1f s: %s%n", frozen,
                        (System.currentTimeMillis() - stopped) / 1000.0, afterStop);
                instances.get(frozen).signal("CONT");
                away.remove(frozen);

                ServiceProcess fourth = instance(work, "r4", shared);
                instances.put("r4", fourth);
                long joined = System.currentTimeMillis();
                fourth.start();
                fourth.awaitUp(PATIENCE);
                Map<Integer, String> afterJoin = awaitCoverage(instances, away, "r4");
                System.out.printf("[cluster test] r4 joined: partitions %s, %.1f s after its start%n", afterJoin,
                        (System.currentTimeMillis() - joined) / 1000.0);

                while (!traffic.done()) {
                    Thread.sleep(500);
                }
                long lastWrite = System.currentTimeMillis();
                // every window of the last flows closes (payment 30 s, + lateness), wherever its partition runs now
                clockPast = lastWrite + 31_000;
                awaitCoverage(instances, away);
                clockPast = 0;
                long pending = ChaosRun.awaitOutboxEmpty(postgres.results(), Duration.ofMinutes(2));
                ChaosRun.Outcome outcome = ChaosRun.collect(postgres.results(), receiver, traffic, List.of(), pending, -1, null, 0, 0);
                String frozenLog = Files.readString(work.resolve(frozen).resolve("service-1.log"));

                Map<String, String> expected = OutageAssertions.expectedFindings(outcome);
                Set<String> expectedAlerts = expected.keySet().stream().map(f -> "ALERT " + f + " #1")
                        .collect(Collectors.toCollection(TreeSet::new));
                List<String> differences = OutageAssertions.differences(expected, outcome.findings());
                differences.forEach(d -> System.out.println("[cluster test] against the ground truth: " + d));
                SoftAssertions.assertSoftly(soft -> {
                    soft.assertThat(outcome.expected()).as("the traffic injected faults").hasSizeGreaterThan(20);
                    soft.assertThat(outcome.findings()).as("differences %s: each injected fault found once, nothing else", differences)
                            .isEqualTo(expected);
                    soft.assertThat(OutageComparison.mismatchAlerts(outcome).keySet()).as("one alert per mismatch").isEqualTo(expectedAlerts);
                    // at least once: what the killed instance had in flight may go out again under the same key
                    soft.assertThat(outcome.duplicateDeliveries()).as("alerts delivered twice under one key").isLessThanOrEqualTo(8);
                    soft.assertThat(outcome.pendingActions()).as("the outbox is empty in the end").isZero();
                    soft.assertThat(outcome.checked()).as("facts checked: every source transaction once").isEqualTo(outcome.writes());
                    soft.assertThat(frozenLog).as("the frozen instance learnt on waking that its partitions had moved")
                            .containsAnyOf("lost task group 'trade' partitions", "hands on task group 'trade' partitions");
                });
            }
        } finally {
            for (ServiceProcess instance : instances.values()) {
                try {
                    instance.signal("CONT");
                } catch (Exception e) {
                    // not stopped, or gone
                }
                instance.close();
            }
        }
    }

    private static ServiceProcess instance(Path work, String id, List<String> shared) throws java.io.IOException {
        Path dir = Files.createDirectories(work.resolve(id));
        List<String> settings = new ArrayList<>(shared);
        settings.add("recon.cluster.instance-id=" + id);
        return new ServiceProcess(dir, null, Path.of("../rules-repo/repository").toAbsolutePath(), settings).signInAs(OPERATOR, PASSWORD);
    }

    /**
     * Waits until every partition runs (RUNNING) on exactly one of the instances that answer, none on an instance in
     * {@code away}, and on {@code mustRun} if given. @return partition -> instance
     */
    private static Map<Integer, String> awaitCoverage(Map<String, ServiceProcess> instances, Set<String> away, String... mustRun)
            throws Exception {
        long deadline = System.currentTimeMillis() + PATIENCE.toMillis();
        String last = "nothing yet";
        while (System.currentTimeMillis() < deadline) {
            Map<Integer, List<String>> running = new TreeMap<>();
            boolean allAnswered = true;
            for (Map.Entry<String, ServiceProcess> e : instances.entrySet()) {
                if (away.contains(e.getKey())) {
                    continue;
                }
                try {
                    for (JsonNode s : e.getValue().sessions()) {
                        JsonNode wm = s.get("watermark");
                        boolean clockOk = clockPast == 0 || (wm != null && !wm.isNull()
                                && java.time.Instant.parse(wm.asString()).toEpochMilli() >= clockPast);
                        if ("RUNNING".equals(s.get("state").asString()) && clockOk) {
                            running.computeIfAbsent(s.get("partition").asInt(), p -> new ArrayList<>()).add(e.getKey());
                        }
                    }
                } catch (java.io.IOException ex) {
                    allAnswered = false;
                }
            }
            last = running.toString();
            boolean once = running.size() == PARTITIONS && running.values().stream().allMatch(l -> l.size() == 1);
            boolean withMust = List.of(mustRun).stream().allMatch(m -> running.values().stream().anyMatch(l -> l.contains(m)));
            if (allAnswered && once && withMust) {
                Map<Integer, String> owners = new TreeMap<>();
                running.forEach((p, l) -> owners.put(p, l.get(0)));
                return owners;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the partitions were not each running once within " + PATIENCE + ": " + last);
    }

    /**
     * The task switched off on an instance that does not run the captures pauses the sessions of every instance, each
     * lists the change, and switched on again every partition runs.
     */
    private static void aCatalogWriteOnOneInstanceIsAppliedByAll(Map<String, ServiceProcess> instances) throws Exception {
        ServiceProcess writer = withoutTheCaptures(instances, Set.of());
        String trade = writer.get("/api/tasks/trade");
        assertThat(trade).contains("\"enabled\":true");
        assertThat(writer.send("PUT", "/api/tasks/trade", trade.replace("\"enabled\":true", "\"enabled\":false")).statusCode()).isEqualTo(200);
        long switched = System.currentTimeMillis();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (Map.Entry<String, ServiceProcess> e : instances.entrySet()) {
                List<String> states = new ArrayList<>();
                e.getValue().sessions().forEach(session -> {
                    if (session.get("task").asString().equals("trade")) {
                        states.add(session.get("state").asString());
                    }
                });
                assertThat(states).as("trade sessions on %s", e.getKey()).isNotEmpty().containsOnly("PAUSED");
                assertThat(e.getValue().get("/api/tasks/trade")).as("the task as %s lists it", e.getKey()).contains("\"enabled\":false");
            }
        });
        System.out.printf("[cluster test] trade switched off on one instance: every instance's sessions paused after %.1f s%n",
                (System.currentTimeMillis() - switched) / 1000.0);
        assertThat(writer.send("PUT", "/api/tasks/trade", trade).statusCode()).isEqualTo(200);
        awaitCoverage(instances, Set.of());
    }

    /**
     * A version published and activated on an instance that does not run the captures moves the sessions of every
     * instance to it; {@code types} edits the trade types of 1.0.0 (a new field rebuilds them by replay). The rules stay
     * the same, so that the day's findings stay the traffic's.
     */
    private static void activateOnAnInstanceWithoutTheCaptures(Map<String, ServiceProcess> instances, Set<String> away, String version,
                                                               java.util.function.UnaryOperator<String> types) throws Exception {
        ServiceProcess releaser = withoutTheCaptures(instances, away);
        publishFrom(releaser, "1.0.0", version, "the same rules, to move the cluster", types);
        var activated = releaser.send("POST", "/api/releases/" + version + "/activate", "");
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        long moved = System.currentTimeMillis();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (Map.Entry<String, ServiceProcess> e : instances.entrySet()) {
                if (away.contains(e.getKey())) {
                    continue;
                }
                List<String> sessions = new ArrayList<>();
                e.getValue().sessions().forEach(session -> sessions.add(session.get("rulesVersion").asString() + " " + session.get("state").asString()));
                assertThat(sessions).as("rules and state of the sessions on %s", e.getKey()).isNotEmpty().containsOnly(version + " RUNNING");
            }
        });
        System.out.printf("[cluster test] rules %s activated on one instance (%s): every instance's sessions run it %.1f s after the answer%n",
                version, ServiceProcess.JSON.readTree(activated.body()).get("rebuilt"), (System.currentTimeMillis() - moved) / 1000.0);
    }

    /**
     * A canary started on one instance runs on its partitions whichever instance runs them, every instance reports it,
     * and ended on another instance every partition is back on the active version.
     */
    private static void aCanaryStartedOnOneInstanceRunsWhereverItsPartitionsRun(Map<String, ServiceProcess> instances) throws Exception {
        ServiceProcess releaser = withoutTheCaptures(instances, Set.of());
        String canary = "1.0.1-canary";
        publishFrom(releaser, "1.0.1", canary, "the same rules, as a canary", types -> types);
        var started = releaser.send("POST", "/api/releases/" + canary + "/canary", "{\"task\": \"trade\", \"partitions\": [0, 1]}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        long at = System.currentTimeMillis();
        Map<Integer, String> withCanary = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            withCanary.put(p, p < 2 ? canary : "1.0.1");
        }
        awaitVersions(instances, withCanary);
        System.out.printf("[cluster test] canary of %s on trade partitions [0, 1], started on one instance: running there %.1f s after the"
                + " answer%n", canary, (System.currentTimeMillis() - at) / 1000.0);
        ServiceProcess other = instances.values().stream().filter(i -> i != releaser).findFirst().orElseThrow();
        JsonNode report = ServiceProcess.JSON.readTree(other.get("/api/releases/canary"));
        assertThat(report.get("version").asString()).isEqualTo(canary);
        assertThat(report.get("partitions")).as("every partition of trade, wherever it runs").hasSize(PARTITIONS);

        var ended = other.send("DELETE", "/api/releases/canary", "");
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        Map<Integer, String> without = new TreeMap<>();
        withCanary.keySet().forEach(p -> without.put(p, "1.0.1"));
        awaitVersions(instances, without);
    }

    /** Publishes {@code version} on {@code releaser}: the files of {@code base}, with {@code types} applied to the trade types. */
    private static void publishFrom(ServiceProcess releaser, String base, String version, String notes,
                                    java.util.function.UnaryOperator<String> types) throws Exception {
        var draft = ServiceProcess.JSON.createObjectNode().put("version", version).put("notes", notes);
        var files = draft.putArray("files");
        for (JsonNode file : ServiceProcess.JSON.readTree(releaser.get("/api/releases/" + base + "/files")).get("files")) {
            String name = file.get("name").asString();
            String content = file.get("content").asString();
            files.addObject().put("name", name).put("content", name.equals("recon/trade/types.drl") ? types.apply(content) : content);
        }
        var published = releaser.send("POST", "/api/releases", draft.toString());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
    }

    /** Waits until the trade sessions of every instance run the given version per partition. */
    private static void awaitVersions(Map<String, ServiceProcess> instances, Map<Integer, String> versions) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<Integer, String> running = new TreeMap<>();
            for (ServiceProcess instance : instances.values()) {
                instance.sessions().forEach(session -> {
                    if (session.get("task").asString().equals("trade")) {
                        running.put(session.get("partition").asInt(), session.get("rulesVersion").asString());
                    }
                });
            }
            assertThat(running).isEqualTo(versions);
        });
    }

    /** An instance (not away) that does not run the singletons: a write there reaches the others only by following. */
    private static ServiceProcess withoutTheCaptures(Map<String, ServiceProcess> instances, Set<String> away) throws Exception {
        String leader = leader(instances, away);
        return instances.entrySet().stream().filter(e -> !away.contains(e.getKey()) && !e.getKey().equals(leader))
                .findFirst().orElseThrow().getValue();
    }

    /** The instance (not away) that runs the singletons; waits until exactly one does. */
    private static String leader(Map<String, ServiceProcess> instances, Set<String> away) throws Exception {
        long deadline = System.currentTimeMillis() + PATIENCE.toMillis();
        while (System.currentTimeMillis() < deadline) {
            List<String> leading = new ArrayList<>();
            for (Map.Entry<String, ServiceProcess> e : instances.entrySet()) {
                if (!away.contains(e.getKey())) {
                    try {
                        if (e.getValue().recon().get("instance").get("singletons").asBoolean()) {
                            leading.add(e.getKey());
                        }
                    } catch (java.io.IOException ex) {
                        // not answering right now
                    }
                }
            }
            if (leading.size() == 1) {
                return leading.get(0);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no single instance ran the singletons within " + PATIENCE);
    }
}
