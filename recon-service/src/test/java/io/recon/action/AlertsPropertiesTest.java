package io.recon.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsPropertiesTest {

    private static final AlertsProperties.Channel HOOK = new AlertsProperties.Channel(AlertsProperties.Kind.WEBHOOK, "http://h", null, null);

    @Test
    void aTaskUsesItsOwnRouteElseTheDefaultRoute() {
        AlertsProperties config = new AlertsProperties(null, Map.of("hook", HOOK, "other", HOOK),
                Map.of("trade", Map.of("P1", List.of("hook")), "default", Map.of("P1", List.of("other"))), null, null, null, null);

        assertThat(config.channelsFor("trade", "P1")).containsExactly("hook");
        assertThat(config.channelsFor("billing", "p1")).containsExactly("other");
        assertThat(config.channelsFor("trade", "P2")).isEmpty();
    }

    @Test
    void aRouteToAnUnknownChannelIsRefusedAtStartWithBothNames() {
        assertThatThrownBy(() -> new AlertsProperties(null, Map.of("hook", HOOK), Map.of("trade", Map.of("P1", List.of("pager"))),
                null, null, null, null))
                .hasMessageContaining("recon.alerts.routes.trade.P1").hasMessageContaining("'pager'").hasMessageContaining("[hook]");
    }

    @Test
    void aChannelWithoutItsAddressIsRefused() {
        assertThatThrownBy(() -> new AlertsProperties(null, Map.of("mail", new AlertsProperties.Channel(AlertsProperties.Kind.EMAIL, null, null, null)),
                null, null, null, null, null)).hasMessageContaining("recon.alerts.channels.mail.to");
        assertThatThrownBy(() -> new AlertsProperties(null, Map.of("hook", new AlertsProperties.Channel(AlertsProperties.Kind.WEBHOOK, " ", null, null)),
                null, null, null, null, null)).hasMessageContaining("recon.alerts.channels.hook.url");
    }

    @Test
    void backOffDoublesAfterEachFailureUpToTheMaximum() {
        AlertsProperties.Dispatch dispatch = new AlertsProperties.Dispatch(true, null, 0, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(10), null);

        assertThat(List.of(dispatch.backoff(1), dispatch.backoff(2), dispatch.backoff(3), dispatch.backoff(4), dispatch.backoff(5), dispatch.backoff(60)))
                .extracting(Duration::toMillis).containsExactly(1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L);
    }

    @Test
    void defaultsAreStatedWhenNothingIsConfigured() {
        AlertsProperties config = new AlertsProperties(null, null, null, null, null, null, null);

        assertThat(config.baseUrl()).isEqualTo("http://localhost:8080");
        assertThat(config.throttle().limit()).isEqualTo(20);
        assertThat(config.digested("P4")).isTrue();
        assertThat(config.digested("P1")).isFalse();
        assertThat(config.dispatch().enabled()).isTrue();
    }
}
