package io.recon.system;

import com.zaxxer.hikari.HikariDataSource;
import io.recon.source.SourceDatabasesProperties;
import io.recon.system.embedded.EmbeddedPostgres;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Small connection pools to the source systems' databases, for the steps that read or write them
 * directly (second checks, SQL repairs): {@code recon.databases.<name>}, or on the embedded default
 * the demo databases in the embedded PostgreSQL.
 */
@Component
public class SourceDatabasePools implements AutoCloseable {

    private final SourceDatabasesProperties databases;
    private final ObjectProvider<EmbeddedPostgres> embedded;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

    SourceDatabasePools(SourceDatabasesProperties databases, ObjectProvider<EmbeddedPostgres> embedded) {
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
            SourceDatabasesProperties.Database db = databases.databases().get(database);
            if (db != null) {
                pool.setJdbcUrl("jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database());
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

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
    }
}
