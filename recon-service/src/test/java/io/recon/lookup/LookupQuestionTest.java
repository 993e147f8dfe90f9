package io.recon.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.catalog.CatalogLookup;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class LookupQuestionTest {

    private static final Map<String, Object> PAYMENT = Map.of("orderId", "O 1/2'; drop table x; --", "amount", "105.00", "paymentId", "P-9");

    private static CatalogLookup sql(String sql) {
        return new CatalogLookup("l", "trade", "recon.trade.Payment", "1s", CatalogLookup.Kind.SQL, "shop", sql, null, null,
                "recon.trade.OrderLookup", null, "checkedAt", null, null, null, null, null, null);
    }

    private static CatalogLookup http(String url, Map<String, String> fields) {
        return new CatalogLookup("l", "trade", "recon.trade.Payment", "1s", CatalogLookup.Kind.HTTP, null, null, url, fields,
                "recon.trade.LedgerLookup", null, "checkedAt", null, null, null, null, null, null);
    }

    @Test
    void sqlParametersAreTheTriggersFieldsBoundAsValuesNeverAsText() {
        CatalogLookup lookup = sql("select o.amount::numeric, ':notAParameter' as note from orders o -- :neither\n"
                + " where o.order_id = :orderId and o.amount <> :amount and o.order_id = :orderId and :key is not null");

        assertThat(LookupQuestion.parameters(lookup)).containsExactly("orderId", "amount", "key");
        var bound = LookupQuestion.bind(lookup, "K-1", PAYMENT);
        assertThat(bound.getValues()).containsEntry("orderId", "O 1/2'; drop table x; --").containsEntry("amount", "105.00")
                .containsEntry("key", "K-1");
        assertThat(lookup.sql()).as("the statement itself is unchanged: the driver binds the values").doesNotContain("drop table x");
    }

    @Test
    void urlPlaceholdersAreUrlEncodedTriggerFields() {
        CatalogLookup lookup = http("http://ledger:8080/orders/{orderId}?payment={paymentId}&k={key}", Map.of());

        assertThat(LookupQuestion.parameters(lookup)).containsExactly("orderId", "paymentId", "key");
        assertThat(LookupQuestion.url(lookup, "K 1", PAYMENT))
                .isEqualTo("http://ledger:8080/orders/O%201%2F2%27%3B%20drop%20table%20x%3B%20--?payment=P-9&k=K%201");
    }

    @Test
    void jsonPathsPickTheAnswersValuesAndTopLevelValuesFillFieldsOfTheirName() {
        CatalogLookup lookup = http("http://ledger/x", Map.of("settled", "$.settlement.lines[1].amount", "state", "/settlement/status",
                "missing", "$.settlement.refund"));
        var answer = JsonMapper.builder().build().readTree("""
                {"orderId": "O-1", "status": "OPEN", "settlement": {"status": "SETTLED", "lines": [{"amount": 1}, {"amount": 99.50}]}}""");

        Map<String, Object> values = LookupQuestion.pick(lookup, answer);

        assertThat((BigDecimal) values.get("settled")).isEqualByComparingTo("99.50");
        assertThat(values).containsEntry("state", "SETTLED")
                .containsEntry("orderId", "O-1").containsEntry("status", "OPEN").doesNotContainKey("settlement");
        assertThat(values.get("missing")).isNull();
    }

    @Test
    void aRowsNamedColumnsFillTheirFields() {
        CatalogLookup lookup = new CatalogLookup("l", "trade", "recon.trade.Payment", "1s", CatalogLookup.Kind.SQL, "shop", "select 1", null,
                Map.of("booked", "amount_cents"), "recon.trade.OrderLookup", null, "checkedAt", null, null, null, List.of(), null, null);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("order_id", "O-1");
        row.put("amount_cents", 10050);

        assertThat(LookupQuestion.fromRow(lookup, row)).containsEntry("booked", 10050).containsEntry("order_id", "O-1");
    }
}
