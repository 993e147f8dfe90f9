package io.recon.recheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recon.recheck.RecheckProperties.Check;
import io.recon.recheck.RecheckProperties.Holds;
import io.recon.recheck.RecheckProperties.Kind;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class HttpCheckTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode FACTS = JSON.readTree("""
            [{"type": "Order", "fields": {"orderId": "O 1/2", "amount": 100.00}}, {"type": "Payment", "fields": {"paymentId": "P-1&x"}}]""");

    private static Check check(String path, Holds holds, String value) {
        return new Check("trade", "AMOUNT", Duration.ofSeconds(1), Kind.HTTP, null, null, "http://ledger:8081/orders/{key}?p={Payment.paymentId}",
                path, holds, value, Map.of("Authorization", "Bearer abcdefghijk"), null, 50, null, null);
    }

    @Test
    void templatesTakeTheKeyAndFactFieldsUrlEncoded() {
        assertThat(HttpCheck.fill("http://ledger/orders/{key}?p={Payment.paymentId}", "O 1/2", FACTS, true))
                .isEqualTo("http://ledger/orders/O%201%2F2?p=P-1%26x");
        assertThat(HttpCheck.fill("{Order.amount}", "O 1/2", FACTS, false)).isEqualTo("100.0");
        assertThatThrownBy(() -> HttpCheck.fill("{Shipment.carrier}", "k", FACTS, false)).hasMessageContaining("no Shipment fact");
    }

    @Test
    void theTargetIsTheUrlsHostAndPortUnlessNamed() {
        assertThat(check("$.a", Holds.PRESENT, null).target()).isEqualTo("ledger:8081");
    }

    @Test
    void jsonPathsAndJsonPointersPickTheComparedValue() {
        JsonNode answer = JSON.readTree("{\"settlement\": {\"amount\": 105.00, \"lines\": [{\"ok\": true}], \"status\": \"SETTLED\"}}");
        assertThat(HttpCheck.pointer("$.settlement.lines[0].ok").toString()).isEqualTo("/settlement/lines/0/ok");
        assertThat(HttpCheck.judge(check("$.settlement.amount", Holds.DIFFERS, "100.00"), answer, "100.00").holds()).isTrue();
        assertThat(HttpCheck.judge(check("$.settlement.amount", Holds.EQUALS, "105"), answer, "105").holds()).isTrue();
        assertThat(HttpCheck.judge(check("/settlement/status", Holds.DIFFERS, "SETTLED"), answer, "SETTLED").holds()).isFalse();
        assertThat(HttpCheck.judge(check("$.settlement.lines[0].ok", Holds.TRUE, null), answer, null).holds()).isTrue();
        assertThat(HttpCheck.judge(check("$.settlement.refund", Holds.ABSENT, null), answer, null).holds()).isTrue();
        assertThat(HttpCheck.judge(check("$.settlement.refund", Holds.DIFFERS, "0"), answer, "0").holds()).isTrue();
        assertThatThrownBy(() -> HttpCheck.judge(check("$.settlement.status", Holds.TRUE, null), answer, null))
                .hasMessageContaining("not true or false");
    }

    @Test
    void aCheckThatCannotWorkIsRefusedAtStartWithWhatToFix() {
        assertThatThrownBy(() -> HttpCheck.validate("recon.recheck.checks.x", check("$.a", Holds.EQUALS, null)))
                .hasMessageContaining("give it as value");
        assertThatThrownBy(() -> HttpCheck.validate("recon.recheck.checks.x", check("a.b", Holds.PRESENT, null)))
                .hasMessageContaining("neither a JSON path");
        Check badPlaceholder = new Check("trade", "AMOUNT", null, Kind.HTTP, null, null, "http://l/{order}", "$.a", Holds.PRESENT, null,
                null, null, null, null, null);
        assertThatThrownBy(() -> HttpCheck.validate("recon.recheck.checks.x", badPlaceholder)).hasMessageContaining("{order}");
    }
}
