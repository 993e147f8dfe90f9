package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Re-check and repair over the queue's filter, on the real pipeline: second checks planned an hour
 * out (so the mismatches wait OPEN, as a backlog does), a batch re-check over a type heals those the
 * payment system's ledger has settled meanwhile and confirms the others; a batch repair over a type
 * sends one callback per mismatch through the outbox, and once only; the dry run's count is what the
 * batch then touches. The batch limit is 5 here, so that going over it is cheap to show.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueBatchIT {

    private static WebhookReceiver paySystem;
    private static ReconInstance recon;

    @BeforeAll
    static void start() throws Exception {
        paySystem = new WebhookReceiver("/reverse");
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("queue-batch"),
                "recon.queue.batch-limit=5",
                "recon.recheck.checks.settled.task=trade",
                "recon.recheck.checks.settled.type=AMOUNT",
                "recon.recheck.checks.settled.delay=1h",
                "recon.recheck.checks.settled.database=pay",
                "recon.recheck.checks.settled.sql=select not exists (select 1 from settlement where order_id = :key and status = 'SETTLED')",
                "recon.recheck.checks.reversed.task=trade",
                "recon.recheck.checks.reversed.type=DUPLICATE",
                "recon.recheck.checks.reversed.delay=1h",
                "recon.recheck.checks.reversed.database=pay",
                "recon.recheck.checks.reversed.sql=select not exists (select 1 from reversal where order_id = :key)",
                "recon.repairs.dup-reverse.task=trade",
                "recon.repairs.dup-reverse.type=DUPLICATE",
                "recon.repairs.dup-reverse.kind=http",
                "recon.repairs.dup-reverse.url=" + paySystem.url("/reverse"));
        var pay = recon.bean(DemoSystems.class).jdbc("pay");
        pay.execute("create table settlement (order_id text primary key, status text not null)");
        pay.execute("create table reversal (order_id text primary key)");
        // the payment system reverses the duplicate it is told about
        paySystem.onAccepted("/reverse", command -> pay.update("insert into reversal values (?) on conflict do nothing", command.get("key").asString()));
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
        if (paySystem != null) {
            paySystem.close();
        }
    }

    @Test
    @Order(1)
    void aBatchRecheckOverATypeHealsWhatTheLedgerHasSettledAndConfirmsTheRest() {
        long settled1 = amountMismatch("QB-AMT-1");
        long settled2 = amountMismatch("QB-AMT-2");
        long unsettled = amountMismatch("QB-AMT-3");
        var pay = recon.bean(DemoSystems.class).jdbc("pay");
        pay.update("insert into settlement values ('QB-AMT-1', 'SETTLED'), ('QB-AMT-2', 'SETTLED')"); // the late data arrives
        assertThat(List.of(recon.status(settled1), recon.status(settled2), recon.status(unsettled))).containsOnly("OPEN");

        JsonNode preview = post("/api/mismatches/batch/recheck?type=AMOUNT&dryRun=true", "handler", 200);
        assertThat(preview.get("matched").asInt()).isEqualTo(3);
        assertThat(preview.get("applied").asInt()).isEqualTo(3);
        assertThat(Instant.parse(recon.get("/api/mismatches/" + settled1 + "/recheck").get("dueAt").asString()))
                .as("a dry run plans nothing").isAfter(Instant.now().plusSeconds(1800));

        JsonNode done = post("/api/mismatches/batch/recheck?type=AMOUNT", "handler", 202);
        assertThat(done.get("applied").asInt()).isEqualTo(preview.get("applied").asInt());
        assertThat(done.get("refusedCount").asInt()).isZero();

        await().atMost(Duration.ofSeconds(20)).until(() -> recon.status(settled1).equals("AUTO_RESOLVED")
                && recon.status(settled2).equals("AUTO_RESOLVED") && recon.status(unsettled).equals("CONFIRMED"));
        assertThat(lastHistory(settled1).get("actor").asString()).isEqualTo("recheck");
        assertThat(lastHistory(settled1).get("note").asString()).contains("'settled'").contains("no longer shows the mismatch");
        assertThat(lastHistory(unsettled).get("note").asString()).contains("still shows the mismatch");

        // again: nothing is OPEN any more, and each refusal says why
        JsonNode again = post("/api/mismatches/batch/recheck?type=AMOUNT", "handler", 202);
        assertThat(again.get("applied").asInt()).isZero();
        assertThat(again.get("refusedCount").asInt()).isEqualTo(3);
        assertThat(again.get("refused").get(0).get("reason").asString()).contains("a second check decides only OPEN mismatches");
    }

    @Test
    @Order(2)
    void aBatchRepairOverATypeSendsOneRepairPerMismatchThroughTheOutboxAndNoneTwice() throws Exception {
        List<String> orders = List.of("QB-DUP-1", "QB-DUP-2", "QB-DUP-3");
        List<Long> ids = orders.stream().map(QueueBatchIT::duplicateMismatch).toList();

        JsonNode preview = post("/api/mismatches/batch/repair?type=DUPLICATE&status=OPEN&dryRun=true", "handler", 200);
        assertThat(preview.get("applied").asInt()).isEqualTo(3);
        assertThat(paySystem.received("/reverse")).as("a dry run sends nothing").isEmpty();

        JsonNode done = post("/api/mismatches/batch/repair?type=DUPLICATE&status=OPEN", "handler", 202);
        assertThat(done.get("applied").asInt()).isEqualTo(preview.get("applied").asInt());
        // delivered, then checked at once: the ledger shows the reversal, the mismatch is healed
        for (long id : ids) {
            await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(id).equals("AUTO_RESOLVED"));
            assertThat(notes(id)).anyMatch(n -> n.equals("handler: OPEN -> REPAIRING repair 'dup-reverse' started: HTTP callback to "
                    + paySystem.url("/reverse")));
            assertThat(recon.get("/api/actions?mismatchId=" + id + "&kind=REPAIR").get("total").asInt()).isEqualTo(1);
        }

        // a second batch over the same filter finds nothing to repair and sends nothing
        JsonNode again = post("/api/mismatches/batch/repair?type=DUPLICATE", "handler", 202);
        assertThat(again.get("applied").asInt()).isZero();
        assertThat(again.get("refused").get(0).get("reason").asString()).contains("it is AUTO_RESOLVED");
        Thread.sleep(1_000);
        Map<String, Long> perKey = paySystem.keyCounts();
        assertThat(paySystem.received("/reverse")).hasSize(3);
        assertThat(paySystem.received("/reverse").stream().map(r -> r.body().get("key").asString())).containsExactlyInAnyOrderElementsOf(orders);
        assertThat(perKey.values()).containsOnly(1L);
    }

    @Test
    @Order(3)
    void aBatchIsRefusedToAViewerWithoutAFilterAndOverTheLimitSayingHowMany() {
        assertThat(recon.post("/api/mismatches/batch/repair?type=DUPLICATE", "", "viewer").statusCode()).isEqualTo(403);
        assertThat(recon.post("/api/mismatches/batch/recheck?type=AMOUNT&dryRun=true", "", "viewer").statusCode()).isEqualTo(403);

        HttpResponse<String> none = recon.post("/api/mismatches/batch/recheck", "", "handler");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains("a batch recheck needs at least one filter");
        assertThat(recon.post("/api/mismatches/batch/repair?dryRun=true", "", "handler").statusCode()).isEqualTo(400);

        long matched = recon.get("/api/mismatches?task=trade").get("total").asLong(); // the six mismatches above, at least
        JsonNode preview = post("/api/mismatches/batch/repair?task=trade&dryRun=true", "handler", 200);
        assertThat(preview.get("matched").asLong()).isEqualTo(matched).isGreaterThan(5);
        assertThat(preview.get("limit").asInt()).isEqualTo(5);
        HttpResponse<String> over = recon.post("/api/mismatches/batch/repair?task=trade", "", "handler");
        assertThat(over.statusCode()).isEqualTo(400);
        assertThat(ReconInstance.JSON.readTree(over.body()).get("error").asString()).isEqualTo("the filter matches " + matched
                + " mismatches; a batch repair acts on at most 5 at a time: narrow the filter (task, type, status, key, from, to) and repeat");
    }

    private static JsonNode post(String path, String user, int expected) {
        HttpResponse<String> response = recon.post(path, "", user);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return ReconInstance.JSON.readTree(response.body());
    }

    private static long amountMismatch(String order) {
        try (DemoScript script = recon.script()) {
            script.overpaidFlow(order, Instant.now());
        }
        return recon.awaitMismatch(order, "AMOUNT");
    }

    private static long duplicateMismatch(String order) {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.order(order, "50.00", t0);
            script.payment("P-" + order + "a", order, "50.00", "SUCCESS", t0.plusMillis(200));
            script.payment("P-" + order + "b", order, "50.00", "SUCCESS", t0.plusMillis(400));
            script.markOrder(order, "PAID");
        }
        return recon.awaitMismatch(order, "DUPLICATE");
    }

    private static JsonNode lastHistory(long id) {
        JsonNode history = recon.get("/api/mismatches/" + id).get("history");
        return history.get(history.size() - 1);
    }

    private static List<String> notes(long id) {
        List<String> notes = new java.util.ArrayList<>();
        recon.get("/api/mismatches/" + id).get("history").forEach(h -> notes.add(h.get("actor").asString() + ": " + h.get("from").asString("")
                + " -> " + h.get("to").asString() + " " + h.get("note").asString()));
        return notes;
    }
}
