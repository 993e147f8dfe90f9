package io.recon.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The same seeded traffic twice at once, each against its own service laid out for the outage: once without it and
 * once with the dependency stopped for a while. What Recon reports in the end (mismatches with how often each opened,
 * alerts by identity, facts checked) must be the same; the outage run also says what health showed meanwhile and how
 * long the pipeline took to be live again after the dependency returned. Operations alerts (a source or session
 * stopped and recovered) exist only in the outage run and are counted apart.
 */
record OutageComparison(ChaosRun.Outcome reference, ChaosRun.Outcome outage) {

    static OutageComparison run(Outage outage, long seed, int txRate, int trafficSeconds, int outageSeconds, Path jar, Path rules,
                                Consumer<String> progress) throws Exception {
        Path calmDir = workDir(outage, "reference");
        Path downDir = workDir(outage, "outage");
        CompletableFuture<ChaosRun.Outcome> reference = CompletableFuture.supplyAsync(() -> {
            try {
                return ChaosRun.run(new ChaosRun.Options(seed, txRate, trafficSeconds, 0, 0, jar, rules, outage), calmDir,
                        line -> progress.accept("[no outage] " + line));
            } catch (Exception e) {
                throw new IllegalStateException("the run without the outage failed: " + e.getMessage(), e);
            }
        });
        ChaosRun.Outcome down = ChaosRun.run(new ChaosRun.Options(seed, txRate, trafficSeconds, 0, outageSeconds, jar, rules, outage),
                downDir, line -> progress.accept("[" + outage.name().toLowerCase() + " outage] " + line));
        return new OutageComparison(reference.join(), down);
    }

    /** Mismatch alerts only ("ALERT task key type #n" -> deliveries). */
    static Map<String, Long> mismatchAlerts(ChaosRun.Outcome outcome) {
        Map<String, Long> alerts = new TreeMap<>(outcome.alerts());
        alerts.keySet().removeIf(identity -> identity == null || identity.startsWith("OPERATIONS"));
        return alerts;
    }

    /** Deliveries of operations alerts (their identity does not name a mismatch, so all of them share one). */
    static long operationsAlerts(ChaosRun.Outcome outcome) {
        return outcome.alerts().entrySet().stream().filter(a -> a.getKey() != null && a.getKey().startsWith("OPERATIONS"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    Set<String> lostFindings() {
        return minus(reference.findings().keySet(), outage.findings().keySet());
    }

    Set<String> extraFindings() {
        return minus(outage.findings().keySet(), reference.findings().keySet());
    }

    /** Findings in both runs whose end state or number of openings differ. */
    Map<String, String> changedFindings() {
        Map<String, String> changed = new TreeMap<>();
        reference.findings().forEach((finding, how) -> {
            String other = outage.findings().get(finding);
            if (other != null && !other.equals(how)) {
                changed.put(finding, how + " without the outage, " + other + " with it");
            }
        });
        return changed;
    }

    Set<String> lostAlerts() {
        return minus(mismatchAlerts(reference).keySet(), mismatchAlerts(outage).keySet());
    }

    Set<String> extraAlerts() {
        return minus(mismatchAlerts(outage).keySet(), mismatchAlerts(reference).keySet());
    }

    String report(Outage kind) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("traffic: %d flows, %d source transactions (no outage: %d flows, %d)%n", outage.flows(), outage.writes(),
                reference.flows(), reference.writes()));
        out.append(String.format("mismatches: %d without the outage, %d with; lost %d, extra %d, different history %d%n",
                reference.findings().size(), outage.findings().size(), lostFindings().size(), extraFindings().size(), changedFindings().size()));
        out.append(String.format("mismatch alerts delivered: %d without, %d with; lost %d, extra %d; delivered twice (same idempotency key):"
                + " %d without, %d with%n", mismatchAlerts(reference).size(), mismatchAlerts(outage).size(), lostAlerts().size(),
                extraAlerts().size(), reference.duplicateDeliveries(), outage.duplicateDeliveries()));
        out.append(String.format("operations alerts (stopped / recovered) during the outage run: %d%n", operationsAlerts(outage)));
        out.append(String.format("facts checked (/api/stats): %d without, %d with; actions still pending: %d, %d%n", reference.checked(),
                outage.checked(), reference.pendingActions(), outage.pendingActions()));
        out.append(String.format("orders the traffic itself marked PAID more than 12 s after their payment (a busy machine; each a real"
                + " STATUS that opens and heals): %d without, %d with%n", lateMarks(reference), lateMarks(outage)));
        lostFindings().stream().limit(20).forEach(f -> out.append("  lost mismatch: ").append(f).append('\n'));
        extraFindings().stream().limit(20).forEach(f -> out.append("  extra mismatch: ").append(f).append(' ')
                .append(outage.findings().get(f)).append('\n'));
        changedFindings().entrySet().stream().limit(20).forEach(f -> out.append("  different: ").append(f.getKey()).append(": ")
                .append(f.getValue()).append('\n'));
        lostAlerts().stream().limit(20).forEach(f -> out.append("  lost alert: ").append(f).append('\n'));
        extraAlerts().stream().limit(20).forEach(f -> out.append("  extra alert: ").append(f).append('\n'));
        out.append(String.format("time to resume after %s returned: %.1f s%n", kind.what, outage.resumeMillis() / 1000.0));
        return out.toString();
    }

    private static long lateMarks(ChaosRun.Outcome outcome) {
        return outcome.paidToMarkedMillis().values().stream().filter(d -> d > 12_000).count();
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static Path workDir(Outage outage, String name) throws java.io.IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "recon-" + outage.name().toLowerCase() + "-" + name + "-");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
