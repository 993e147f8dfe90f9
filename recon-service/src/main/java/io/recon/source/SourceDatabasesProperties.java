package io.recon.source;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code recon.databases.<name>}: where a captured database lives. A database not listed here is
 * looked for in the embedded PostgreSQL (the demo's shop, pay and wms databases).
 */
@ConfigurationProperties("recon")
public record SourceDatabasesProperties(Map<String, Database> databases) {

    public SourceDatabasesProperties {
        databases = databases == null ? Map.of() : Map.copyOf(databases);
    }

    public record Database(String host, int port, String database, String username, String password) {
        @Override
        public String toString() {
            return "Database[" + host + ":" + port + "/" + database + ", user=" + username + ", password=****]";
        }
    }
}
