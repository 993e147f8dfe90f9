package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Stats agree with what happened: four AMOUNT mismatches; one healed by a corrected payment, one
 * resolved and one ignored by a handler, one still open. Facts checked are what the sources routed
 * (rows written before Debezium's slot existed arrive once, in their latest state, by the snapshot).
 */
class StatsIT {

    private static ReconInstance recon;

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("stats"));
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            for (int i = 1; i <= 4; i++) {                        // 3 facts each: order, payment, order update
                script.overpaidFlow("STAT-AMT-" + i, t0);
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> recon.get("/api/mismatches?type=AMOUNT").get("total").asInt() == 4);
        recon.bean(DemoSystems.class).jdbc("pay").update("update payments set amount = 100.00 where payment_id = 'P-STAT-AMT-1'"); // fact 13
        await().atMost(Duration.ofSeconds(30)).until(() -> status("STAT-AMT-1").equals("AUTO_RESOLVED"));
        recon.post("/api/mismatches/" + id("STAT-AMT-2") + "/resolve", "{\"note\":\"refunded\"}", "handler");
        recon.post("/api/mismatches/" + id("STAT-AMT-3") + "/ignore", "{\"reason\":\"test order\"}", "handler");
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void fiveMinuteBucketsCountCheckedMismatchedHealedAndHandledAndRollUpToHoursAndDays() {
        long checked = routedFacts();
        assertThat(checked).isBetween(9L, 13L); // 4 orders, 4 payments, 1 correction, and the order updates streamed live
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sums("5m"))
                .isEqualTo("checked=" + checked + " mismatched=4 autoResolved=1 repaired=0 resolvedByHand=1 ignored=1"));

        assertThat(sums("1h")).isEqualTo(sums("5m"));
        assertThat(sums("1d")).isEqualTo(sums("5m"));
        JsonNode hourly = recon.get("/api/stats?task=trade&granularity=1h");
        assertThat(Instant.parse(hourly.get("buckets").get(0).get("start").asString()).getEpochSecond() % 3600).isZero();
        assertThat(recon.get("/api/stats?task=no-such-task&granularity=5m").get("buckets")).isEmpty();
    }

    @Test
    void theHealthReportShowsRateTimeToResolveAndOpenByAge() {
        long checked = routedFacts();
        await().atMost(Duration.ofSeconds(10)).until(() -> recon.get("/api/stats/health?task=trade").get(0).get("last24h").get("checked").asLong() == checked);
        JsonNode health = recon.get("/api/stats/health?task=trade").get(0);

        assertThat(health.get("mismatchRate").asDouble()).isCloseTo(4.0 / checked, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(health.get("openByAge").get("under1h").asInt()).isEqualTo(1);
        assertThat(health.get("openByAge").get("over7d").asInt()).isZero();
        assertThat(health.get("timeToResolve").get("byHand").get("count").asInt()).isEqualTo(2);
        assertThat(health.get("timeToResolve").get("autoResolved").get("count").asInt()).isEqualTo(1);
        assertThat(health.get("timeToResolve").get("byHand").get("p50Seconds").asDouble()).isPositive();
    }

    @Test
    void badParametersAreRefusedWithTheReason() {
        assertThat(recon.getAs("/api/stats?granularity=2m", "viewer").body()).contains("unknown granularity '2m'; use 5m, 1h or 1d");
        assertThat(recon.getAs("/api/stats?granularity=5m&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "viewer").statusCode()).isEqualTo(400);
        assertThat(recon.getAs("/api/stats?granularity=5m&from=2000-01-01T00:00:00Z", "viewer").body()).contains("use a coarser granularity");
    }

    /** The routers' own count of facts, once the correction has been routed. */
    private static long routedFacts() {
        return (long) recon.get("/actuator/metrics/recon.events.in").get("measurements").get(0).get("value").asDouble();
    }

    private static String sums(String granularity) {
        long[] s = new long[6];
        for (JsonNode b : recon.get("/api/stats?task=trade&granularity=" + granularity).get("buckets")) {
            s[0] += b.get("checked").asLong();
            s[1] += b.get("mismatched").asLong();
            s[2] += b.get("autoResolved").asLong();
            s[3] += b.get("resolvedByHand").asLong();
            s[4] += b.get("ignored").asLong();
            s[5] += b.get("repaired").asLong();
        }
        return "checked=" + s[0] + " mismatched=" + s[1] + " autoResolved=" + s[2] + " repaired=" + s[5] + " resolvedByHand=" + s[3]
                + " ignored=" + s[4];
    }

    private static String status(String key) {
        return recon.mismatch(key, "AMOUNT").get("mismatch").get("status").asString();
    }

    private static long id(String key) {
        return recon.mismatch(key, "AMOUNT").get("mismatch").get("id").asLong();
    }
}
