package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7, section 2: what CDC does with every kind of change, on the demo's captured tables. A
 * TRUNCATE is kept as a notice; a delete under a replica identity that sends only the primary key
 * still retracts; an update that moves a payment to another order retracts it under the old one; a
 * dropped or retyped column makes the change a dead letter naming the column; a renamed table turns
 * the capture health DOWN with the new name. After each, a good record on the same order is checked
 * as usual and every session keeps RUNNING. Everything is written at start, in this order, so that
 * the windows close together.
 */
class CdcChangesIT {

    private static ReconInstance recon;
    private static String movedFrom;
    private static String movedTo;

    @BeforeAll
    static void start() throws Exception {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("cdcchanges"));
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            JdbcTemplate shop = recon.bean(DemoSystems.class).jdbc("shop");
            JdbcTemplate pay = recon.bean(DemoSystems.class).jdbc("pay");
            JdbcTemplate wms = recon.bean(DemoSystems.class).jdbc("wms");

            awaitStreaming(script);

            // Bad rows in a captured table, each followed by a good change of the same order.
            shop.update("insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at)"
                    + " values ('CB-PAST', 'C-1', 10.00, 'EUR', 'CREATED', '1960-01-01T00:00:00Z', now())");
            shop.update("update orders set created_at = ? where order_id = 'CB-PAST'", java.sql.Timestamp.from(t0));
            shop.update("insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at)"
                    + " values ('CB-HUGE', ?, 10.00, 'EUR', 'CREATED', now(), now())", "c".repeat(1_200_000));
            shop.update("update orders set customer_id = 'C-1' where order_id = 'CB-HUGE'");
            script.order("CB-LONG" + "x".repeat(3000), "10.00", t0);
            script.order("CB-LONG", "10.00", t0);

            wms.execute("truncate table shipments");
            script.shipment("S-CT-1", "CT-1", t0);                           // unpaid: UNPAID_SHIPMENT

            pay.execute("alter table payments replica identity default");   // deletes now carry the primary key only
            script.order("CD-1", "10.00", t0);
            script.payment("P-CD-1", "CD-1", "10.00", "SUCCESS", t0.plusMillis(100));
            pay.update("delete from payments where payment_id = 'P-CD-1'"); // retracted: MISSING
            pay.execute("alter table payments replica identity full");

            movedFrom = keyInPartition("CK-A", 0);
            movedTo = keyInPartition("CK-B", 1);
            script.order(movedFrom, "10.00", t0);
            script.order(movedTo, "10.00", t0);
            script.payment("P-CK-1", movedFrom, "10.00", "SUCCESS", t0.plusMillis(100));
            pay.update("update payments set order_id = ? where payment_id = 'P-CK-1'", movedTo); // MISSING for the old order only

            wms.execute("alter table shipments drop column carrier");
            wms.update("insert into shipments (shipment_id, order_id, status, shipped_at) values ('S-CC-1', 'CC-1', 'SHIPPED', now())");
            script.order("CC-1", "10.00", t0);                               // its shipment is a dead letter: MISSING only

            pay.execute("alter table payments alter column paid_at type bigint using (extract(epoch from paid_at))::bigint");
            pay.update("insert into payments (payment_id, order_id, amount, currency, status, paid_at) values"
                    + " ('P-CR-1', 'CR-1', 10.00, 'EUR', 'SUCCESS', ?)", t0.getEpochSecond());
            script.order("CR-1", "10.00", t0);                               // its payment is a dead letter: MISSING

