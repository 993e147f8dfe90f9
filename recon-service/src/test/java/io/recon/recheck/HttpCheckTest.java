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
    void aSlowAnswerAnAnswerThatIsNotJsonAndARefusedConnectionAreFailedLookupsWithTheReason() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/html", exchange -> {
            byte[] body = ("<html>sign in first, Bearer abcdefghijk</html>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Check quick = new Check("trade", "AMOUNT", null, Kind.HTTP, null, null, base + "/slow", "$.a", Holds.PRESENT, null,
                    Map.of("Authorization", "Bearer abcdefghijk"), null, null, Duration.ofMillis(500), Duration.ofMillis(300));
            HttpCheck http = new HttpCheck();
            assertThatThrownBy(() -> http.fetch("quick", quick, java.net.URI.create(base + "/slow?token=s3cr3t")))
                    .isInstanceOf(io.recon.targets.TargetFailed.class).hasMessageContaining("GET " + base + "/slow failed: HttpTimeoutException")
                    .hasMessageNotContaining("s3cr3t");
            assertThatThrownBy(() -> http.fetch("quick", quick, java.net.URI.create(base + "/html")))
                    .hasMessageContaining("answered HTTP 200 with a body that is not JSON: <html>sign in first, ****</html>");
            int closed;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                closed = free.getLocalPort();
            }
            assertThatThrownBy(() -> http.fetch("quick", quick, java.net.URI.create("http://127.0.0.1:" + closed + "/x")))
                    .hasMessageContaining("failed: ConnectException");
        } finally {
            server.stop(0);
        }
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
