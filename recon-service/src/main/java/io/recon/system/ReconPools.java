package io.recon.system;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Recon's own database as one {@code DataSource} over two pools, chosen by who asks: a thread serving an
 * HTTP request (Spring binds its request attributes) gets the {@code api} pool, every other thread (the
 * sessions, the dispatcher, schedulers, start-up) gets the {@code pipeline} pool. The code that reads
 * and writes needs no change, and no request can hold a connection the sessions need.
 */
final class ReconPools extends AbstractRoutingDataSource implements AutoCloseable {

    static final String API = "api";
    static final String PIPELINE = "pipeline";

    private final HikariDataSource api;
    private final HikariDataSource pipeline;

    ReconPools(String jdbcUrl, String username, String password, PoolsProperties config, MeterRegistry metrics) {
        this.api = pool("recon-" + API, jdbcUrl, username, password, config.api(), metrics);
        this.pipeline = pool("recon-" + PIPELINE, jdbcUrl, username, password, config.pipeline(), metrics);
        setTargetDataSources(Map.of(API, api, PIPELINE, pipeline));
        setDefaultTargetDataSource(pipeline);
        afterPropertiesSet();
    }

    private static HikariDataSource pool(String name, String jdbcUrl, String username, String password, PoolsProperties.Pool config,
                                         MeterRegistry metrics) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName(name);
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(username);
        pool.setPassword(password);
        pool.setMaximumPoolSize(config.size());
        pool.setConnectionTimeout(config.connectionTimeout().toMillis());
        if (!config.statementTimeout().isZero()) {
            pool.setConnectionInitSql("set statement_timeout = " + config.statementTimeout().toMillis());
        }
        pool.setMetricRegistry(metrics); // hikaricp.connections.* tagged pool=recon-api / recon-pipeline
        return pool;
    }

    @Override
    protected Object determineCurrentLookupKey() {
        return RequestContextHolder.getRequestAttributes() != null ? API : PIPELINE;
    }

    HikariDataSource api() {
        return api;
    }

    HikariDataSource pipeline() {
        return pipeline;
    }

    @Override
    public void close() {
        api.close();
        pipeline.close();
    }
}
