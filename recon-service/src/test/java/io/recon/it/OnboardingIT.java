package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import io.recon.demo.TrafficGenerator;
import io.recon.system.KafkaEndpoint;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A new reconciliation task onboarded on the running service while the demo traffic runs, through the API only: a new
 * schema with two tables and a Kafka topic, a task group {@code refunds}, rules for it published and activated, its
 * sources registered; its injected faults are found exactly, and the {@code trade} task still finds exactly the demo's
 * injected faults (what it finds without the onboarding, DemoTrafficIT). No restart, no YAML, no Java.
 */
@RunsAlone
class OnboardingIT {

    private static final String REFUND_RULES = """
            package recon.refunds

            import java.math.BigDecimal
            import io.recon.rules.Mismatch
            import io.recon.rules.Severity
            import io.recon.rules.Tolerance

            declare Refund
                @role( event ) @timestamp( requestedAt ) @expires( 10m )
                refundId    : String
                orderId     : String
                amount      : BigDecimal
                requestedAt : long
            end

            declare Payout
                @role( event ) @timestamp( paidAt ) @expires( 10m )
                payoutId : String
                refundId : String
                amount   : BigDecimal
                paidAt   : long
            end

            declare Approval
                @role( event ) @timestamp( approvedAt ) @expires( 10m )
                approvalId : String
                refundId   : String
                amount     : BigDecimal
                approvedAt : long
            end

            rule "Every refund is paid out within 20 seconds"
            when
                $r : Refund( $id : refundId )
                not Payout( refundId == $id, this after[ 0s, 20s ] $r )
                not Payout( refundId == $id )
            then
                insertLogical( Mismatch.of( "MISSING", Severity.P2, $id, "Refund " + $id + " has no payout 20 seconds after it was requested.", $r ) );
            end

            rule "A payout pays what was approved"
            when
                $p : Payout( $id : refundId, $paid : amount )
                $a : Approval( refundId == $id, Tolerance.differsBy( amount, $paid, 0.01 ) )
            then
                insertLogical( Mismatch.of( "AMOUNT", Severity.P1, $id, "Refund " + $id + " was approved for " + $a.getAmount() + " but paid out " + $paid + ".", $p, $a ) );
            end
            """;

    private ReconInstance recon;

    @Test
    void aRefundTaskIsOnboardedLiveAndFindsExactlyItsFaultsWhileTradeFindsExactlyTheDemos() throws Exception {
        try (ReconInstance started = ReconInstance.start(ReconTestSupport.newWorkDir("onboarding"),
                "recon.demo.traffic=true", "recon.demo.rate=10", "recon.demo.fault-ratio=0.5", "recon.demo.late-ratio=0.2")) {
            recon = started;
            Thread.sleep(20_000); // the demo's traffic alone first: the baseline of its commit -> mismatch latency
            java.util.Map<Double, Long> before = latencyBuckets("trade", "AMOUNT");
            JdbcTemplate pay = recon.bean(DemoSystems.class).jdbc("pay");
            pay.execute("create schema refunds");
            pay.execute("create table refunds.requests (refund_id text primary key, order_id text not null, amount numeric(12,2) not null,"
                    + " requested_at timestamptz not null)");
            pay.execute("create table refunds.payouts (payout_id text primary key, refund_id text not null, amount numeric(12,2) not null,"
                    + " paid_at timestamptz not null)");
            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, recon.bean(KafkaEndpoint.class).bootstrap());
            try (Admin kafka = Admin.create(admin)) {
                kafka.createTopics(Set.of(new NewTopic("refunds.approvals", 1, (short) 1))).all().get();
            }

            // published for the new task group alone: trade's rules come from the active version as they are
            ObjectNode draft = ReconInstance.JSON.createObjectNode().put("version", "1.1.0").put("notes", "refunds task group")
                    .put("task", "refunds");
            ArrayNode files = draft.putArray("files");
            files.addObject().put("name", "recon/refunds/refunds.drl").put("content", REFUND_RULES);
            ObjectNode stray = draft.deepCopy();
            ((ArrayNode) stray.get("files")).addObject().put("name", "recon/trade/extra.drl").put("content", "package recon.trade\n");
            HttpResponse<String> refused = recon.send("POST", "/api/releases", stray.put("version", "1.0.9").toString(), "analyst");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("takes its files only", "recon/trade/extra.drl");
            HttpResponse<String> published = recon.send("POST", "/api/releases", draft.toString(), "analyst");
            assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
            ok(recon.send("POST", "/api/releases/1.1.0/activate", null, "releaser"));
            ok(recon.send("PUT", "/api/tasks/refunds", "{\"partitions\": 2}", "analyst")); // the package recon.refunds made its KieBase

            long put = System.nanoTime();
            ok(recon.send("PUT", "/api/sources/refund-requests", """
                    {"kind": "TABLE", "database": "pay", "table": "refunds.requests", "task": "refunds", "type": "recon.refunds.Refund",
                     "key": "refundId", "id": "refundId", "eventTime": "requestedAt"}""", "analyst"));
            ok(recon.send("PUT", "/api/sources/refund-payouts", """
                    {"kind": "TABLE", "database": "pay", "table": "refunds.payouts", "task": "refunds", "type": "recon.refunds.Payout",
                     "key": "refundId", "id": "payoutId", "eventTime": "paidAt"}""", "analyst"));
            ok(recon.send("PUT", "/api/sources/refund-approvals", """
                    {"kind": "TOPIC", "topic": "refunds.approvals", "task": "refunds", "type": "recon.refunds.Approval",
                     "key": "refundId", "id": "approvalId", "eventTime": "approvedAt"}""", "analyst"));

            // 12 refunds: are never paid out, R-5 and R-10 are paid out other amounts than approved
            Instant t0 = Instant.now();
            try (KafkaProducer<String, String> producer = producer()) {
                for (int i = 1; i <= 12; i++) {
                    String id = "R-" + i;
                    Instant at = t0.plusMillis(i * 100L);
                    pay.update("insert into refunds.requests values (?, ?, ?, ?)", id, "O-" + i, 10.00 + i, Timestamp.from(at));
                    producer.send(new ProducerRecord<>("refunds.approvals", id, "{\"approvalId\": \"A-" + i + "\", \"refundId\": \"" + id
                            + "\", \"amount\": " + (10.00 + i) + ", \"approvedAt\": " + at.plusMillis(50).toEpochMilli() + "}"));
                    if (i != 3 && i != 8) {
                        double paid = i == 5 || i == 10 ? 10.00 + i + 1 : 10.00 + i;
                        pay.update("insert into refunds.payouts values (?, ?, ?, ?)", "PO-" + i, id, paid, Timestamp.from(at.plusMillis(500)));
                    }
                }
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> liveFacts("refunds") > 0);
            long firstFact = (System.nanoTime() - put) / 1_000_000;

            Set<String> expected = Set.of("R-3 MISSING", "R-8 MISSING", "R-5 AMOUNT", "R-10 AMOUNT");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(recon.findings("refunds")).isEqualTo(expected));

