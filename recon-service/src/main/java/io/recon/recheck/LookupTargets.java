package io.recon.recheck;

import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.recon.source.SourceDatabasesProperties;
import io.recon.system.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The databases second checks read: a small read-only pool per database, a rate limiter per
 * database so that checks never crowd out the system they ask, and a short cache per (check, key).
 */
@Component
class LookupTargets implements AutoCloseable {

    private final SourceDatabasesProperties databases;
    private final ObjectProvider<EmbeddedPostgres> embedded;
    private final RecheckProperties config;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(boolean holds, long expiresAt) {
    }

    LookupTargets(SourceDatabasesProperties databases, ObjectProvider<EmbeddedPostgres> embedded, RecheckProperties config) {
        this.databases = databases;
        this.embedded = embedded;
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
        Boolean holds = RateLimiter.decorateSupplier(limiter, () -> new NamedParameterJdbcTemplate(pool(check.database()))
                .queryForObject(check.sql(), new MapSqlParameterSource("key", key), Boolean.class)).get();
        if (holds == null) {
            throw new IllegalStateException("the check's SQL answered null for key " + key + "; it must answer true or false");
        }
        cache.put(cacheKey, new Cached(holds, System.currentTimeMillis() + config.cacheTtl().toMillis()));
        return holds;
    }

    private HikariDataSource pool(String database) {
        return pools.computeIfAbsent(database, name -> {
            HikariDataSource pool = new HikariDataSource();
            pool.setPoolName("recheck-" + name);
            pool.setMaximumPoolSize(2);
            pool.setReadOnly(true);
            pool.setConnectionTimeout(5_000);
            SourceDatabasesProperties.Database db = databases.databases().get(name);
            if (db != null) {
                pool.setJdbcUrl("jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database());
                pool.setUsername(db.username());
                pool.setPassword(db.password());
            } else {
                EmbeddedPostgres postgres = embedded.getIfAvailable();
                if (postgres == null) {
                    throw new IllegalStateException("database '" + name + "' of a second check is not configured: set recon.databases."
                            + name + ".host/port/database/username/password");
                }
                pool.setJdbcUrl(postgres.jdbcUrl(name));
                pool.setUsername(postgres.username());
                pool.setPassword(postgres.password());
            }
            return pool;
        });
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
    }
}
