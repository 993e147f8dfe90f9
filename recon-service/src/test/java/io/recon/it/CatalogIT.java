package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import io.recon.system.KafkaEndpoint;
import io.recon.system.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The catalog as live data, on the full service while the demo traffic runs: a new topic source and a new table
 * source registered through the API feed the trade task's sessions without a restart (their facts meet the demo's
 * orders and a mismatch is found); every validation rule refuses with a sentence naming what to fix; a task switched
 * off loses nothing; a database password is never returned.
 */
class CatalogIT {

    private static final String DB_PASSWORD = "Catalog-Secret-5Hq9Y";
    private static ReconInstance recon;
    private static DemoScript script;

    @BeforeAll
    static void start() throws Exception {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("catalog"), "recon.demo.traffic=true", "recon.demo.rate=3");
        script = recon.script();
        // the sessions' clock runs once the demo's sources have caught up: only then is a new fact matched at once
        script.overpaidFlow("CAT-WARM-1", Instant.now());
        awaitMismatch("CAT-WARM-1", "AMOUNT");
        JdbcTemplate pay = recon.bean(DemoSystems.class).jdbc("pay");
        pay.execute("create table if not exists public.card_payments (payment_id text primary key, order_id text not null,"
                + " amount numeric(12,2) not null, currency text not null, status text not null, paid_at timestamptz not null)");
        pay.execute("create table if not exists public.no_key (id text primary key, amount numeric(12,2), paid_at timestamptz)");
        pay.execute("create table if not exists public.hidden_rows (payment_id text primary key, order_id text, amount numeric(12,2),"
                + " currency text, status text, paid_at timestamptz)");
        pay.execute("alter table public.hidden_rows replica identity full");
        pay.execute("create table if not exists public.default_identity (payment_id text primary key, order_id text, amount numeric(12,2),"
                + " currency text, status text, paid_at timestamptz)");
        pay.execute("do $$ begin if not exists (select from pg_roles where rolname = 'limited') then create role limited login; end if; end $$");
        pay.execute("grant select on public.default_identity to limited");
        try (Admin admin = Admin.create(adminProps())) {
            admin.createTopics(Set.of(new NewTopic("wallet.payments", 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        if (script != null) {
            script.close();
        }
        if (recon != null) {
            recon.close();
        }
    }

    private static Properties adminProps() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, recon.bean(KafkaEndpoint.class).bootstrap());
        return props;
    }

    @Test
    void aNewTableSourceFeedsTheRunningSessionsWithoutARestart() {
        long put = System.nanoTime();
        HttpResponse<String> created = recon.send("PUT", "/api/sources/card-payments", """
                {"kind": "TABLE", "database": "pay", "table": "public.card_payments", "task": "trade", "type": "recon.trade.Payment",
                 "key": "orderId", "id": "paymentId", "eventTime": "paidAt"}""", "analyst");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        Instant t0 = Instant.now();
        script.order("CAT-T-1", "100.00", t0);
        recon.bean(DemoSystems.class).jdbc("pay").update("insert into card_payments values ('CARD-1', 'CAT-T-1', 105.00, 'EUR', 'SUCCESS', ?)",
                java.sql.Timestamp.from(t0.plusMillis(200)));
        script.markOrder("CAT-T-1", "PAID");

        awaitMismatch("CAT-T-1", "AMOUNT");
        System.out.printf("CATALOG-FIGURE table source: PUT /api/sources/card-payments to its first fact's mismatch in a session: %d ms%n",
                (System.nanoTime() - put) / 1_000_000);
        assertThat(recon.mismatch("CAT-T-1", "AMOUNT").toString()).contains("CARD-1");
        JsonNode listed = recon.get("/api/sources/card-payments");
        assertThat(listed.get("origin").asString()).isEqualTo("api");
        assertThat(listed.get("status").asString()).isEqualTo("RUNNING");
        assertThat(recon.get("/api/tasks/trade").get("sources").toString()).contains("card-payments", "shop-orders");
    }

    @Test
    void aTableRegisteredWithSnapshotAlsoReadsTheRowsItHasAlready() {
        JdbcTemplate pay = recon.bean(DemoSystems.class).jdbc("pay");
        Instant t0 = Instant.now();
        script.order("CAT-S-1", "100.00", t0);
        pay.execute("create table public.old_payments (payment_id text primary key, order_id text not null, amount numeric(12,2) not null,"
                + " currency text not null, status text not null, paid_at timestamptz not null)");
        pay.update("insert into old_payments values ('OLD-1', 'CAT-S-1', 105.00, 'EUR', 'SUCCESS', ?)", java.sql.Timestamp.from(t0.plusMillis(200)));
        script.markOrder("CAT-S-1", "PAID");

        HttpResponse<String> created = recon.send("PUT", "/api/sources/old-payments?snapshot=true", """
                {"kind": "TABLE", "database": "pay", "table": "public.old_payments", "task": "trade", "type": "recon.trade.Payment",
                 "key": "orderId", "id": "paymentId", "eventTime": "paidAt"}""", "operator");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        awaitMismatch("CAT-S-1", "AMOUNT");
        assertThat(recon.mismatch("CAT-S-1", "AMOUNT").toString()).contains("OLD-1");
    }

    @Test
    void aNewDatabaseGetsItsOwnCaptureAndADeletedOneStopsWithItsSlot() {
        JdbcTemplate pay = recon.bean(DemoSystems.class).jdbc("pay");
        pay.execute("create table public.mirror_payments (payment_id text primary key, order_id text not null, amount numeric(12,2) not null,"
                + " currency text not null, status text not null, paid_at timestamptz not null)");
        HttpResponse<String> db = recon.send("PUT", "/api/databases/pay-mirror", "{\"host\": \"127.0.0.1\", \"port\": "
                + recon.bean(EmbeddedPostgres.class).port() + ", \"database\": \"pay\", \"username\": \"postgres\"}", "operator");
        assertThat(db.statusCode()).as(db.body()).isEqualTo(200);
        HttpResponse<String> source = recon.send("PUT", "/api/sources/mirror-payments", """
                {"kind": "TABLE", "database": "pay-mirror", "table": "public.mirror_payments", "task": "trade", "type": "recon.trade.Payment",
                 "key": "orderId", "id": "paymentId", "eventTime": "paidAt"}""", "operator");
        assertThat(source.statusCode()).as(source.body()).isEqualTo(200);
        Instant t0 = Instant.now();
        script.order("CAT-D-1", "100.00", t0);
        pay.update("insert into mirror_payments values ('MIRROR-1', 'CAT-D-1', 105.00, 'EUR', 'SUCCESS', ?)", java.sql.Timestamp.from(t0.plusMillis(200)));
        script.markOrder("CAT-D-1", "PAID");

        awaitMismatch("CAT-D-1", "AMOUNT");
        assertThat(recon.get("/api/databases/pay-mirror").get("status").asString()).isEqualTo("RUNNING");
        assertThat(slots(pay)).contains("recon_pay_mirror");
        HttpResponse<String> inUse = recon.send("DELETE", "/api/databases/pay-mirror", null, "operator");
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(field(inUse, "message")).contains("still read by the sources [mirror-payments]");
        assertThat(recon.send("DELETE", "/api/sources/mirror-payments", null, "operator").statusCode()).isEqualTo(200);
        assertThat(recon.send("DELETE", "/api/databases/pay-mirror?dropSlot=true", null, "operator").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> !slots(pay).contains("recon_pay_mirror"));
        assertThat(slots(pay)).as("the demo's own captures go on").contains("recon_pay", "recon_shop");
    }

    private static List<String> slots(JdbcTemplate jdbc) {
        return jdbc.queryForList("select slot_name from pg_replication_slots", String.class);
    }

    @Test
    void aNewTopicSourceWithAJsonPathFeedsTheRunningSessions() throws Exception {
        long put = System.nanoTime();
        HttpResponse<String> created = recon.send("PUT", "/api/sources/wallet", """
                {"kind": "TOPIC", "topic": "wallet.payments", "task": "trade", "type": "recon.trade.Payment",
                 "key": "orderId", "id": "paymentId", "eventTime": "paidAt",
                 "fields": {"amount": "$.money.value", "currency": "$.money.currency"}, "filter": "status != 'TEST'"}""", "operator");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        Instant t0 = Instant.now();
        script.order("CAT-W-1", "100.00", t0);
        script.order("CAT-W-2", "100.00", t0);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("wallet.payments", "CAT-W-1", "{\"payment_id\":\"W-1\",\"order_id\":\"CAT-W-1\",\"status\":\"SUCCESS\","
                    + "\"money\":{\"value\":105.00,\"currency\":\"EUR\"},\"paid_at\":\"" + t0.plusMillis(200) + "\"}")).get();
            // a test payment the filter drops: it never becomes a fact, so no AMOUNT for CAT-W-2
            producer.send(new ProducerRecord<>("wallet.payments", "CAT-W-2", "{\"payment_id\":\"W-2\",\"order_id\":\"CAT-W-2\",\"status\":\"TEST\","
                    + "\"money\":{\"value\":1.00,\"currency\":\"EUR\"},\"paid_at\":\"" + t0.plusMillis(200) + "\"}")).get();
        }
        script.markOrder("CAT-W-1", "PAID");

