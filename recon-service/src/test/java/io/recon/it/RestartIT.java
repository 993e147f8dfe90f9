package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Stopping Recon mid-stream, with findings stored and windows still open, and starting it again on
 * the same data loses no mismatch and duplicates none: the day ends exactly as without the stop
 * (EndToEndIT runs the same day without one).
 */
class RestartIT {

    @Test
    void aStopMidStreamChangesNothingInTheOutcome() throws Exception {
        Path workDir = ReconTestSupport.newWorkDir("restart");
        Instant t0;
        Map<String, Long> idsBeforeStop;
        try (ReconInstance recon = ReconInstance.start(workDir); DemoScript script = recon.script()) {
            t0 = Instant.now(); // after the start, which takes long on a busy machine: the windows open now
            TradeDay.morning(script, t0);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> recon.mismatches().containsAll(java.util.List.of("AMT-1 AMOUNT OPEN", "DUP-1 DUPLICATE OPEN")));
            // Stored findings exist, and the payment windows of MISS-1, HEAL-1 and LATE-1 are still open.
            assertThat(recon.mismatches()).doesNotContain("MISS-1 MISSING OPEN");
            idsBeforeStop = ids(recon);
        }

        try (ReconInstance recon = ReconInstance.start(workDir); DemoScript script = recon.script()) {
            TradeDay.afternoon(script, t0, recon);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(recon.mismatches()).containsExactlyInAnyOrderElementsOf(TradeDay.EXPECTED));
            Thread.sleep(TradeDay.QUIET_PERIOD.toMillis());
            assertThat(recon.mismatches()).containsExactlyInAnyOrderElementsOf(TradeDay.EXPECTED);

            // The findings stored before the stop are the same rows, detected once.
            Map<String, Long> idsAfter = ids(recon);
            idsBeforeStop.forEach((finding, id) -> assertThat(idsAfter.get(finding)).as(finding).isEqualTo(id));
            JsonNode amount = recon.mismatch("AMT-1", "AMOUNT");
            assertThat(amount.get("history")).extracting(h -> h.get("to").asString()).containsExactly("OPEN");
        }
    }

    private static Map<String, Long> ids(ReconInstance recon) {
        Map<String, Long> ids = new TreeMap<>();
        for (JsonNode item : recon.get("/api/mismatches?size=500").get("items")) {
            ids.put(item.get("key").asString() + " " + item.get("type").asString(), item.get("id").asLong());
        }
        return ids;
    }
}
