package io.recon.recheck;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.recon.system.SourceDatabasePools;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The databases second checks read: a small read-only pool per database, a rate limiter per
 * database so that checks never crowd out the system they ask, and a short cache per (check, key).
 */
@Component
class LookupTargets {

    private final SourceDatabasePools pools;
    private final RecheckProperties config;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(boolean holds, long expiresAt) {
    }

    LookupTargets(SourceDatabasePools pools, RecheckProperties config) {
        this.pools = pools;
        this.config = config;
    }

    /** @return whether the mismatch still holds according to the source's current state */
    boolean stillHolds(String checkName, RecheckProperties.Check check, String key) {
        String cacheKey = checkName + "\u0000" + key;
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.expiresAt() > System.currentTimeMillis()) {
            return cached.holds();
        }
        RateLimiter limiter = limiters.computeIfAbsent(check.database(), db -> RateLimiter.of("recheck-" + db, RateLimiterConfig.custom()
                .limitForPeriod(check.rate()).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(30)).build()));
        Boolean holds = RateLimiter.decorateSupplier(limiter, () -> new NamedParameterJdbcTemplate(pools.pool(check.database(), "recheck", true))
                .queryForObject(check.sql(), new MapSqlParameterSource("key", key), Boolean.class)).get();
        if (holds == null) {
            throw new IllegalStateException("the check's SQL answered null for key " + key + "; it must answer true or false");
        }
        cache.put(cacheKey, new Cached(holds, System.currentTimeMillis() + config.cacheTtl().toMillis()));
        return holds;
    }

}
