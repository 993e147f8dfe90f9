package io.recon.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TargetRateLimitTest {

    @Test
    void fourThreadsTogetherStartNoMoreThanTheRateInAnySecondEvenlySpaced() throws Exception {
        TargetRateLimit limit = new TargetRateLimit(20);
        List<Long> starts = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            done.add(pool.submit(() -> {
                try (TargetRateLimit.Permit p = limit.acquire()) {
                    starts.add(System.nanoTime());
                    Thread.sleep(5); // the lookup
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<Long> sorted = starts.stream().sorted().toList();
        for (int i = 0; i + 20 < sorted.size(); i++) {
            // strict: the 21st start waits for a second after the 1st one's answer, which came after its recorded start
            assertThat(sorted.get(i + 20) - sorted.get(i)).as("21 starts span at least a second").isGreaterThanOrEqualTo(1_000_000_000L);
        }
        for (int k = 0; k < sorted.size(); k++) {
            // evenly spaced: the k-th grant comes k/rate after the first at the earliest. A start is recorded after its
            // grant (a thread descheduled in between records it later, never earlier), so the k-th recorded start
            // cannot come sooner either, however the four threads are scheduled on a loaded machine
            assertThat(sorted.get(k) - t0).as("start %d is %d/rate after the first at the earliest", k, k)
                    .isGreaterThanOrEqualTo(k * 50_000_000L - 1_000_000L);
        }
        assertThat(System.nanoTime() - t0).as("50 at 20/s").isGreaterThanOrEqualTo(49 * 50_000_000L);
    }

    @Test
    void aLookupStillRunningHoldsTheSlotItWillFree() throws Exception {
        TargetRateLimit limit = new TargetRateLimit(1);
        TargetRateLimit.Permit first = limit.acquire();
        long t0 = System.nanoTime();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            first.close();
        });
        release.start();
        try (TargetRateLimit.Permit second = limit.acquire()) {
            // a second after the first one's answer, not after its start
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(1_300_000_000L - 5_000_000L);
        }
    }
}
