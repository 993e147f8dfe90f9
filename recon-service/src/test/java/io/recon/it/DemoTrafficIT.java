package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.TrafficGenerator;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The demo a newcomer sees: the traffic generator's ground truth (GET /api/demo/faults) and what Recon
 * finds (GET /api/mismatches) are the same set, with late-but-in-time payments not reported.
 */
class DemoTrafficIT {

    @Test
    void everyInjectedFaultIsFoundAndNothingElse() throws Exception {
        try (ReconInstance recon = ReconInstance.start(ReconTestSupport.newWorkDir("demo"),
                "recon.demo.traffic=true", "recon.demo.rate=10", "recon.demo.fault-ratio=0.5", "recon.demo.late-ratio=0.2")) {
            Thread.sleep(8_000);
            TrafficGenerator generator = recon.bean(TrafficGenerator.class);
            generator.stopStartingFlows();
            assertThat(generator.flowsStarted()).isGreaterThan(50);

            // The last flows end 32 s after they start (late payments); their windows close 35 s after that.
            await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(found(recon)).isEqualTo(recon.injectedFaults()));
            Thread.sleep(TradeDay.QUIET_PERIOD.toMillis());
            Set<String> injected = recon.injectedFaults();
            assertThat(found(recon)).isEqualTo(injected);
            assertThat(injected).anyMatch(f -> f.endsWith(" MISSING")).anyMatch(f -> f.endsWith(" AMOUNT"));
            assertThat(recon.get("/api/mismatches?status=AUTO_RESOLVED").get("total").asLong())
                    .as("no finding was reported and then withdrawn").isZero();
        }
    }


    private static Set<String> found(ReconInstance recon) {
        Set<String> found = new TreeSet<>();
        for (String finding : recon.mismatches()) {
            found.add(finding.substring(0, finding.lastIndexOf(' ')));
        }
        return found;
    }
}
