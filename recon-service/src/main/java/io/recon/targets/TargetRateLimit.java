package io.recon.targets;

import java.util.Arrays;

/**
 * At most {@code rate} lookups on one target in any second, evenly spaced. A lookup starts no sooner than
 * {@code 1/rate} after the one before it started, and no sooner than one second after the lookup {@code rate}
 * places before it was answered. The second rule makes the limit hold at the target itself, whatever the
 * network's delays, because the target cannot have received a request later than its answer came back.
 *
 * <p>Not Resilience4j's RateLimiter: its fixed one-second cycles hand out a cycle's permits at once, so a burst
 * at the end of one cycle and another at the start of the next put twice the rate into one second at the target.
 */
public final class TargetRateLimit {

    private static final long SECOND = 1_000_000_000L;
    private static final long IN_FLIGHT = Long.MAX_VALUE;

    private final long spacing;
    /** When each of the last {@code rate} lookups was answered (IN_FLIGHT while it runs), as a ring. */
    private final long[] answered;
    private int next;
    private long lastStart = Long.MIN_VALUE / 2;

    public TargetRateLimit(int rate) {
        this.spacing = SECOND / rate;
        this.answered = new long[rate];
        Arrays.fill(answered, Long.MIN_VALUE / 2);
    }

    /** A permit to send one lookup now; close it when the answer (or the failure) is in. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    public Permit acquire() throws InterruptedException {
        int slot;
        synchronized (this) {
            while (true) {
                long now = System.nanoTime();
                long oldest = answered[next];
                long freeAt = oldest == IN_FLIGHT ? IN_FLIGHT : Math.max(oldest + SECOND, lastStart + spacing);
                if (freeAt <= now) {
                    break;
                }
                if (freeAt == IN_FLIGHT) {
                    wait();
                } else {
                    long nanos = freeAt - now;
                    wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
                }
            }
            slot = next;
            answered[slot] = IN_FLIGHT;
            lastStart = System.nanoTime();
            next = (next + 1) % answered.length;
        }
        return () -> {
            synchronized (TargetRateLimit.this) {
                answered[slot] = System.nanoTime();
                TargetRateLimit.this.notifyAll();
            }
        };
    }
}
