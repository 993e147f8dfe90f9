package io.recon.catalog;

import com.zaxxer.hikari.HikariDataSource;
import io.recon.system.embedded.EmbeddedPostgres;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Small connection pools to the source systems' databases, for the steps that read or write them
 * directly (second checks, SQL repairs): the catalog's databases, or on the embedded default
 * the demo databases in the embedded PostgreSQL.
 */
@Component
public class SourceDatabasePools implements AutoCloseable {

    private final Catalog databases;
    private final ObjectProvider<EmbeddedPostgres> embedded;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

    SourceDatabasePools(Catalog databases, ObjectProvider<EmbeddedPostgres> embedded) {
        this.databases = databases;
        this.embedded = embedded;
    }

    /**
     * @param purpose  names the pool ("recheck", "repair"): each purpose gets its own, so one cannot starve the other
     * @param readOnly connections refuse writes (for lookups)
     */
    public DataSource pool(String database, String purpose, boolean readOnly) {
        return pools.computeIfAbsent(purpose + "-" + database, name -> {
            HikariDataSource pool = new HikariDataSource();
            pool.setPoolName(name);
            pool.setMaximumPoolSize(2);
            pool.setConnectionTimeout(5_000);
            pool.setReadOnly(readOnly);
            DatabaseAccess db = databases.access(database).orElse(null);
            if (db != null) {
                pool.setJdbcUrl(db.jdbcUrl());
                pool.setUsername(db.username());
                pool.setPassword(db.password());
            } else {
                EmbeddedPostgres postgres = embedded.getIfAvailable();
                if (postgres == null) {
                    throw new IllegalStateException("database '" + database + "' is not configured: set recon.databases."
                            + database + ".host/port/database/username/password");
                }
                pool.setJdbcUrl(postgres.jdbcUrl(database));
                pool.setUsername(postgres.username());
                pool.setPassword(postgres.password());
            }
            return pool;
        });
    }

    /** A database changed or removed in the catalog: its pools are closed, the next use connects anew. */
    @org.springframework.context.event.EventListener
    void databaseChanged(io.recon.catalog.CatalogChanged.DatabaseChanged change) {
        pools.entrySet().removeIf(e -> {
            boolean ofIt = e.getKey().endsWith("-" + change.name());
            if (ofIt) {
                e.getValue().close();
            }
            return ofIt;
        });
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
    }
}