            java.util.Map<Double, Long> during = latencyBuckets("trade", "AMOUNT");
            TrafficGenerator generator = recon.bean(TrafficGenerator.class);
            generator.stopStartingFlows();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(recon.findings("trade")).isEqualTo(recon.injectedFaults()));
            Thread.sleep(TradeDay.QUIET_PERIOD.toMillis());
            assertThat(recon.findings("trade")).isEqualTo(recon.injectedFaults());
            assertThat(recon.findings("refunds")).isEqualTo(expected);
            assertThat(recon.get("/api/tasks/refunds").get("sources").toString()).contains("refund-requests", "refund-payouts", "refund-approvals");
            System.out.printf("ONBOARDING-FIGURE PUT /api/sources/refund-requests to the first fact of the new task in a session: %d ms%n", firstFact);
            System.out.printf("ONBOARDING-FIGURE trade commit -> AMOUNT mismatch p99 (histogram bucket bound): %s before the onboarding (%d findings),"
                    + " %s during it (%d findings)%n", p99(before, java.util.Map.of()), total(before, java.util.Map.of()),
                    p99(during, before), total(during, before));
        }
    }

    /**
     * The cumulative counts of the task's commit -> mismatch histogram for one type, by bucket bound (seconds): AMOUNT
     * is found as soon as both records are in (a MISSING waits for its window by design).
     */
    private java.util.Map<Double, Long> latencyBuckets(String task, String type) {
        java.util.Map<Double, Long> buckets = new java.util.TreeMap<>();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "recon_mismatch_latency_seconds_bucket\\{.*task=\"" + task + "\".*type=\"" + type + "\".*le=\"([^\"]+)\".*} ([0-9.eE+]+)");
        for (String text : recon.getText("/actuator/prometheus").split("\n")) {
            java.util.regex.Matcher m = line.matcher(text);
            if (m.matches() && !m.group(1).equals("+Inf")) {
                buckets.merge(Double.parseDouble(m.group(1)), (long) Double.parseDouble(m.group(2)), Long::sum);
            }
        }
        return buckets;
    }

    private static long total(java.util.Map<Double, Long> now, java.util.Map<Double, Long> then) {
        return now.isEmpty() ? 0 : now.get(((java.util.TreeMap<Double, Long>) now).lastKey()) - then.getOrDefault(((java.util.TreeMap<Double, Long>) now).lastKey(), 0L);
    }

    /** The smallest bucket bound holding 99% of the findings between two snapshots, in ms. */
    private static String p99(java.util.Map<Double, Long> now, java.util.Map<Double, Long> then) {
        long total = total(now, then);
        for (java.util.Map.Entry<Double, Long> bucket : now.entrySet()) {
            if (total > 0 && bucket.getValue() - then.getOrDefault(bucket.getKey(), 0L) >= Math.ceil(total * 0.99)) {
                return "<= " + Math.round(bucket.getKey() * 1000) + " ms";
            }
        }
        return total == 0 ? "no findings" : "above the largest bucket";
    }

    /** Live facts in the task's sessions, as /actuator/recon shows them. */
    private long liveFacts(String task) {
        long facts = 0;
        for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
            if (task.equals(session.get("task").asString())) {
                for (JsonNode count : session.get("liveFactsByType")) {
                    facts += count.asLong();
                }
            }
        }
        return facts;
    }



    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, recon.bean(KafkaEndpoint.class).bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

}
