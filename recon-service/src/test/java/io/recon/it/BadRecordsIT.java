package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.recon.system.KafkaEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7, section 2: each kind of bad record, pushed over HTTP or sent on the courier topic, becomes
 * a dead letter whose reason names the field, every session stays RUNNING, and a good delivery sent
 * right after the bad one on the same order is checked as usual: with no shipment for its order it
 * is reported ORPHAN_DELIVERY (30 s of event time later). All cases are sent at start, so that their
 * windows close together.
 */
class BadRecordsIT {

    private static ReconInstance recon;
    /** Per case: the HTTP answer to the bad record (null for the topic cases). */
    private static final Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("badrecords"));
        Instant now = Instant.now();
        push("PAST", delivery("BI-PAST", "1960-01-01T00:00:00Z"));
        push("FUTURE", delivery("BI-FUTURE", now.plus(Duration.ofHours(2)).toString()));
        push("NUL", "{\"delivery_id\":\"D-BI-NUL\",\"order_id\":\"BI-NUL\",\"courier\":\"Fast\\u0000Parcel\",\"delivered_at\":\"" + now + "\"}");
        push("LONGKEY", delivery("BI-LONGKEY" + "x".repeat(3000), now.toString()));
        push("HUGEFACT", "{\"delivery_id\":\"D-BI-HUGEFACT\",\"order_id\":\"BI-HUGEFACT\",\"status\":\"" + "s".repeat(1_200_000)
                + "\",\"delivered_at\":\"" + now + "\"}");
        answers.put("UTF8", recon.postBytes("/api/events/courier", invalidUtf8("BI-UTF8", now)));
        good("BI-UTF8");
        push("EXPONENT", "{\"delivery_id\":\"D-BI-EXPONENT\",\"order_id\":\"BI-EXPONENT\",\"delivered_at\":1e999999999}");
        byte[] hugeBody = ("[" + (delivery("BI-BIGBODY", now.toString()) + ",").repeat(40_000) + delivery("BI-BIGBODY", now.toString()) + "]")
                .getBytes(StandardCharsets.UTF_8);
        answers.put("BIGBODY", recon.postBytes("/api/events/courier", hugeBody));
        good("BI-BIGBODY");
        push("DEEP", "{\"delivery_id\":\"D-BI-DEEP\",\"order_id\":\"BI-DEEP\",\"extra\":" + "[".repeat(200) + "]".repeat(200) + "}");

        // The same cases on the courier's Kafka topic, where they used to stop the topic source.
        try (KafkaProducer<String, byte[]> courier = producer(); DemoScript script = recon.script()) {
            courier.send(new ProducerRecord<>("courier.deliveries", "BI-K-PAST", delivery("BI-K-PAST", "1960-01-01T00:00:00Z")
                    .getBytes(StandardCharsets.UTF_8))).get();
            script.delivery("D-BI-K-PAST", "BI-K-PAST", Instant.now());
            courier.send(new ProducerRecord<>("courier.deliveries", "BI-K-NUL", ("{\"delivery_id\":\"D-BI-K-NUL\",\"order_id\":\"BI-K-NUL\","
                    + "\"courier\":\"A\\u0000B\",\"delivered_at\":\"" + now + "\"}").getBytes(StandardCharsets.UTF_8))).get();
            script.delivery("D-BI-K-NUL", "BI-K-NUL", Instant.now());
            courier.send(new ProducerRecord<>("courier.deliveries", "BI-K-UTF8", invalidUtf8("BI-K-UTF8", now))).get();
            script.delivery("D-BI-K-UTF8", "BI-K-UTF8", Instant.now());
            courier.send(new ProducerRecord<>("courier.deliveries", "BI-K-FUTURE", delivery("BI-K-FUTURE",
                    now.plus(Duration.ofDays(400)).toString()).getBytes(StandardCharsets.UTF_8))).get();
            script.delivery("D-BI-K-FUTURE", "BI-K-FUTURE", Instant.now());
        }
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void anEventTimeBefore1970IsADeadLetterNamingTheField() {
        assertThat(answers.get("PAST").statusCode()).isEqualTo(422);
        assertThat(deadLetterWith("D-BI-PAST").get("reason").asString()).contains("'deliveredAt'").contains("before 1970");
        assertThat(deadLetterWith("D-BI-K-PAST").get("reason").asString()).contains("'deliveredAt'").contains("before 1970");
        goodRecordsStillCount("BI-PAST", "BI-K-PAST");
    }

    @Test
    void anEventTimeFarAheadOfTheClockIsADeadLetterNamingTheField() {
        assertThat(answers.get("FUTURE").statusCode()).isEqualTo(422);
        assertThat(deadLetterWith("D-BI-FUTURE").get("reason").asString()).contains("'deliveredAt'").contains("ahead of the service clock")
                .contains("recon.input.max-future");
        assertThat(deadLetterWith("D-BI-K-FUTURE").get("reason").asString()).contains("'deliveredAt'").containsPattern("\\d+ days ahead");
        goodRecordsStillCount("BI-FUTURE", "BI-K-FUTURE");
    }

    @Test
    void aNulCharacterIsADeadLetterNamingTheField() {
        assertThat(answers.get("NUL").statusCode()).isEqualTo(422);
        JsonNode letter = deadLetterWith("D-BI-NUL");
        assertThat(letter.get("reason").asString()).contains("field 'courier'").contains("NUL");
        assertThat(letter.get("payload").asString()).contains("Fast\\u0000Parcel"); // kept as its JSON escape: storable, lossless
        assertThat(deadLetterWith("D-BI-K-NUL").get("reason").asString()).contains("field 'courier'").contains("NUL");
        goodRecordsStillCount("BI-NUL", "BI-K-NUL");
    }

    @Test
    void aCorrelationKeyLongerThanTheIndexHoldsIsADeadLetter() {
        assertThat(answers.get("LONGKEY").statusCode()).isEqualTo(422);
        assertThat(deadLetterWith("D-BI-LONGKEY").get("reason").asString()).contains("correlation key field 'orderId'")
                .contains("3010 bytes").contains("recon.input.max-key");
        goodRecordsStillCount("BI-LONGKEY");
    }

    @Test
    void aFactLargerThanKafkaTakesIsADeadLetterKeptTruncated() {
        assertThat(answers.get("HUGEFACT").statusCode()).isEqualTo(422);
        JsonNode letter = deadLetterWith("D-BI-HUGEFACT");
        assertThat(letter.get("reason").asString()).contains("largest field is 'status' (1200000 characters)");
        assertThat(letter.get("payloadTruncated").asBoolean()).isTrue();
        assertThat(letter.get("payloadBytes").asLong()).isGreaterThan(1_200_000);
        goodRecordsStillCount("BI-HUGEFACT");
    }

    @Test
    void invalidUtf8IsADeadLetterKeptAsTheBytesReceived() {
        assertThat(answers.get("UTF8").statusCode()).isEqualTo(400);
        JsonNode letter = deadLetterWith("D-BI-UTF8");
        assertThat(letter.get("reason").asString()).contains("not valid UTF-8").contains("0xC3");
        assertThat(Base64.getDecoder().decode(letter.get("payload").asString())).isEqualTo(invalidUtf8("BI-UTF8", null));
        assertThat(deadLetterWith("D-BI-K-UTF8").get("reason").asString()).contains("not valid UTF-8").contains("courier.deliveries");
        goodRecordsStillCount("BI-UTF8", "BI-K-UTF8");
    }

    @Test
    void aNumberWithAHugeExponentIsADeadLetterNamingTheField() {
        assertThat(answers.get("EXPONENT").statusCode()).isEqualTo(422);
        assertThat(deadLetterWith("D-BI-EXPONENT").get("reason").asString()).contains("field 'deliveredAt'").contains("1E+999999999");
        goodRecordsStillCount("BI-EXPONENT");
    }

    @Test
    void aBodyOfManyMegabytesIsRefusedAndItsStartKept() {
        assertThat(answers.get("BIGBODY").statusCode()).isEqualTo(413);
        assertThat(answers.get("BIGBODY").body()).contains("recon.input.max-body");
        JsonNode letter = deadLetterWith("D-BI-BIGBODY");
        assertThat(letter.get("reason").asString()).contains("larger than the 2097152 bytes accepted");
        assertThat(letter.get("payloadTruncated").asBoolean()).isTrue();
        goodRecordsStillCount("BI-BIGBODY");
    }

    @Test
    void deeplyNestedJsonIsADeadLetter() {
        assertThat(answers.get("DEEP").statusCode()).isEqualTo(400);
        assertThat(deadLetterWith("D-BI-DEEP").get("reason").asString()).contains("nesting").contains("recon.input.max-nesting");
        goodRecordsStillCount("BI-DEEP");
    }

    /** The good delivery behind the bad record on the same order is reported, and every session runs. */
    private static void goodRecordsStillCount(String... orders) {
        for (String order : orders) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(recon.get("/api/mismatches?key=" + order + "&type=ORPHAN_DELIVERY").get("total").asInt())
                            .as("ORPHAN_DELIVERY of the good delivery of " + order).isEqualTo(1));
        }
        for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
            assertThat(session.get("state").asString()).as("session " + session).isEqualTo("RUNNING");
        }
        assertThat(recon.get("/actuator/health").get("status").asString()).isEqualTo("UP");
    }

    private static void push(String name, String bad) {
        answers.put(name, recon.post("/api/events/courier", bad));
        String order = name.equals("LONGKEY") ? "BI-LONGKEY" : "BI-" + name;
        good(order);
    }

    private static void good(String order) {
        HttpResponse<String> response = recon.post("/api/events/courier", delivery(order, Instant.now().toString())
                .replace("D-" + order, "D-GOOD-" + order));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static String delivery(String order, String deliveredAt) {
        return "{\"delivery_id\":\"D-" + order + "\",\"order_id\":\"" + order + "\",\"courier\":\"FastParcel\",\"status\":\"DELIVERED\","
                + "\"delivered_at\":\"" + deliveredAt + "\"}";
    }

    /** A delivery whose courier name holds the byte 0xC3 followed by '(' : not UTF-8. */
    private static byte[] invalidUtf8(String order, Instant at) {
        String time = at == null ? TIME_OF_UTF8_CASE : at.toString();
        if (at != null && order.equals("BI-UTF8")) {
            TIME_OF_UTF8_CASE = time;
        }
        byte[] head = ("{\"delivery_id\":\"D-" + order + "\",\"order_id\":\"" + order + "\",\"courier\":\"Fast").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("Parcel\",\"delivered_at\":\"" + time + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xC3;
        all[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, all, head.length + 2, tail.length);
        return all;
    }

    private static String TIME_OF_UTF8_CASE;

    /** The courier dead letter whose payload (decoded when kept as base64) holds the marker. */
    private static JsonNode deadLetterWith(String marker) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (JsonNode letter : recon.get("/api/dead-letters?source=courier&size=200").get("items")) {
                String payload = letter.get("payload").asString();
                if ("base64".equals(letter.get("payloadEncoding").asString())) {
                    payload = new String(Base64.getDecoder().decode(payload), StandardCharsets.ISO_8859_1);
                }
                if (payload.contains(marker)) {
                    found[0] = letter;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, recon.bean(KafkaEndpoint.class).bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