        awaitMismatch("CAT-W-1", "AMOUNT");
        System.out.printf("CATALOG-FIGURE topic source: PUT /api/sources/wallet to its first fact's mismatch in a session: %d ms%n",
                (System.nanoTime() - put) / 1_000_000);
        assertThat(recon.mismatch("CAT-W-1", "AMOUNT").toString()).contains("W-1", "105");
        assertThat(recon.get("/api/mismatches?key=CAT-W-2&type=AMOUNT").get("total").asInt()).isZero();
    }

    @Test
    void everyValidationRuleRefusesWithASentenceNamingWhatToFix() {
        String payment = "\"task\": \"trade\", \"type\": \"recon.trade.Payment\", \"key\": \"orderId\", \"id\": \"paymentId\", \"eventTime\": \"paidAt\"";
        refused("{\"kind\": \"TOPIC\", \"topic\": \"no.such.topic\", " + payment + "}", "topic", "topic no.such.topic does not exist");
        refused("{\"kind\": \"TABLE\", \"database\": \"pay\", \"table\": \"public.no_such_table\", " + payment + "}", "table",
                "table public.no_such_table does not exist");
        refused("{\"kind\": \"TOPIC\", \"topic\": \"wallet.payments\", \"task\": \"trade\", \"type\": \"recon.trade.Refund\", \"key\": \"orderId\"}",
                "type", "the rules declare no fact type recon.trade.Refund");
        refused("{\"kind\": \"TOPIC\", \"topic\": \"wallet.payments\", \"task\": \"trade\", \"type\": \"recon.trade.Payment\", \"key\": \"orderRef\"}",
                "key", "the correlation key field 'orderRef' is not declared in recon.trade.Payment");
        refused("{\"kind\": \"TOPIC\", \"topic\": \"wallet.payments\", \"task\": \"trade\", \"type\": \"recon.trade.Payment\", \"key\": \"amount\"}",
                "key", "the correlation key amount of recon.trade.Payment is a BigDecimal");
        refused("{\"kind\": \"TOPIC\", \"topic\": \"wallet.payments\", \"task\": \"trade\", \"type\": \"recon.trade.Payment\", \"key\": \"orderId\","
                + " \"id\": \"paymentId\", \"eventTime\": \"currency\"}", "eventTime", "the event time currency of recon.trade.Payment is a String");
        refused("{\"kind\": \"TOPIC\", \"topic\": \"wallet.payments\", " + payment + ", \"fields\": {\"refundId\": \"$.ref\"}}", "fields",
                "fields names refundId, which recon.trade.Payment does not declare");
        refused("{\"kind\": \"TABLE\", \"database\": \"pay\", \"table\": \"public.no_key\", " + payment + "}", "key",
                "no column of public.no_key fills the key field orderId");

        // a capture user that may read but does not own: the replica identity cannot be made FULL; a table it may not read
        HttpResponse<String> db = recon.send("PUT", "/api/databases/pay-limited", "{\"host\": \"127.0.0.1\", \"port\": "
                + recon.bean(EmbeddedPostgres.class).port() + ", \"database\": \"pay\", \"username\": \"limited\", \"password\": \""
                + DB_PASSWORD + "\"}", "operator");
        assertThat(db.statusCode()).as(db.body()).isEqualTo(200);
        refused("{\"kind\": \"TABLE\", \"database\": \"pay-limited\", \"table\": \"public.default_identity\", " + payment + "}", "table",
                "has REPLICA IDENTITY DEFAULT (primary key only): its deletes would carry no correlation key");
        refused("{\"kind\": \"TABLE\", \"database\": \"pay-limited\", \"table\": \"public.hidden_rows\", " + payment + "}", "table",
                "user limited cannot read table public.hidden_rows");

        HttpResponse<String> badTask = recon.send("PUT", "/api/tasks/trade", "{\"partitions\": 2, \"sampling\": 1.5}", "analyst");
        assertThat(badTask.statusCode()).isEqualTo(400);
        assertThat(field(badTask, "field")).isEqualTo("sampling");
        HttpResponse<String> deleted = recon.send("DELETE", "/api/databases/pay-limited", null, "operator");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(recon.send("GET", "/api/sources/no-such-source", null, "viewer").statusCode()).isEqualTo(404);
        assertThat(recon.send("PUT", "/api/sources/by-viewer", "{}", "viewer").statusCode()).isEqualTo(403);
    }

    private void refused(String body, String field, String sentence) {
        HttpResponse<String> answer = recon.send("PUT", "/api/sources/refused-one", body, "analyst");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(field(answer, "message")).contains(sentence).startsWith("Source refused-one");
        assertThat(field(answer, "field")).isEqualTo(field);
        assertThat(recon.send("GET", "/api/sources/refused-one", null, "viewer").statusCode()).isEqualTo(404);
    }

    @Test
    void aTaskSwitchedOffLosesNothingAndItsDenyListDropsKeys() {
        JsonNode trade = recon.get("/api/tasks/trade");
        assertThat(trade.get("origin").asString()).isEqualTo("yaml");
        assertThat(recon.send("PUT", "/api/tasks/trade", trade.toString().replace("\"enabled\":true", "\"enabled\":false"), "operator").statusCode())
                .isEqualTo(200);
        try {
            switchedOffAndDenied(trade);
        } finally {
            // the other tests need the trade task on and without a deny list, whatever happened here
            assertThat(recon.send("PUT", "/api/tasks/trade", trade.toString(), "operator").statusCode()).isEqualTo(200);
        }
    }

    private void switchedOffAndDenied(JsonNode trade) {
        // the switch answers once its sessions have taken it: from here on nothing published is consumed
        List<String> states = new java.util.ArrayList<>();
        recon.get("/actuator/recon").get("sessions").forEach(s -> {
            if (s.get("task").asString().equals("trade")) {
                states.add(s.get("state").asString());
            }
        });
        assertThat(states).as("trade sessions when the switch-off returned").isNotEmpty().containsOnly("PAUSED");
        Instant t0 = Instant.now();
        script.overpaidFlow("CAT-OFF-1", t0);
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(recon.get("/api/mismatches?key=CAT-OFF-1&type=AMOUNT").get("total").asInt()).as("found while the task is off").isZero();

        HttpResponse<String> on = recon.send("PUT", "/api/tasks/trade", trade.toString().replace("\"denyKeys\":[]", "\"denyKeys\":[\"CAT-DENY-1\"]"),
                "operator");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        awaitMismatch("CAT-OFF-1", "AMOUNT");
        script.overpaidFlow("CAT-DENY-1", Instant.now());
        script.overpaidFlow("CAT-DENY-2", Instant.now());
        awaitMismatch("CAT-DENY-2", "AMOUNT");
        assertThat(recon.get("/api/mismatches?key=CAT-DENY-1").get("total").asInt()).as("mismatches of a denied key").isZero();

        JsonNode changes = recon.get("/api/catalog/changes?limit=100");
        assertThat(changes.get(0).get("user").asString()).isEqualTo("operator");
        assertThat(changes.get(0).get("kind").asString()).isEqualTo("task");
        assertThat(changes.get(0).get("before").get("enabled").asBoolean()).isFalse();
        assertThat(changes.get(0).get("after").get("denyKeys").toString()).contains("CAT-DENY-1");
    }

    @Test
    void theDemosDatabasesAreListedLikeAnyOtherWithTheirBindingsAndNoPassword() {
        JsonNode databases = recon.get("/api/databases");
        List<String> names = new java.util.ArrayList<>();
        databases.forEach(d -> names.add(d.get("name").asString()));
        assertThat(names).contains("pay", "shop", "wms");
        for (String name : List.of("pay", "shop", "wms")) {
            JsonNode db = recon.get("/api/databases/" + name);
            assertThat(db.get("origin").asString()).isEqualTo("demo");
            assertThat(db.get("port").asInt()).as("where the embedded PostgreSQL runs now").isEqualTo(recon.bean(EmbeddedPostgres.class).port());
            assertThat(db.get("database").asString()).isEqualTo(name);
            assertThat(db.get("passwordSet").asBoolean()).isTrue();
            assertThat(db.has("password")).as("the password is write-only").isFalse();
            assertThat(db.get("status").asString()).as(db.toString()).isEqualTo("RUNNING");
        }
        assertThat(recon.get("/api/sources/shop-orders").get("database").asString()).isEqualTo("shop");
        assertThat(recon.getText("/api/databases") + recon.getText("/api/catalog/changes?limit=1000")).doesNotContain("\"password\":");
        // a demo database is refused like any other while a source reads it
        HttpResponse<String> inUse = recon.send("DELETE", "/api/databases/wms", null, "operator");
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(field(inUse, "message")).contains("still read by the sources [wms-shipments]");
    }

    @Test
    void aDatabasePasswordIsWrittenOnceAndNeverReturned() {
        HttpResponse<String> created = recon.send("PUT", "/api/databases/shop-copy", "{\"host\": \"127.0.0.1\", \"port\": "
                + recon.bean(EmbeddedPostgres.class).port() + ", \"database\": \"shop\", \"username\": \"postgres\", \"password\": \""
                + DB_PASSWORD + "\"}", "operator");
        HttpResponse<String> again = recon.send("PUT", "/api/databases/shop-copy", "{\"host\": \"127.0.0.1\", \"port\": "
                + recon.bean(EmbeddedPostgres.class).port() + ", \"database\": \"shop\", \"username\": \"postgres\"}", "operator");
        HttpResponse<String> byAnalyst = recon.send("PUT", "/api/databases/shop-copy", "{}", "analyst");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(ReconInstance.JSON.readTree(again.body()).get("passwordSet").asBoolean()).as("the password is kept").isTrue();
        assertThat(byAnalyst.statusCode()).isEqualTo(403);
        List<String> answers = List.of(created.body(), again.body(), recon.getText("/api/databases"), recon.getText("/api/databases/shop-copy"),
                recon.getText("/api/catalog/changes?limit=1000"));
        assertThat(String.join("\n", answers)).contains("shop-copy").doesNotContain(DB_PASSWORD);
        String stored = recon.bean(JdbcTemplate.class).queryForObject("select body::text || password_enc from catalog_database where name = 'shop-copy'",
                String.class);
        assertThat(stored).startsWith("{").contains("v1:").doesNotContain(DB_PASSWORD);
        assertThat(recon.send("DELETE", "/api/databases/shop-copy", null, "operator").statusCode()).isEqualTo(200);
    }

    /** Under the shared machine's load a session may take longer than ReconInstance's 30 s. */
    private static void awaitMismatch(String key, String type) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> recon.get("/api/mismatches?key=" + key + "&type=" + type).get("total").asInt() == 1);
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, recon.bean(KafkaEndpoint.class).bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static String field(HttpResponse<String> response, String name) {
        JsonNode value = ReconInstance.JSON.readTree(response.body()).get(name);
        return value == null || value.isNull() ? null : value.asString();
    }

}