            wms.execute("alter table shipments rename to shipments_archive");
            script.order("CN-1", "10.00", t0);                               // the other tables go on: MISSING
            shop.getClass(); // all three demo databases written
        }
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void aCapturedRowWithAnEventTimeBefore1970IsADeadLetterAndItsCorrectionCounts() {
        assertThat(deadLetter("shop-orders", "before 1970").get("reason").asString()).contains("field 'createdAt'");
        awaitMismatch("CB-PAST", "MISSING");
        allSessionsRun();
    }

    @Test
    void aCapturedRowLargerThanKafkaTakesIsADeadLetterNamingItsLargestField() {
        assertThat(deadLetter("shop-orders", "largest field").get("reason").asString()).contains("'customerId' (1200000 characters)");
        awaitMismatch("CB-HUGE", "MISSING");
        allSessionsRun();
    }

    @Test
    void aCapturedRowWithAKeyLongerThanTheIndexHoldsIsADeadLetter() {
        assertThat(deadLetter("shop-orders", "correlation key field").get("reason").asString()).contains("'orderId' is 3007 bytes");
        awaitMismatch("CB-LONG", "MISSING");
        allSessionsRun();
    }

    @Test
    void aTruncateIsKeptAsANoticeThatSaysWhatReconDoes() {
        JsonNode notice = deadLetter("wms-shipments", "TRUNCATE");
        assertThat(notice.get("kind").asString()).isEqualTo("NOTICE");
        assertThat(notice.get("reason").asString()).contains("TRUNCATE of table public.shipments").contains("keeps the facts");
        awaitMismatch("CT-1", "UNPAID_SHIPMENT");
        allSessionsRun();
    }

    @Test
    void aDeleteCarryingOnlyThePrimaryKeyStillRetractsTheFact() {
        awaitMismatch("CD-1", "MISSING");
        assertThat(count("/api/dead-letters?source=pay-payments&reason=retract")).isZero();
        allSessionsRun();
    }

    @Test
    void anUpdateThatChangesTheCorrelationKeyRetractsTheFactUnderTheOldKey() {
        awaitMismatch(movedFrom, "MISSING");
        assertThat(count("/api/mismatches?key=" + movedTo + "&type=MISSING")).isZero();
        allSessionsRun();
    }

    @Test
    void aDroppedColumnMakesTheChangeADeadLetterNamingTheColumn() {
        assertThat(deadLetter("wms-shipments", "column 'carrier'").get("reason").asString())
                .contains("dropped or renamed").contains("public.shipments");
        awaitMismatch("CC-1", "MISSING");
        allSessionsRun();
    }

    @Test
    void aRetypedColumnMakesTheChangeADeadLetterInsteadOfAWrongTime() {
        assertThat(deadLetter("pay-payments", "column 'paid_at'").get("reason").asString())
                .contains("was timestamp with time zone").contains("Long").contains("retyped");
        awaitMismatch("CR-1", "MISSING");
        allSessionsRun();
    }

    @Test
    void aRenamedTableTurnsTheCaptureHealthDownWithItsNewName() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            java.net.http.HttpResponse<String> health = recon.getAsOperator("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode capture = ReconInstance.JSON.readTree(health.body()).get("components").get("capture");
            assertThat(capture.get("status").asString()).isEqualTo("DOWN");
            assertThat(capture.get("details").get("problems.wms").toString()).contains("public.shipments")
                    .contains("now named public.shipments_archive");
        });
        awaitMismatch("CN-1", "MISSING");
        for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
            assertThat(session.get("state").asString()).isEqualTo("RUNNING");
        }
    }

    /**
     * Until each captured table's first fact arrived: from then on its slot exists and every later
     * write is streamed as a change (before, the snapshot would read only the tables' end state).
     */
    private static void awaitStreaming(DemoScript script) {
        script.order("PROBE-1", "1.00", Instant.now());
        script.payment("P-PROBE-1", "PROBE-1", "1.00", "SUCCESS", Instant.now());
        script.shipment("S-PROBE-1", "PROBE-1", Instant.now());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            java.util.Set<String> types = new java.util.HashSet<>();
            for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
                session.get("liveFactsByType").propertyNames().forEach(types::add);
            }
            return types.containsAll(java.util.List.of("Order", "Payment", "Shipment"));
        });
    }

    private static void awaitMismatch(String key, String type) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(count("/api/mismatches?key=" + key + "&type=" + type)).as(type + " of " + key).isEqualTo(1));
    }

    private static void allSessionsRun() {
        for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
            assertThat(session.get("state").asString()).as("session " + session).isEqualTo("RUNNING");
        }
    }

    private static long count(String path) {
        return recon.get(path).get("total").asLong();
    }

    private static JsonNode deadLetter(String source, String reasonText) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode items = recon.get("/api/dead-letters?source=" + source + "&reason=" + reasonText.replace(" ", "%20").replace("'", "%27"))
                    .get("items");
            found[0] = items.size() == 1 ? items.get(0) : null;
            return found[0] != null;
        });
        return found[0];
    }

    /** A key of this prefix that the facts topic's two partitions put into the given one. */
    private static String keyInPartition(String prefix, int partition) {
        for (int i = 0; ; i++) {
            String key = prefix + "-" + i;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
                return key;
            }
        }
    }
}
