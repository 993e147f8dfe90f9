package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Second checks against the payment system's current state (its settlement ledger, which Recon does
 * not capture): a mismatch the ledger still shows is CONFIRMED and only then alerted; one the ledger
 * has settled is AUTO_RESOLVED with the evidence kept and never alerted; a lookup that keeps failing
 * is retried on the schedule and the mismatch is then confirmed with the failure noted.
 */
class RecheckIT {

    private static WebhookReceiver receiver;
    private static ReconInstance recon;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver("/hook");
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("recheck"),
                "recon.alerts.channels.hook.kind=webhook",
                "recon.alerts.channels.hook.url=" + receiver.url("/hook"),
                "recon.alerts.routes.trade.P1=hook",
                "recon.alerts.routes.trade.P2=hook",
                "recon.recheck.retry-schedule=200ms,400ms",
                "recon.recheck.checks.amount-unsettled.task=trade",
                "recon.recheck.checks.amount-unsettled.type=AMOUNT",
                "recon.recheck.checks.amount-unsettled.delay=1s",
                "recon.recheck.checks.amount-unsettled.database=pay",
                "recon.recheck.checks.amount-unsettled.sql=select not exists (select 1 from settlement where order_id = :key and status = 'SETTLED')",
                "recon.recheck.checks.duplicate-broken.task=trade",
                "recon.recheck.checks.duplicate-broken.type=DUPLICATE",
                "recon.recheck.checks.duplicate-broken.delay=500ms",
                "recon.recheck.checks.duplicate-broken.database=pay",
                "recon.recheck.checks.duplicate-broken.sql=select still_wrong from no_such_ledger where order_id = :key");
        recon.bean(DemoSystems.class).jdbc("pay").execute("create table settlement (order_id text primary key, status text not null)");
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aMismatchTheSourceStillShowsIsConfirmedAndOnlyThenAlerted() {
        long id = amountMismatch("RC-AMT-1");

        await().atMost(Duration.ofSeconds(20)).until(() -> recon.status(id).equals("CONFIRMED"));
        JsonNode last = lastHistory(id);
        assertThat(last.get("actor").asString()).isEqualTo("recheck");
        assertThat(last.get("from").asString()).isEqualTo("OPEN");
        assertThat(last.get("note").asString()).contains("amount-unsettled").contains("still shows the mismatch");
        await().atMost(Duration.ofSeconds(10)).until(() -> alertsFor("RC-AMT-1") == 1);
        JsonNode action = recon.get("/api/actions?mismatchId=" + id).get("items").get(0);
        assertThat(Instant.parse(action.get("createdAt").asString())).isAfterOrEqualTo(Instant.parse(last.get("at").asString()));
    }

    @Test
    void aMismatchTheSourceNoLongerShowsIsAutoResolvedWithEvidenceAndNeverAlerted() throws Exception {
        recon.bean(DemoSystems.class).jdbc("pay").update("insert into settlement values ('RC-AMT-2', 'SETTLED')");
        long id = amountMismatch("RC-AMT-2");

        await().atMost(Duration.ofSeconds(20)).until(() -> recon.status(id).equals("AUTO_RESOLVED"));
        assertThat(lastHistory(id).get("actor").asString()).isEqualTo("recheck");
        assertThat(lastHistory(id).get("note").asString()).contains("no longer shows the mismatch");
        JsonNode state = recon.get("/api/mismatches/" + id + "/recheck");
        assertThat(state.get("outcome").asString()).isEqualTo("AUTO_RESOLVED");
        Thread.sleep(1_000);
        assertThat(alertsFor("RC-AMT-2")).isZero();
        assertThat(recon.get("/api/actions?mismatchId=" + id).get("total").asInt()).isZero();
    }

    @Test
    void aFailingLookupIsRetriedOnTheScheduleThenTheMismatchIsConfirmedWithTheFailureNoted() {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.order("RC-DUP-1", "50.00", t0);
            script.payment("P-RC-DUP-1a", "RC-DUP-1", "50.00", "SUCCESS", t0.plusMillis(200));
            script.payment("P-RC-DUP-1b", "RC-DUP-1", "50.00", "SUCCESS", t0.plusMillis(400));
            script.markOrder("RC-DUP-1", "PAID");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> recon.get("/api/mismatches?key=RC-DUP-1").get("total").asInt() == 1);
        long id = recon.mismatch("RC-DUP-1", "DUPLICATE").get("mismatch").get("id").asLong();

        await().atMost(Duration.ofSeconds(20)).until(() -> recon.status(id).equals("CONFIRMED"));
        JsonNode state = recon.get("/api/mismatches/" + id + "/recheck");
        assertThat(state.get("attempts").asInt()).isEqualTo(3);
        assertThat(state.get("lastError").asString()).contains("no_such_ledger");
        assertThat(lastHistory(id).get("note").asString()).contains("failed 3 times").contains("confirmed without it");
        await().atMost(Duration.ofSeconds(10)).until(() -> alertsFor("RC-DUP-1") == 1);
    }

    @Test
    void recheckNowIsRefusedWhenItCannotDecideAnything() {
        long id = amountMismatch("RC-AMT-3");
        await().atMost(Duration.ofSeconds(20)).until(() -> recon.status(id).equals("CONFIRMED"));

        HttpResponse<String> closed = recon.post("/api/mismatches/" + id + "/recheck", "", "handler");
        assertThat(closed.statusCode()).isEqualTo(409);
        assertThat(closed.body()).contains("it is CONFIRMED");
        assertThat(recon.post("/api/mismatches/999999/recheck", "", "handler").statusCode()).isEqualTo(404);
        assertThat(recon.post("/api/mismatches/" + id + "/recheck", "", "viewer").statusCode()).isEqualTo(403);
    }

    private static long amountMismatch(String order) {
        try (DemoScript script = recon.script()) {
            script.overpaidFlow(order, Instant.now());
        }
        return recon.awaitMismatch(order, "AMOUNT");
    }

    private static JsonNode lastHistory(long id) {
        JsonNode history = recon.get("/api/mismatches/" + id).get("history");
        return history.get(history.size() - 1);
    }

    private static long alertsFor(String key) {
        return receiver.all().stream().filter(r -> key.equals(r.body().get("details").path("key").asString(""))).count();
    }
}
