package io.recon.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.source.SourceBinding;
import io.recon.source.SourceClocks;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatermarkEmitterTest {

    private static final TaskGroupsProperties.TaskGroup CONFIG =
            new TaskGroupsProperties.TaskGroup(2, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(30), 500);
    private static final Map<String, SourceBinding.Kind> SHOP_AND_PAY = Map.of("shop", SourceBinding.Kind.TABLE, "pay", SourceBinding.Kind.TABLE);

    @Test
    void theOldestActiveSourceHoldsTheClockBackByTheAllowedLateness() {
        SourceClocks clocks = caughtUp("shop", "pay");
        long now = System.currentTimeMillis();
        clocks.saw("shop", now - 1_000);
        clocks.saw("pay", now - 3_000);
        WatermarkEmitter emitter = new WatermarkEmitter("trade", SHOP_AND_PAY, 2, CONFIG, clocks, null);

        assertThat(emitter.watermark(now)).isEqualTo(now - 3_000 - 5_000);
    }

    @Test
    void anIdleSourceStopsHoldingTheClockBack() {
        SourceClocks clocks = caughtUp("shop", "pay");
        long now = System.currentTimeMillis();
        clocks.saw("shop", now - 60_000);
        WatermarkEmitter emitter = new WatermarkEmitter("trade", SHOP_AND_PAY, 2, CONFIG, clocks, null);

        assertThat(emitter.watermark(now + 3_000)).as("both idle: wall time").isEqualTo(now + 3_000 - 5_000);
    }

    @Test
    void afterARestartASourceStillReadingItsBacklogIsNeverIdle() {
        SourceClocks clocks = new SourceClocks();
        clocks.catchingUp("shop");
        clocks.catchingUp("pay");
        long now = System.currentTimeMillis();
        WatermarkEmitter emitter = new WatermarkEmitter("trade", SHOP_AND_PAY, 2, CONFIG, clocks, null);

        assertThat(emitter.watermark(now)).as("nothing read yet: the clock stays where the checkpoint left it").isEqualTo(Long.MIN_VALUE);
        clocks.saw("shop", now - 50_000);                 // the backlog starts arriving; pay has not delivered yet
        assertThat(emitter.watermark(now + 10_000)).isEqualTo(Long.MIN_VALUE);
        clocks.saw("pay", now - 40_000);
        clocks.caughtUp("pay");
        assertThat(emitter.watermark(now + 10_000)).as("shop, silent but behind, holds the clock at its newest event")
                .isEqualTo(now - 50_000 - 5_000);
        clocks.caughtUp("shop");
        assertThat(emitter.watermark(now + 10_000)).as("both caught up and silent: wall time").isEqualTo(now + 10_000 - 5_000);
    }

    @Test
    void aSilentCdcSourceCountsOnlyUpToWhatItsLastMarkerProved() {
        SourceClocks clocks = caughtUp("shop", "pay");
        long now = System.currentTimeMillis();
        clocks.saw("shop", now - 60_000);
        clocks.saw("pay", now - 60_000);
        clocks.caughtUpTo("pay", now - 20_000); // its stream lags: the last marker back was written 20 s ago
        WatermarkEmitter emitter = new WatermarkEmitter("trade", SHOP_AND_PAY, 2, CONFIG, clocks, null);

        assertThat(emitter.watermark(now + 3_000)).as("both silent; shop at wall time, pay where its marker proved it")
                .isEqualTo(now - 20_000 - 5_000);
    }

    @Test
    void aKafkaConnectSourceHoldsTheClockLikeATopicWithABacklog() {
        SourceClocks clocks = caughtUp("pay");
        long now = System.currentTimeMillis();
        clocks.saw("pay", now - 60_000);
        Map<String, SourceBinding.Kind> sources = Map.of("pay", SourceBinding.Kind.TABLE, "shop-orders", SourceBinding.Kind.CONNECT);
        WatermarkEmitter emitter = new WatermarkEmitter("trade", sources, 2, CONFIG, clocks, null);

        assertThat(emitter.watermark(now)).as("its consumer has not said it read to the end offsets").isEqualTo(Long.MIN_VALUE);
        clocks.catchingUp("shop-orders");
        clocks.saw("shop-orders", now - 30_000);
        assertThat(emitter.watermark(now + 10_000)).as("reading its backlog: silent, but not idle").isEqualTo(now - 30_000 - 5_000);
        clocks.caughtUpTo("shop-orders", now);
        assertThat(emitter.watermark(now + 10_000)).as("read to the end offsets it asked for at now: idle up to then")
                .isEqualTo(now - 5_000);
    }

    @Test
    void sourcesWithoutABacklogAndNotYetStartedAdapters() {
        SourceClocks clocks = new SourceClocks();
        long now = System.currentTimeMillis();
        Map<String, SourceBinding.Kind> pushOnly = Map.of("push", SourceBinding.Kind.HTTP);
        assertThat(new WatermarkEmitter("t", pushOnly, 1, CONFIG, clocks, null).watermark(now)).isEqualTo(now - 5_000);
        assertThat(new WatermarkEmitter("t", SHOP_AND_PAY, 1, CONFIG, clocks, null).watermark(now))
                .as("a captured table whose adapter has not started yet counts as behind").isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aSourceAddedWhileTheServiceRunsHoldsTheClockUntilItHasCaughtUp() {
        SourceClocks clocks = caughtUp("shop");
        long now = System.currentTimeMillis();
        clocks.saw("shop", now - 1_000);
        java.util.concurrent.atomic.AtomicReference<Map<String, SourceBinding.Kind>> catalog =
                new java.util.concurrent.atomic.AtomicReference<>(Map.of("shop", SourceBinding.Kind.TABLE));
        WatermarkEmitter emitter = new WatermarkEmitter("trade", catalog::get, 2, CONFIG, clocks, null);
        assertThat(emitter.watermark(now)).isEqualTo(now - 1_000 - 5_000);

        catalog.set(SHOP_AND_PAY); // PUT /api/sources/pay
        assertThat(emitter.watermark(now)).as("the new source has not started: behind, the clock stays").isEqualTo(Long.MIN_VALUE);
        clocks.saw("pay", now - 30_000); // reading what was committed before it was added
        assertThat(emitter.watermark(now)).as("the new source's backlog holds the clock").isEqualTo(now - 30_000 - 5_000);
        clocks.caughtUp("pay");
        clocks.saw("pay", now - 500);
        assertThat(emitter.watermark(now)).as("caught up: the oldest source again").isEqualTo(now - 1_000 - 5_000);
    }

    private static SourceClocks caughtUp(String... sources) {
        SourceClocks clocks = new SourceClocks();
        for (String source : sources) {
            clocks.caughtUp(source);
        }
        return clocks;
    }
}
