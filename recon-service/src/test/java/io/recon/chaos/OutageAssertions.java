package io.recon.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;

/**
 * What every outage test asserts: the run with the outage ends exactly as a correct run without it must end, which the
 * seeded traffic knows in advance (every injected fault reported once, nothing else, one alert each, every fact counted
 * once; where the busy machine made the traffic itself mark an order PAID late, that STATUS mismatch opened and healed
 * once), and health told what was wrong meanwhile. The command
 * ({@code bin/recon chaos outage}) also runs the traffic without the outage and compares the two.
 */
final class OutageAssertions {

    private OutageAssertions() {
    }

    /** A short outage (15 s) at a low rate (100 source tx/s for 35 s), so that the test fits in a few minutes on a shared machine. */
    static ChaosRun.Outcome shortOutage(Outage outage, long seed) throws Exception {
        Path workDir = Files.createTempDirectory(Path.of("/tmp"), "recon-" + outage.name().toLowerCase() + "-outage-it-");
        Files.setPosixFilePermissions(workDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ChaosRun.Options options = new ChaosRun.Options(seed, 100, 35, 0, 15, null, Path.of("../rules-repo/repository").toAbsolutePath(),
                outage);
        return ChaosRun.run(options, workDir, line -> System.out.println("[" + outage.name().toLowerCase() + " outage test] " + line));
    }

    /**
     * What a correct run of the traffic stores: each injected fault open, opened once; each order the traffic itself
     * marked PAID late (or whose writes an outage held back) healed once, where it opened.
     */
    static Map<String, String> expectedFindings(ChaosRun.Outcome outcome) {
        Map<String, String> expectedFindings = new TreeMap<>();
        outcome.expected().forEach(fault -> expectedFindings.put("trade " + fault, "OPEN opened 1x"));
        // The traffic as written: an order the shop marked PAID more than 10 s (+ 2 s for the lateness of the clock)
        // after its payment really was late, so its STATUS mismatch opens and heals; within 8-12 s either is right.
        Set<String> either = new TreeSet<>();
        outcome.paidToMarkedMillis().forEach((order, delay) -> {
            String finding = "trade " + order + " STATUS";
            if (delay > 12_000) {
                expectedFindings.put(finding, "AUTO_RESOLVED opened 1x");
            } else if (delay > 8_000) {
                either.add(finding);
            }
            if (delay > 8_000 && (outcome.markedAcrossOutage().contains(order) || outcome.heldBack().contains(order))) {
                expectedFindings.remove(finding);
                either.add(finding);
            }
        });
        // A write held back by the outage and stored once its database was back, stamped when it was due, is late
        // data: the capture's markers prove only what is committed, so the clock may pass its event time before it is
        // stored (a marker on the other database comes back between a payment and its order's PAID mark). A check on
        // such an order may then open and heal once when the write arrives; that is right, and it must heal.
        outcome.findings().forEach((f, state) -> {
            String order = f.split(" ")[1];
            if (!expectedFindings.containsKey(f) && outcome.heldBack().contains(order)) {
                either.add(f);
            }
        });
        either.forEach(f -> {
            if ("AUTO_RESOLVED opened 1x".equals(outcome.findings().get(f))) {
                expectedFindings.put(f, "AUTO_RESOLVED opened 1x");
            }
        });
        System.out.printf("orders marked PAID late by the traffic itself (busy machine, or the payment written before the outage"
                        + " and the mark after it): %d over 12 s; findings either way: %d; orders with writes held back: %d%n",
                outcome.paidToMarkedMillis().values().stream().filter(d -> d > 12_000).count(), either.size(),
                outcome.heldBack().size());
        return expectedFindings;
    }

    /**
     * @param failingInHealth what health must name while the dependency is away (a session state, a source), besides
     *                        a reason
     */
    static void asTheGroundTruthSays(ChaosRun.Outcome outcome, String... failingInHealth) {
        Map<String, String> expectedFindings = expectedFindings(outcome);
        Set<String> expectedAlerts = expectedFindings.keySet().stream().map(f -> "ALERT " + f + " #1")
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Long> alerts = OutageComparison.mismatchAlerts(outcome);
        java.util.List<String> differences = differences(expectedFindings, outcome.findings());
        differences.forEach(d -> System.out.println("  against the ground truth: " + d));
        System.out.printf("time to resume after the dependency returned: %.1f s; operations alerts: %d%n", outcome.resumeMillis() / 1000.0,
                OutageComparison.operationsAlerts(outcome));

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(outcome.healthDuringOutage()).as("health during the outage names what fails, and why")
                    .contains("\"DOWN\"").contains(failingInHealth).contains("\"error\"");
            soft.assertThat(expectedFindings).as("the traffic injected faults").isNotEmpty();
            // the differences come first in the message: a report that shows only the head of it still shows them
            soft.assertThat(outcome.findings()).as("differences %s: each injected fault found once, each order marked PAID late once"
                            + " or held back by the outage (healed), nothing else", differences)
                    .isEqualTo(expectedFindings);
            soft.assertThat(alerts.keySet()).as("one alert per mismatch").isEqualTo(expectedAlerts);
            soft.assertThat(outcome.duplicateDeliveries()).as("no alert delivered twice under one idempotency key").isZero();
            soft.assertThat(outcome.pendingActions()).as("the outbox is empty in the end").isZero();
            soft.assertThat(outcome.checked()).as("facts checked (/api/stats): every source transaction once").isEqualTo(outcome.writes());
            soft.assertThat(outcome.resumeMillis()).as("live again after the dependency returned").isNotNegative();
        });
    }

    /** "missing: ..." / "extra: ..." / "different: ..." lines between what should be and what is. */
    static java.util.List<String> differences(Map<String, String> expected, Map<String, String> actual) {
        java.util.List<String> out = new java.util.ArrayList<>();
        expected.forEach((k, v) -> {
            if (!actual.containsKey(k)) {
                out.add("missing: " + k);
            } else if (!actual.get(k).equals(v)) {
                out.add("different: " + k + " is " + actual.get(k) + ", should be " + v);
            }
        });
        actual.forEach((k, v) -> {
            if (!expected.containsKey(k)) {
                out.add("extra: " + k + " " + v);
            }
        });
        return out;
    }
}
