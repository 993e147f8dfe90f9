package io.recon.targets;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.springframework.stereotype.Component;

/**
 * The systems Recon asks questions of (second checks, lookups), shared by every feature that asks: one rate limit per
 * target, whoever asks (a second check and a lookup on the same database count together; the lowest rate asked
 * for wins), and a brief cache of answers where a lookup of a key already in flight waits for that one's answer.
 */
@Component
public class Targets {

    private static final int SWEEP_ABOVE = 10_000;

    private final Map<String, Limit> limiters = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();

    private record Limit(int rate, TargetRateLimit limit) {
    }

    private record Cached(Object answer, long expiresAt) {
    }

    /** An answer, and whether it came from the cache (or from a lookup of the same key in flight). */
    public record Answer(Object value, boolean hit) {
    }

    /** A question to a target. */
    public interface Fetch {
        Object get() throws InterruptedException;
    }

    /** The target's limiter; a rate lower than the one it runs with replaces it (no one's setting is exceeded). */
    public TargetRateLimit limiter(String target, int rate) {
        return limiters.compute(target, (t, limit) -> limit == null || rate < limit.rate() ? new Limit(rate, new TargetRateLimit(rate))
                : limit).limit();
    }

    /**
     * The cached answer, or the one a lookup of the same key already in flight brings (lookups run side by side, and two of
     * them asking the same question would otherwise both ask), or a new one's, kept for {@code ttl}.
     */
    /** @param fetch must not answer null */
    public Answer answer(String cacheKey, Duration ttl, Fetch fetch) throws InterruptedException {
        Object cached = cached(cacheKey);
        if (cached != null) {
            return new Answer(cached, true);
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> leader = inFlight.putIfAbsent(cacheKey, mine);
        if (leader != null) {
            try {
                return new Answer(leader.get(), true);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        try {
            cached = cached(cacheKey); // answered between the first look and the claim
            Object value = cached != null ? cached : fetch.get();
            if (cached == null && !ttl.isZero()) {
                remember(cacheKey, value, ttl);
            }
            mine.complete(value);
            return new Answer(value, cached != null);
        } catch (RuntimeException | InterruptedException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(cacheKey, mine);
        }
    }

    private Object cached(String cacheKey) {
        Cached cached = cache.get(cacheKey);
        return cached != null && cached.expiresAt() > System.currentTimeMillis() ? cached.answer() : null;
    }

    private void remember(String cacheKey, Object answer, Duration ttl) {
        long now = System.currentTimeMillis();
        if (cache.size() > SWEEP_ABOVE) {
            cache.values().removeIf(c -> c.expiresAt() <= now);
        }
        cache.put(cacheKey, new Cached(answer, now + ttl.toMillis()));
    }
}
