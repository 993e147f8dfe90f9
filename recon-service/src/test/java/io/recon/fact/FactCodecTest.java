package io.recon.fact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The sessions' fast reader gives exactly what the data binder gives, and leaves what it does not know to it. */
class FactCodecTest {

    private static final JsonMapper BINDER = JsonMapper.builder().build();

    private static FactEnvelope bound(String json) {
        return BINDER.readValue(json.getBytes(StandardCharsets.UTF_8), FactEnvelope.class);
    }

    private static FactEnvelope decoded(String json) {
        return FactCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryKindAsTheDataBinderDoes() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("orderId", "O-1");
        fields.put("amount", "100.05");
        fields.put("createdAt", 1_796_340_726_726L);
        fields.put("quantity", 3);
        fields.put("rate", 0.25);
        fields.put("express", true);
        fields.put("note", null);
        fields.put("tags", List.of("a", 2, Map.of("x", false)));
        fields.put("huge", new java.math.BigInteger("123456789012345678901234567890"));
        fields.put("name", "Zoë \"quoted\" \\ \u00e9\u4e2d");
        List<FactEnvelope> envelopes = List.of(
                FactEnvelope.upsert("shop-orders", new MappedFact("recon.trade.Order", "O-1", "O-1", 1_796_340_726_726L, fields), 17L),
                FactEnvelope.delete("shop-orders", new MappedFact("recon.trade.Order", "O-1", null, 5, Map.of()), 0),
                FactEnvelope.upsert("x", new MappedFact("recon.trade.Order", "O-2", "O-2", -1, null), -7),
                FactEnvelope.watermark(1_796_340_000_000L));
        for (FactEnvelope envelope : envelopes) {
            byte[] bytes = FactCodec.encode(envelope);
            FactEnvelope expected = BINDER.readValue(bytes, FactEnvelope.class);
            FactEnvelope actual = FactCodec.decode(bytes);
            assertThat(actual).isEqualTo(expected);
            if (actual.fact() != null && actual.fact().fields() != null) {
                // same value classes (Integer stays Integer, Long stays Long), same field order
                assertThat(actual.fact().fields().keySet()).containsExactlyElementsOf(expected.fact().fields().keySet());
                actual.fact().fields().forEach((k, v) -> assertThat(v == null ? null : v.getClass())
                        .as(k).isEqualTo(expected.fact().fields().get(k) == null ? null : expected.fact().fields().get(k).getClass()));
            }
        }
    }

    @Test
    void readsRecordsWrittenInAnyPropertyOrderOrWithFieldsMissing() {
        String reordered = "{\"watermark\":0,\"fact\":{\"fields\":{\"a\":1},\"eventTime\":9,\"key\":\"k\",\"id\":\"i\",\"type\":\"T\"},"
                + "\"committedAt\":3,\"source\":\"s\",\"kind\":\"UPSERT\"}";
        assertThat(decoded(reordered)).isEqualTo(bound(reordered))
                .isEqualTo(new FactEnvelope(FactEnvelope.Kind.UPSERT, "s", new MappedFact("T", "i", "k", 9, Map.of("a", 1)), 3, 0));
        String sparse = "{\"kind\":\"WATERMARK\",\"committedAt\":0,\"watermark\":12}";
        assertThat(decoded(sparse)).isEqualTo(bound(sparse)).isEqualTo(FactEnvelope.watermark(12));
    }

    @Test
    void leavesWhatItDoesNotKnowToTheDataBinder() {
        // a number where a string belongs: the binder coerces it, as it did before the fast reader
        String coerced = "{\"kind\":\"UPSERT\",\"source\":\"s\",\"fact\":{\"type\":\"T\",\"id\":42,\"key\":\"k\",\"eventTime\":1,\"fields\":{}},\"committedAt\":0,\"watermark\":0}";
        assertThat(decoded(coerced)).isEqualTo(bound(coerced));
        assertThat(decoded(coerced).fact().id()).isEqualTo("42");
        // not a facts-topic record: the binder's refusal, which the session records as a dead letter
        assertThatThrownBy(() -> decoded("{\"kind\":\"SOMETHING\"}")).isInstanceOf(RuntimeException.class).hasMessageContaining("SOMETHING");
        // a number missing: refused as the binder refuses it (an absent primitive), not read as 0
        assertThatThrownBy(() -> decoded("{\"kind\":\"WATERMARK\",\"watermark\":12}")).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("committedAt");
        assertThatThrownBy(() -> decoded("not json")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> decoded("{\"kind\":\"UPSERT\"")).isInstanceOf(RuntimeException.class);
    }
}
