package io.recon.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MismatchTest {

    @Test
    void theSameFindingForTheSameKeyIsOneMismatch() {
        Mismatch first = Mismatch.of(MismatchType.DUPLICATE, Severity.P2, "O-1", "paid twice", "p1", "p2");
        Mismatch again = Mismatch.of(MismatchType.DUPLICATE, Severity.P2, "O-1", "paid twice", "p1", "p3");
        Mismatch other = Mismatch.of(MismatchType.AMOUNT, Severity.P2, "O-1", "amount differs");
        assertThat(first).isEqualTo(again).hasSameHashCodeAs(again).isNotEqualTo(other);
    }
}
