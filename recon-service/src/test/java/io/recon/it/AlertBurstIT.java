package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A burst of 1,000 mismatches for one task, committed together with their alert actions by a Recon
 * that stops before sending any (as after a crash between commit and dispatch). The restarted Recon
 * delivers every stored action exactly once, and the throttle keeps the number of messages small
 * while their counts still add up to 1,000.
 */
@RunsAlone // how many messages a burst makes depends on how fast the sessions detect it: a busy machine spreads it over more throttle windows
class AlertBurstIT {

    private static final int BURST = 1_000;
    private static final int LIMIT = 20;

    @Test
    void aBurstCommittedBeforeACrashIsDeliveredOnceAsFewMessagesWhoseCountsAddUp() throws Exception {
        Path workDir = ReconTestSupport.newWorkDir("burst");
        try (WebhookReceiver receiver = new WebhookReceiver("/hook")) {
            List<String> alerting = List.of(
                    "recon.alerts.channels.ops-hook.kind=webhook",
                    "recon.alerts.channels.ops-hook.url=" + receiver.url("/hook"),
                    "recon.alerts.routes.trade.P2=ops-hook",
                    "recon.alerts.throttle.limit=" + LIMIT,
                    "recon.alerts.throttle.window=3s");

            Set<String> storedKeys;
            try (ReconInstance recon = start(workDir, alerting, "recon.alerts.dispatch.enabled=false")) {
                burstOfAmountMismatches(recon.bean(DemoSystems.class));
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> recon.get("/api/mismatches?type=AMOUNT&size=1").get("total").asInt() == BURST);
                JsonNode pending = recon.get("/api/actions?status=PENDING&size=1000");
                storedKeys = keys(pending);
                assertThat(storedKeys).hasSizeBetween(LIMIT, BURST / 10);
                assertThat(receiver.all()).isEmpty();
            }

            try (ReconInstance recon = start(workDir, alerting)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> countsReceived(receiver) >= BURST);
                Thread.sleep(4_000); // anything sent twice, or a late extra summary, would arrive by now

                assertThat(countsReceived(receiver)).isEqualTo(BURST);
                assertThat(receiver.keyCounts()).allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1L));
                assertThat(receiver.keyCounts().keySet()).containsAll(storedKeys);
                assertThat(receiver.all()).hasSizeLessThanOrEqualTo(BURST / 10);
                assertThat(receiver.all()).anyMatch(r -> "SUMMARY".equals(r.body().get("kind").asString()));
                JsonNode summary = receiver.all().stream().filter(r -> "SUMMARY".equals(r.body().get("kind").asString()))
                        .findFirst().orElseThrow().body();
                assertThat(summary.get("text").asString()).contains("alert limit of " + LIMIT);
                assertThat(summary.get("details").get("byType").get("AMOUNT").asInt()).isEqualTo(summary.get("count").asInt());
                assertThat(recon.get("/api/actions?status=PENDING").get("total").asInt()).isZero();
                assertThat(recon.get("/api/actions?status=DONE&size=1").get("total").asInt()).isEqualTo(receiver.all().size());
            }
        }
    }

    private static ReconInstance start(Path workDir, List<String> alerting, String... more) {
        List<String> properties = new ArrayList<>(alerting);
        properties.addAll(List.of(more));
        return ReconInstance.start(workDir, properties.toArray(String[]::new));
    }

    /** Orders for 100.00 paid 105.00: one AMOUNT (P2) mismatch each, committed in a few large transactions. */
    private static void burstOfAmountMismatches(DemoSystems systems) {
        Timestamp t0 = Timestamp.from(Instant.now());
        Timestamp paid = Timestamp.from(t0.toInstant().plusMillis(200));
        systems.jdbc("shop").batchUpdate("insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at) "
                        + "values (?, 'C-1', ?, 'EUR', 'PAID', ?, ?)",
                IntStream.range(0, BURST).mapToObj(i -> new Object[] {"BURST-" + i, new BigDecimal("100.00"), t0, t0}).toList());
        systems.jdbc("pay").batchUpdate("insert into payments (payment_id, order_id, amount, currency, status, paid_at) "
                        + "values (?, ?, ?, 'EUR', 'SUCCESS', ?)",
                IntStream.range(0, BURST).mapToObj(i -> new Object[] {"P-BURST-" + i, "BURST-" + i, new BigDecimal("105.00"), paid}).toList());
    }

    /** Mismatches the receiver has been told about: one per alert, the held count per summary. */
    private static int countsReceived(WebhookReceiver receiver) {
        return receiver.all().stream().mapToInt(r -> r.body().get("count").asInt()).sum();
    }

    private static Set<String> keys(JsonNode page) {
        Set<String> keys = new HashSet<>();
        page.get("items").forEach(a -> keys.add(a.get("idempotencyKey").asString()));
        return keys;
    }
}
