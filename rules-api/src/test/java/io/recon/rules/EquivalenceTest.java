package io.recon.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EquivalenceTest {

    private final Equivalence orderToPayment = Equivalence.of("PAID=SUCCESS", "PAYMENT_FAILED=FAILED");

    @Test
    void equivalentValuesOfTheTwoSystemsMatch() {
        assertThat(orderToPayment.matches("PAID", "SUCCESS")).isTrue();
        assertThat(orderToPayment.matches("PAYMENT_FAILED", "FAILED")).isTrue();
    }

    @Test
    void nearMissAPaidOrderWithAFailedPaymentContradicts() {
        assertThat(orderToPayment.matches("PAID", "FAILED")).isFalse();
        assertThat(orderToPayment.contradicts("PAID", "FAILED")).isTrue();
        assertThat(orderToPayment.contradicts("PAID", "SUCCESS")).isFalse();
    }

    @Test
    void theMapIsDirectedLeftToRight() {
        // The order system's words on the left, the payment system's on the right: swapped is no match.
        assertThat(orderToPayment.matches("SUCCESS", "PAID")).isFalse();
    }

    @Test
    void aValueTheMapDoesNotMentionIsNeitherMatchNorContradiction() {
        // An order still CREATED says nothing about its payment; the map must not flag it.
        assertThat(orderToPayment.matches("CREATED", "SUCCESS")).isFalse();
        assertThat(orderToPayment.contradicts("CREATED", "SUCCESS")).isFalse();
    }

    @Test
    void aMissingRightValueContradictsAKnownLeftValue() {
        assertThat(orderToPayment.contradicts("PAID", null)).isTrue();
        assertThat(orderToPayment.contradicts(null, "SUCCESS")).isFalse();
    }

    @Test
    void oneCellWithCommaSeparatedPairsIsTheSameMap() {
        Equivalence cell = Equivalence.of(" PAID = SUCCESS , PAYMENT_FAILED=FAILED ");
        assertThat(cell.matches("PAID", "SUCCESS")).isTrue();
        assertThat(cell.contradicts("PAYMENT_FAILED", "SUCCESS")).isTrue();
    }

    @Test
    void aLeftValueMayHaveSeveralEquivalents() {
        Equivalence settled = Equivalence.of("PAID=SUCCESS", "PAID=SETTLED");
        assertThat(settled.matches("PAID", "SETTLED")).isTrue();
        assertThat(settled.equivalentsOf("PAID")).containsExactly("SUCCESS", "SETTLED");
    }

    @Test
    void enumsAreComparedByName() {
        assertThat(Equivalence.of("P1=URGENT").matches(Severity.P1, "URGENT")).isTrue();
    }

    @Test
    void aTypoInAPairIsRefusedWithTheOffendingText() {
        assertThatThrownBy(() -> Equivalence.of("PAID:SUCCESS"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PAID:SUCCESS");
        assertThatThrownBy(() -> Equivalence.of("PAID="))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Equivalence.of(" , "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sameComparesValuesBothSystemsSpellAlike() {
        assertThat(Equivalence.same("EUR", "EUR")).isTrue();
        assertThat(Equivalence.same("EUR", "USD")).isFalse();
        assertThat(Equivalence.same("EUR", null)).isFalse();
        assertThat(Equivalence.same(null, null)).isTrue();
    }
}
