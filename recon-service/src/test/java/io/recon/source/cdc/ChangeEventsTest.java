package io.recon.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Debezium change events as a Kafka Connect worker writes them with the JSON converter, with and without schemas. */
class ChangeEventsTest {

    private static final String TOPIC = "shop.public.orders";

    /** The value schema Debezium's PostgreSQL connector gives public.orders (trimmed to the fields that matter). */
    private static final String ROW_SCHEMA = """
            {"type":"struct","optional":true,"name":"shop.public.orders.Value","fields":[
              {"type":"string","optional":false,"field":"order_id"},
              {"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,
               "parameters":{"scale":"2","connect.decimal.precision":"12"},"field":"amount"},
              {"type":"string","optional":false,"field":"status"},
              {"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp","version":1,"field":"created_at"}]}""";

    private static String enveloped(String op, String before, String after) {
        return """
                {"schema":{"type":"struct","optional":false,"name":"shop.public.orders.Envelope","version":2,"fields":[
                  %s,
                  %s,
                  {"type":"struct","optional":false,"name":"io.debezium.connector.postgresql.Source","fields":[
                    {"type":"string","optional":false,"field":"connector"},
                    {"type":"int64","optional":false,"field":"ts_ms"},
                    {"type":"string","optional":false,"field":"schema"},
                    {"type":"string","optional":false,"field":"table"},
                    {"type":"int64","optional":true,"field":"lsn"}],"field":"source"},
                  {"type":"string","optional":false,"field":"op"},
                  {"type":"int64","optional":true,"field":"ts_ms"}]},
                 "payload":{"before":%s,"after":%s,
                  "source":{"connector":"postgresql","ts_ms":1764680400123,"schema":"public","table":"orders","lsn":26543216},
                  "op":"%s","ts_ms":1764680400200}}"""
                .formatted(ROW_SCHEMA.replace("\"optional\":true,\"name\":\"shop", "\"optional\":true,\"field\":\"before\",\"name\":\"shop"),
                        ROW_SCHEMA.replace("\"optional\":true,\"name\":\"shop", "\"optional\":true,\"field\":\"after\",\"name\":\"shop"),
                        before, after, op);
    }

    private static String bare(String op, String before, String after) {
        return """
                {"before":%s,"after":%s,
                 "source":{"version":"3.6.3.Final","connector":"postgresql","name":"shop","ts_ms":1764680400123,"snapshot":"false",
                           "db":"shop","schema":"public","table":"orders","txId":771,"lsn":26543216},
                 "op":"%s","ts_ms":1764680400200,"transaction":null}""".formatted(before, after, op);
    }

    private static RowChange read(String json) {
        return ChangeEvents.ofConnectJson(TOPIC, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anInsertWithSchemasHasTheTypesOfEmbeddedCapture() {
        // 100.50 at scale 2 is the unscaled 10050 = 0x2742, which the JSON converter writes as base64
        RowChange change = read(enveloped("c", "null",
                "{\"order_id\":\"O-1\",\"amount\":\"J0I=\",\"status\":\"CREATED\",\"created_at\":\"2026-12-02T13:00:00.250Z\"}"));

        assertThat(change.op()).isEqualTo(RowChange.Op.CREATE);
        assertThat(change.table()).isEqualTo("public.orders");
        assertThat(change.commitTimeMillis()).isEqualTo(1764680400123L);
        assertThat(change.lsn()).isEqualTo(26543216L);
        assertThat(change.row()).containsEntry("order_id", "O-1").containsEntry("amount", new BigDecimal("100.50"))
                .containsEntry("created_at", Instant.parse("2026-12-02T13:00:00.250Z"));
        assertThat(change.before()).isEmpty();
    }

    @Test
    void anUpdateWithoutSchemasKeepsItsOldImageAndJsonValues() {
        RowChange change = read(bare("u",
                "{\"order_id\":\"O-1\",\"amount\":\"100.50\",\"status\":\"CREATED\",\"created_at\":\"2026-12-02T13:00:00Z\"}",
                "{\"order_id\":\"O-2\",\"amount\":\"100.50\",\"status\":\"PAID\",\"created_at\":\"2026-12-02T13:00:00Z\"}"));

        assertThat(change.op()).isEqualTo(RowChange.Op.UPDATE);
        assertThat(change.row()).containsEntry("order_id", "O-2").containsEntry("status", "PAID").containsEntry("amount", "100.50");
        assertThat(change.before()).containsEntry("order_id", "O-1");
        assertThat(change.commitTimeMillis()).isEqualTo(1764680400123L);
    }

    @Test
    void aDeleteCarriesTheOldRowEitherWay() {
        String row = "{\"order_id\":\"O-1\",\"amount\":\"J0I=\",\"status\":\"PAID\",\"created_at\":null}";
        RowChange withSchemas = read(enveloped("d", row, "null"));
        RowChange without = read(bare("d", row.replace("J0I=", "100.50"), "null"));

        assertThat(withSchemas.op()).isEqualTo(RowChange.Op.DELETE);
        assertThat(withSchemas.row()).containsEntry("order_id", "O-1").containsEntry("amount", new BigDecimal("100.50"));
        assertThat(without.op()).isEqualTo(RowChange.Op.DELETE);
        assertThat(without.row()).containsEntry("order_id", "O-1").containsEntry("status", "PAID");
    }

    @Test
    void tombstonesAndMessagesWithoutARowAreSkipped() {
        assertThat(ChangeEvents.ofConnectJson(TOPIC, null)).isNull();
        assertThat(ChangeEvents.ofConnectJson(TOPIC, new byte[0])).isNull();
        assertThat(read("null")).isNull();
        assertThat(read("{\"schema\":null,\"payload\":null}")).isNull();
        assertThat(read("{\"op\":\"m\",\"source\":{\"schema\":\"\",\"table\":\"\"},\"message\":{\"prefix\":\"x\"}}")).isNull();
    }

    @Test
    void aSnapshotReadAndATruncateAreChangesToo() {
        assertThat(read(bare("r", "null", "{\"order_id\":\"O-9\"}")).op()).isEqualTo(RowChange.Op.READ);
        RowChange truncate = read(bare("t", "null", "null"));
        assertThat(truncate.op()).isEqualTo(RowChange.Op.TRUNCATE);
        assertThat(truncate.row()).isEmpty();
    }

    @Test
    void malformedMessagesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> read("{\"op\":\"c\",\"after\":{\"order_id\":\"O-1\"")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> read("[1,2]")).hasMessageContaining("JSON object, this message is array");
        assertThatThrownBy(() -> read("{\"order_id\":\"O-1\",\"amount\":10}")).hasMessageContaining("not a Debezium change event");
        assertThatThrownBy(() -> read(bare("x", "null", "{\"order_id\":\"O-1\"}"))).hasMessageContaining("op 'x' is none of Debezium's");
        assertThatThrownBy(() -> read(bare("c", "null", "null"))).hasMessageContaining("needs its row in 'after'");
        assertThatThrownBy(() -> read(bare("c", "null", "\"O-1\""))).hasMessageContaining("'after' is not a row");
        // an envelope whose payload does not fit its schema: a required field missing
        assertThatThrownBy(() -> read(enveloped("c", "null", "{\"order_id\":\"O-1\",\"status\":\"CREATED\"}")))
                .hasMessageContaining("schema and payload do not fit");
    }
}
