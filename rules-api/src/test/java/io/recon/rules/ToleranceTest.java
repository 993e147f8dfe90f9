package io.recon.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ToleranceTest {

    @Test
    void amountsOneCentApartAreWithinOneCent() {
        assertThat(Tolerance.differsBy(new BigDecimal("10.00"), new BigDecimal("10.01"), 0.01)).isFalse();
        assertThat(Tolerance.differsBy(new BigDecimal("10.00"), new BigDecimal("10.02"), 0.01)).isTrue();
    }

    @Test
    void aMissingAmountDiffersFromAnyAmount() {
        assertThat(Tolerance.differsBy(null, BigDecimal.ONE, 0.01)).isTrue();
        assertThat(Tolerance.differsBy(null, null, 0.01)).isFalse();
    }

    @Test
    void percentToleranceIsRelativeToTheReference() {
        assertThat(Tolerance.differsByPercent(new BigDecimal("101"), new BigDecimal("100"), 1)).isFalse();
        assertThat(Tolerance.differsByPercent(new BigDecimal("102"), new BigDecimal("100"), 1)).isTrue();
    }
}
