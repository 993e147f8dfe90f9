package io.recon.demo;

import com.zaxxer.hikari.HikariDataSource;
import io.recon.system.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The three demo systems, each its own database in the embedded PostgreSQL: shop (orders),
 * pay (payments), wms (shipments). Created at start if absent.
 */
public class DemoSystems implements AutoCloseable {

    public static final List<String> DATABASES = List.of("shop", "pay", "wms");

    private final Map<String, HikariDataSource> pools = new TreeMap<>();

    public DemoSystems(EmbeddedPostgres postgres) {
        for (String database : DATABASES) {
            postgres.ensureDatabase(database);
            HikariDataSource pool = new HikariDataSource();
            pool.setPoolName("demo-" + database);
            pool.setJdbcUrl(postgres.jdbcUrl(database));
            pool.setUsername(postgres.username());
            pool.setPassword(postgres.password());
            pool.setMaximumPoolSize(8);
            pools.put(database, pool);
            jdbc(database).execute(script(database));
        }
    }

    public JdbcTemplate jdbc(String database) {
        return new JdbcTemplate(pools.get(database));
    }

    private static String script(String database) {
        try {
            return new ClassPathResource("demo/" + database + ".sql").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
    }
}
