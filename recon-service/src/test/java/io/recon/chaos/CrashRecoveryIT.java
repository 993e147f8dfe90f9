package io.recon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.it.ReconTestSupport;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import io.recon.it.RunsAlone;
import org.junit.jupiter.api.Test;

/**
 * Two SIGKILLs of the service JVM while the demo traffic flows (the second one while an alert is on its
 * way to the receiver), each followed by a restart. What Recon ends with is what the traffic's ground truth
 * says and what a run without kills finds (DemoTrafficIT): every injected fault once, nothing reported and
 * then withdrawn (no false MISSING while the sources catch up on what was committed during the outage),
 * an alert for each, and every fact written counted as checked, once.
 */
@RunsAlone
class CrashRecoveryIT {

    @Test
    void twoKillsChangeNothingInTheFindingsTheAlertsOrTheStatistics() throws Exception {
        Path workDir = ReconTestSupport.newWorkDir("crash");
        ChaosRun.Options options = new ChaosRun.Options(11, 150, 30, 2, 0, null, Path.of("../rules-repo/repository").toAbsolutePath());
        ChaosRun.Outcome outcome = ChaosRun.run(options, workDir, line -> System.out.println("[crash test] " + line));

        Map<String, String> expectedFindings = new TreeMap<>();
        Map<String, Long> expectedAlerts = new TreeMap<>();
        for (String fault : outcome.expected()) {
            expectedFindings.put("trade " + fault, "OPEN opened 1x");
            expectedAlerts.put("ALERT trade " + fault + " #1", 1L);
        }
        assertThat(outcome.restarts()).hasSize(2);
        assertThat(outcome.expected()).hasSizeGreaterThan(20);
        assertThat(outcome.findings()).as("each injected fault found once, nothing else, nothing opened and healed")
                .isEqualTo(expectedFindings);
        assertThat(outcome.pendingActions()).isZero();
        assertThat(outcome.alerts().keySet()).as("one alert per mismatch, none lost").isEqualTo(expectedAlerts.keySet());
        // At least once: what was in flight or delivered since the last mark (a few per kill) is sent again under the
        // same idempotency key, so the receiver can drop it; never a whole round.
        assertThat(outcome.duplicateDeliveries()).isLessThanOrEqualTo(2 * 8);
        assertThat(outcome.checked()).as("facts checked in the statistics = facts written, none lost or counted twice by the kills")
                .isEqualTo(outcome.writes());
    }
}
