package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import io.recon.system.KafkaEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Repairs through the outbox: an HTTP callback to the payment system (which fixes the amount; the
 * check after the repair, or the healed data, resolves the mismatch), a command on a Kafka topic, a
 * SQL statement on the shop's database, and a callback that keeps failing, which leaves the mismatch
 * REPAIR_FAILED with the reason until a handler starts the repair again.
 */
class RepairIT {

    private static WebhookReceiver paySystem;
    private static ReconInstance recon;

    @BeforeAll
    static void start() throws Exception {
        paySystem = new WebhookReceiver("/repair");
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("repair"),
                "recon.repairs.amount-refund.task=trade",
                "recon.repairs.amount-refund.type=AMOUNT",
                "recon.repairs.amount-refund.kind=http",
                "recon.repairs.amount-refund.url=" + paySystem.url("/repair"),
                "recon.repairs.dup-reverse.task=trade",
                "recon.repairs.dup-reverse.type=DUPLICATE",
                "recon.repairs.dup-reverse.kind=kafka",
                "recon.repairs.dup-reverse.topic=pay.commands",
                "recon.repairs.mark-paid.task=trade",
                "recon.repairs.mark-paid.type=STATUS",
                "recon.repairs.mark-paid.kind=sql",
                "recon.repairs.mark-paid.database=shop",
                "recon.repairs.mark-paid.sql=update orders set status = 'PAID', updated_at = now() where order_id = :key and status <> 'PAID'",
                "recon.recheck.checks.amount.task=trade",
                "recon.recheck.checks.amount.type=AMOUNT",
                "recon.recheck.checks.amount.delay=300ms",
                "recon.recheck.checks.amount.database=pay",
                "recon.recheck.checks.amount.sql=select bool_or(amount <> 100.00) from payments where order_id = :key",
                "recon.alerts.dispatch.max-attempts=2",
                "recon.alerts.dispatch.initial-backoff=100ms");
        // The payment system corrects the payment it is told about.
        paySystem.onAccepted("/repair", command -> recon.bean(DemoSystems.class).jdbc("pay")
                .update("update payments set amount = 100.00 where order_id = ?", command.get("key").asString()));
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
    void aConfirmedMismatchIsRepairedByHttpCallbackAndResolvedAfterwards() {
        long id = amountMismatch("RP-AMT-1");

        await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(id).equals("AUTO_RESOLVED"));
        List<WebhookReceiver.Received> calls = paySystem.received("/repair").stream()
                .filter(r -> r.body().get("key").asString().equals("RP-AMT-1")).toList();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).idempotencyKey()).isEqualTo("mismatch-" + id + "-repair-1-amount-refund");
        assertThat(calls.get(0).body().get("reason").asString()).contains("105");
        assertThat(notes(id)).anyMatch(n -> n.startsWith("repair: CONFIRMED -> REPAIRING repair 'amount-refund' started: HTTP callback"))
                .anyMatch(n -> n.contains("repair 'amount-refund' delivered: HTTP 200"));
    }

    @Test
    void aRepairThatKeepsFailingLeavesTheMismatchRepairFailedWithTheReason() {
        paySystem.failNext("/repair", 10);
        try {
            long id = amountMismatch("RP-AMT-2");

            await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(id).equals("REPAIR_FAILED"));
            assertThat(notes(id)).anyMatch(n -> n.equals("repair: REPAIRING -> REPAIR_FAILED repair 'amount-refund' failed after 2 attempts: HTTP 500: receiver down"));
            JsonNode action = recon.get("/api/actions?mismatchId=" + id + "&kind=REPAIR").get("items").get(0);
            assertThat(action.get("status").asString()).isEqualTo("FAILED");
            assertThat(action.get("attemptLog")).hasSize(2);

            paySystem.failNext("/repair", 0);
            var again = recon.post("/api/mismatches/" + id + "/repair", "", "handler");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(id).equals("AUTO_RESOLVED"));
            assertThat(notes(id)).anyMatch(n -> n.equals("handler: REPAIR_FAILED -> REPAIRING repair 'amount-refund' started: HTTP callback to "
                    + paySystem.url("/repair")));
            assertThat(paySystem.received("/repair")).anyMatch(r -> r.idempotencyKey().equals("mismatch-" + id + "-repair-manual-2-amount-refund"));
        } finally {
            paySystem.failNext("/repair", 0);
        }
    }

    @Test
    void anOrderLeftUnmarkedIsRepairedBySqlOnTheShopDatabase() {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.order("RP-STAT-1", "70.00", t0);
            script.payment("P-RP-STAT-1", "RP-STAT-1", "70.00", "SUCCESS", t0.plusMillis(200));
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> recon.get("/api/mismatches?key=RP-STAT-1").get("total").asInt() == 1);
        long id = recon.mismatch("RP-STAT-1", "STATUS").get("mismatch").get("id").asLong();

        await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(id).equals("AUTO_RESOLVED"));
        assertThat(notes(id)).anyMatch(n -> n.endsWith("repair 'mark-paid' delivered: SQL on shop changed 1 row"));
        assertThat(recon.bean(DemoSystems.class).jdbc("shop").queryForObject("select status from orders where order_id = 'RP-STAT-1'", String.class))
                .isEqualTo("PAID");
        long repaired = 0;
        for (JsonNode bucket : recon.get("/api/stats?task=trade&granularity=1d").get("buckets")) {
            repaired += bucket.get("repaired").asLong();
        }
        assertThat(repaired).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aDuplicatePaymentIsRepairedByACommandOnTheOwningSystemsKafkaTopic() {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.order("RP-DUP-1", "50.00", t0);
            script.payment("P-RP-DUP-1a", "RP-DUP-1", "50.00", "SUCCESS", t0.plusMillis(200));
            script.payment("P-RP-DUP-1b", "RP-DUP-1", "50.00", "SUCCESS", t0.plusMillis(400));
            script.markOrder("RP-DUP-1", "PAID");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> recon.get("/api/mismatches?key=RP-DUP-1").get("total").asInt() == 1);
        long id = recon.mismatch("RP-DUP-1", "DUPLICATE").get("mismatch").get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> notes(id).stream().anyMatch(n -> n.contains("delivered: written to pay.commands")));

        List<ConsumerRecord<String, String>> commands = commands();
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).key()).isEqualTo("RP-DUP-1");
        assertThat(new String(commands.get(0).headers().lastHeader("Idempotency-Key").value(), StandardCharsets.UTF_8))
                .isEqualTo("mismatch-" + id + "-repair-1-dup-reverse");
        JsonNode command = ReconInstance.JSON.readTree(commands.get(0).value());
        assertThat(command.get("command").asString()).isEqualTo("repair");
        assertThat(command.get("type").asString()).isEqualTo("DUPLICATE");
        assertThat(recon.status(id)).isEqualTo("REPAIRING");
        var again = recon.post("/api/mismatches/" + id + "/repair", "", "handler");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("it is REPAIRING");
    }

    private static List<ConsumerRecord<String, String>> commands() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, recon.bean(KafkaEndpoint.class).bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "repair-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("pay.commands"));
            long deadline = System.currentTimeMillis() + 15_000;
            while (records.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static long amountMismatch(String order) {
        try (DemoScript script = recon.script()) {
            script.overpaidFlow(order, Instant.now());
        }
        return recon.awaitMismatch(order, "AMOUNT");
    }

    private static List<String> notes(long id) {
        List<String> notes = new ArrayList<>();
        recon.get("/api/mismatches/" + id).get("history").forEach(h -> notes.add(h.get("actor").asString() + ": " + h.get("from").asString("")
                + " -> " + h.get("to").asString() + " " + h.get("note").asString()));
        return notes;
    }
}
