package io.recon.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code bin/recon chaos [--kills 20] [--rate 2000] [--seconds N] [--seed S] [--patience-minutes 8] [--reference sequential|parallel|truth]}:
 * the demo traffic twice, once with SIGKILLs of the service JVM at random moments and then once without (or both at once,
 * or the run with kills against the traffic's ground truth alone), then the comparison: mismatches
 * by (task, key, type) with how often each opened (so an opened-and-healed one counts), alerts delivered by
 * identity and idempotency key, facts checked, and the time back to live after each restart.
 */
public final class ChaosCommand {

    private ChaosCommand() {
    }

    /**
     * Ends the JVM in every case: when one run fails the other is still going, and its service, PostgreSQL server
     * and alert receiver would keep the command alive; the shutdown hooks of {@link ServiceProcess} stop them.
     */
    public static void main(String[] args) {
        int status = 0;
        try {
            // how long a start or a catch-up may take; a machine shared with other work needs more
            System.setProperty("chaos.timeout-minutes", Integer.toString(intOption(args, "--patience-minutes", Integer.getInteger("chaos.timeout-minutes", 8))));
            run(args);
        } catch (Exception e) {
            System.err.println("chaos: " + e.getMessage());
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static void run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("outage")) {
            outage(args);
            return;
        }
        int kills = intOption(args, "--kills", 20);
        int rate = intOption(args, "--rate", 2000);
        int seconds = intOption(args, "--seconds", Math.max(60, kills * 45));
        long seed = intOption(args, "--seed", 7);
        Path root = Path.of(System.getProperty("recon.root", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("recon-service/target/recon-service.jar");
        ChaosRun.Options chaos = new ChaosRun.Options(seed, rate, seconds, kills, 0, Files.exists(jar) ? jar : null,
                root.resolve("rules-repo/repository"));
        System.out.printf("chaos: seed %d, %d source tx/s for %d s, %d kills%n", seed, rate, seconds, kills);

        String reference = stringOption(args, "--reference", "sequential");
        ChaosRun.Options calm = new ChaosRun.Options(seed, rate, seconds, 0, 0, chaos.jar(), chaos.rulesRepository());
        switch (reference) {
            case "parallel" -> {
                // Both runs at once, each with its own service, database and broker: half the wall time, but on a small
                // machine each run starves the other and the restart times grow with it.
                Path calmDir = workDir("reference");
                java.util.concurrent.CompletableFuture<ChaosRun.Outcome> calmRun = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return ChaosRun.run(calm, calmDir, line -> System.out.println("  [no kills] " + line));
                    } catch (Exception e) {
                        throw new IllegalStateException("the run without kills failed: " + e.getMessage(), e);
                    }
                });
                ChaosRun.Outcome killed = ChaosRun.run(chaos, workDir("kills"), line -> System.out.println("  [kills] " + line));
                System.out.print(report(calmRun.get(), killed));
            }
            case "sequential" -> {
                ChaosRun.Outcome killed = ChaosRun.run(chaos, workDir("kills"), line -> System.out.println("  [kills] " + line));
                ChaosRun.Outcome calmRun = ChaosRun.run(calm, workDir("reference"), line -> System.out.println("  [no kills] " + line));
                System.out.print(report(calmRun, killed));
            }
            case "truth" -> {
                // The seeded traffic knows every fault it injected: the run with kills against that alone (as the
                // two-kill test does), in half the time; what a busy machine adds (an order marked PAID late by the
                // traffic itself) shows as an extra mismatch with its history.
                ChaosRun.Outcome killed = ChaosRun.run(chaos, workDir("kills"), line -> System.out.println("  [kills] " + line));
                System.out.print(report(groundTruth(killed), killed));
            }
            default -> throw new IllegalArgumentException("--reference is sequential, parallel or truth, not " + reference);
        }
    }

    /** What a correct run of the same traffic stores, from the traffic's own record: each fault open, alerted once. */
    private static ChaosRun.Outcome groundTruth(ChaosRun.Outcome run) {
        java.util.Map<String, String> findings = new java.util.TreeMap<>();
        java.util.Map<String, Long> alerts = new java.util.TreeMap<>();
        run.expected().forEach(fault -> {
            findings.put("trade " + fault, "OPEN opened 1x");
            alerts.put("ALERT trade " + fault + " #1", 1L);
        });
        return new ChaosRun.Outcome(findings, alerts, 0, run.writes(), run.writes(), run.flows(), run.expected(), List.of(), 0, -1, null,
                java.util.Map.of(), Set.of(), Set.of());
    }

    /**
     * {@code bin/recon chaos outage [pg|kafka|source] [--seconds 60] [--rate 300] [--seed 7]}: the results PostgreSQL, the
     * Kafka broker or the source databases' PostgreSQL stopped for that long while the traffic flows; prints the
     * comparison with a run without the outage and the time to resume after the dependency returns.
     */
    private static void outage(String[] args) throws Exception {
        Outage kind = Outage.of(args.length > 1 && !args[1].startsWith("--") ? args[1] : "pg");
        int outage = intOption(args, "--seconds", 60);
        int rate = intOption(args, "--rate", 300);
        long seed = intOption(args, "--seed", 7);
        int seconds = outage + 40;
        Path root = Path.of(System.getProperty("recon.root", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("recon-service/target/recon-service.jar");
        System.out.printf("chaos outage: %s down %d s; seed %d, %d source tx/s for %d s%n", kind.what, outage, seed, rate, seconds);
        OutageComparison comparison = OutageComparison.run(kind, seed, rate, seconds, outage, Files.exists(jar) ? jar : null,
                root.resolve("rules-repo/repository"), line -> System.out.println("  " + line));
        System.out.print(comparison.report(kind));
    }

    static String report(ChaosRun.Outcome reference, ChaosRun.Outcome killed) {
        StringBuilder out = new StringBuilder();
        Set<String> lostFindings = minus(reference.findings().keySet(), killed.findings().keySet());
        Set<String> extraFindings = minus(killed.findings().keySet(), reference.findings().keySet());
        List<String> changedFindings = new ArrayList<>();
        reference.findings().forEach((finding, how) -> {
            String other = killed.findings().get(finding);
            if (other != null && !other.equals(how)) {
                changedFindings.add(finding + ": " + how + " without kills, " + other + " with");
            }
        });
        Set<String> lostAlerts = minus(reference.alerts().keySet(), killed.alerts().keySet());
        Set<String> extraAlerts = minus(killed.alerts().keySet(), reference.alerts().keySet());
        long n = killed.restarts().size();
        double meanLive = killed.restarts().stream().mapToLong(ChaosRun.Restart::liveMillis).average().orElse(0);
        long worstLive = killed.restarts().stream().mapToLong(ChaosRun.Restart::liveMillis).max().orElse(0);
        double meanUp = killed.restarts().stream().mapToLong(ChaosRun.Restart::upMillis).average().orElse(0);
        long duringAlert = killed.restarts().stream().filter(ChaosRun.Restart::duringAlert).count();
        out.append(String.format("traffic: %d flows, %d source transactions (no kills: %d flows, %d)%n", killed.flows(), killed.writes(),
                reference.flows(), reference.writes()));
        out.append(String.format("kills: %d (%d during an alert delivery)%n", n, duringAlert));
        out.append(String.format("mismatches: %d without kills, %d with; lost %d, extra %d, different history %d%n",
                reference.findings().size(), killed.findings().size(), lostFindings.size(), extraFindings.size(), changedFindings.size()));
        out.append(String.format("alerts delivered: %d without kills, %d with; lost %d, extra %d; duplicated deliveries (same idempotency key"
                + " twice) %d without kills, %d with%n", reference.alerts().size(), killed.alerts().size(), lostAlerts.size(), extraAlerts.size(),
                reference.duplicateDeliveries(), killed.duplicateDeliveries()));
        out.append(String.format("ground truth: %d faults injected; found without kills %d, with kills %d%n", killed.expected().size(),
                found(reference, killed.expected()), found(killed, killed.expected())));
        out.append(String.format("facts checked (/api/stats): %d without kills, %d with%n", reference.checked(), killed.checked()));
        out.append(String.format("time back to live after a restart (SIGKILL until the clock passed the moment of the kill): mean %.1f s,"
                + " worst %.1f s (answering UP: mean %.1f s)%n", meanLive / 1000, worstLive / 1000.0, meanUp / 1000));
        lostFindings.stream().limit(20).forEach(f -> out.append("  lost mismatch: ").append(f).append('\n'));
        extraFindings.stream().limit(20).forEach(f -> out.append("  extra mismatch: ").append(f).append(' ')
                .append(killed.findings().get(f)).append('\n'));
        changedFindings.stream().limit(20).forEach(f -> out.append("  different: ").append(f).append('\n'));
        lostAlerts.stream().limit(20).forEach(f -> out.append("  lost alert: ").append(f).append('\n'));
        extraAlerts.stream().limit(20).forEach(f -> out.append("  extra alert: ").append(f).append('\n'));
        return out.toString();
    }

    /** How many "key type" faults are stored as a mismatch of that type (any task). */
    static long found(ChaosRun.Outcome outcome, Set<String> expected) {
        Set<String> keys = new TreeSet<>();
        outcome.findings().keySet().forEach(f -> keys.add(f.substring(f.indexOf(' ') + 1)));
        return expected.stream().filter(keys::contains).count();
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static Path workDir(String name) throws java.io.IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "recon-chaos-" + name + "-");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
