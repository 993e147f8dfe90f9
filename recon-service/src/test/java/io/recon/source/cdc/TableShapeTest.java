package io.recon.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableShapeTest {

    private final TableShape orders = new TableShape("public.orders",
            Map.of("order_id", "text", "amount", "numeric", "created_at", "timestamp with time zone"));
    private final List<String> fed = List.of("order_id", "amount", "created_at");

    @Test
    void aChangeOfTheShapeCaptureStartedWithFits() {
        assertThat(orders.misfit(row(Instant.now()), fed)).isNull();
    }

    @Test
    void aDroppedColumnIsNamed() {
        Map<String, Object> row = row(Instant.now());
        row.remove("amount");
        assertThat(orders.misfit(row, fed)).contains("column 'amount' of public.orders").contains("dropped or renamed");
    }

    @Test
    void aTimeColumnRetypedToNumbersIsNotReadAsMilliseconds() {
        assertThat(orders.misfit(row(1_767_225_600L), fed)).contains("column 'created_at'")
                .contains("was timestamp with time zone").contains("Long (1767225600)");
    }

    @Test
    void aNullValueFitsAnyType() {
        assertThat(orders.misfit(row(null), fed)).isNull();
    }

    private static Map<String, Object> row(Object createdAt) {
        Map<String, Object> row = new HashMap<>();
        row.put("order_id", "O-1");
        row.put("amount", new java.math.BigDecimal("1.00"));
        row.put("created_at", createdAt);
        return row;
    }
}
