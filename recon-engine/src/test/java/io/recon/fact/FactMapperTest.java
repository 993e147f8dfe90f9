package io.recon.fact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recon.TestRules;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

class FactMapperTest {

    private final KieBase kieBase = TestRules.kieBase();
    private final FactMapper payments = new FactMapper(kieBase.getFactType("recon.test", "Payment"), "orderId", "paymentId", "paidAt");

    @Test
    void columnsFillTheFieldsTheirNamesSpell() {
        MappedFact fact = payments.map(row("P-1", "O-1", new BigDecimal("19.99"), Instant.parse("2026-01-31T12:00:00Z")), 0);

        assertThat(fact.type()).isEqualTo("recon.test.Payment");
        assertThat(fact.id()).isEqualTo("P-1");
        assertThat(fact.key()).isEqualTo("O-1");
        assertThat(fact.eventTime()).isEqualTo(Instant.parse("2026-01-31T12:00:00Z").toEpochMilli());
        assertThat(fact.fields()).containsEntry("amount", "19.99").containsEntry("orderId", "O-1");
    }

    @Test
    void amountsStayExactFromTheColumnToTheFact() {
        // on the facts topic in between they travel as the plain text mapped here (FactCodecTest in recon-service)
        MappedFact fact = payments.map(row("P-1", "O-1", new BigDecimal("0.10"), Instant.now()), 0);
        assertThat(fact.fields()).containsEntry("amount", "0.10");

        Object payment = payments.instantiate(fact.fields());
        assertThat(kieBase.getFactType("recon.test", "Payment").get(payment, "amount")).isEqualTo(new BigDecimal("0.10"));
    }

    @Test
    void timesMayComeAsIsoTextOrEpochMillis() {
        Map<String, Object> iso = row("P-1", "O-1", "5", "2026-01-31T12:00:00Z");
        Map<String, Object> millis = row("P-1", "O-1", "5", 1_769_860_800_000L);

        assertThat(payments.map(iso, 0).eventTime()).isEqualTo(1_769_860_800_000L);
        assertThat(payments.map(millis, 0).eventTime()).isEqualTo(1_769_860_800_000L);
    }

    @Test
    void anAmountWithAHugeExponentIsRefusedAtOnceWithTheFieldNamed() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> payments.map(row("P-1", "O-1", new BigDecimal("1e999999999"), 1L), 0))
                .isInstanceOf(MappingException.class).hasMessageContaining("field 'amount'").hasMessageContaining("1E+999999999");
        assertThatThrownBy(() -> payments.map(row("P-1", "O-1", "1e-999999999", 1L), 0))
                .isInstanceOf(MappingException.class).hasMessageContaining("field 'amount'");
        assertThat(System.nanoTime() - started).as("refused without writing the number out").isLessThan(2_000_000_000L);
    }

    @Test
    void aDeleteNeedsOnlyTheIdAndKeepsAKeyItCarries() {
        Map<String, Object> primaryKeyOnly = new HashMap<>();
        primaryKeyOnly.put("payment_id", "P-1");
        primaryKeyOnly.put("order_id", null);

        MappedFact identity = payments.identify(primaryKeyOnly, 42);
        assertThat(identity.id()).isEqualTo("P-1");
        assertThat(identity.key()).isNull();
        assertThat(identity.eventTime()).isEqualTo(42);
        assertThatThrownBy(() -> payments.identify(Map.of("order_id", "O-1"), 42)).hasMessageContaining("no id 'paymentId'");
    }

    @Test
    void columnsTheTypeDoesNotDeclareAreIgnored() {
        Map<String, Object> values = row("P-1", "O-1", "5", 1L);
        values.put("psp_reference", "abc");

        assertThat(payments.map(values, 0).fields()).doesNotContainKey("pspReference");
    }

    @Test
    void aMissingCorrelationKeyIsNamed() {
        Map<String, Object> values = row("P-1", null, "5", 1L);

        assertThatThrownBy(() -> payments.map(values, 0)).isInstanceOf(MappingException.class)
                .hasMessageContaining("correlation key 'orderId'");
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithWhatWasExpected() {
        assertThatThrownBy(() -> payments.map(row("P-1", "O-1", "twelve", 1L), 0)).isInstanceOf(MappingException.class)
                .hasMessageContaining("'amount'").hasMessageContaining("twelve");
        assertThatThrownBy(() -> payments.map(row("P-1", "O-1", "1", "yesterday"), 0)).isInstanceOf(MappingException.class)
                .hasMessageContaining("'paidAt'").hasMessageContaining("ISO-8601");
    }

    @Test
    void aBindingThatNamesAnUndeclaredFieldIsRefusedAtStart() {
        assertThatThrownBy(() -> new FactMapper(kieBase.getFactType("recon.test", "Payment"), "order_ref", null, null))
                .hasMessageContaining("order_ref").hasMessageContaining("declared fields");
    }

    @Test
    void snakeCaseAndUpperCaseColumnsMapToCamelCaseFields() {
        assertThat(FactMapper.toFieldName("order_id")).isEqualTo("orderId");
        assertThat(FactMapper.toFieldName("ORDER_ID")).isEqualTo("orderId");
        assertThat(FactMapper.toFieldName("orderId")).isEqualTo("orderId");
        assertThat(FactMapper.toFieldName("STATUS")).isEqualTo("status");
    }

    private static Map<String, Object> row(String payment, String order, Object amount, Object paidAt) {
        Map<String, Object> row = new HashMap<>();
        row.put("payment_id", payment);
        row.put("order_id", order);
        row.put("amount", amount);
        row.put("paid_at", paidAt);
        return row;
    }
}
