package io.recon.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.source.SourceClocks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatermarkEmitterTest {

    private static final TaskGroupsProperties.TaskGroup CONFIG =
            new TaskGroupsProperties.TaskGroup(2, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(30), 500);

    @Test
    void theOldestActiveSourceHoldsTheClockBackByTheAllowedLateness() {
        SourceClocks clocks = new SourceClocks();
        long now = System.currentTimeMillis();
        clocks.saw("shop", now - 1_000);
        clocks.saw("pay", now - 3_000);
        WatermarkEmitter emitter = new WatermarkEmitter("trade", List.of("shop", "pay"), 2, CONFIG, clocks, null);

        assertThat(emitter.watermark(now)).isEqualTo(now - 3_000 - 5_000);
    }

    @Test
    void anIdleSourceStopsHoldingTheClockBack() {
        SourceClocks clocks = new SourceClocks();
        long now = System.currentTimeMillis();
        clocks.saw("shop", now - 60_000);
        WatermarkEmitter emitter = new WatermarkEmitter("trade", List.of("shop", "pay"), 2, CONFIG, clocks, null);

        assertThat(emitter.watermark(now + 3_000)).as("both idle: wall time").isEqualTo(now + 3_000 - 5_000);
    }
}
