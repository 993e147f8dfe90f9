package io.recon.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.catalog.CatalogTask;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeySelectionTest {

    private static KeySelection selection(double sampling, List<String> allow, List<String> deny) {
        return KeySelection.of(new CatalogTask("trade", true, 2, null, null, null, null, null, null, null, sampling, allow, deny, "api"));
    }

    @Test
    void samplingTakesAboutItsShareOfKeysAndAlwaysTheSameOnes() {
        KeySelection tenth = selection(0.1, List.of(), List.of());
        List<String> keys = IntStream.range(0, 20_000).mapToObj(i -> "ORD-" + i).toList();
        long taken = keys.stream().filter(tenth::takes).count();
        assertThat(taken).isBetween(1_700L, 2_300L);
        // both sides of a key (its order and its payment, here and on another instance) are taken together
        assertThat(keys.stream().filter(tenth::takes).toList()).isEqualTo(keys.stream().filter(selection(0.1, List.of(), List.of())::takes).toList());
    }

    @Test
    void theDenyListWinsAndAnAllowListTakesOnlyItsKeys() {
        assertThat(selection(1.0, List.of(), List.of("ORD-1")).takes("ORD-1")).isFalse();
        assertThat(selection(1.0, List.of(), List.of("ORD-1")).takes("ORD-2")).isTrue();
        assertThat(selection(1.0, List.of("ORD-1", "ORD-2"), List.of("ORD-2")).takes("ORD-2")).isFalse();
        assertThat(selection(1.0, List.of("ORD-1"), List.of()).takes("ORD-3")).isFalse();
        assertThat(selection(1.0, List.of("ORD-1"), List.of()).takes(null)).as("a delete without a key only retracts").isTrue();
    }
}
