package io.recon.system;

import io.recon.system.embedded.EmbeddedPostgres;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Where Recon's own PostgreSQL and Kafka are, as operators see it in {@code /actuator/recon}: host and port of the
 * embedded servers (what psql and a Kafka client need to write to the demo's sources), or "external". Never a
 * URL of an external server: it may carry credentials.
 */
@Component
public class Infrastructure {

    private final InfrastructureProperties properties;
    private final ObjectProvider<EmbeddedPostgres> postgres;
    private final KafkaEndpoint kafka;

    Infrastructure(InfrastructureProperties properties, ObjectProvider<EmbeddedPostgres> postgres, KafkaEndpoint kafka) {
        this.properties = properties;
        this.postgres = postgres;
        this.kafka = kafka;
    }

    /** {@code postgres} and {@code kafka}: "host:port (embedded)" or "external". */
    public Map<String, String> endpoints() {
        Map<String, String> out = new LinkedHashMap<>();
        EmbeddedPostgres pg = properties.datasource().external() ? null : postgres.getIfAvailable();
        out.put("postgres", pg == null ? "external" : "127.0.0.1:" + pg.port() + " (embedded, user " + EmbeddedPostgres.USER + ")");
        out.put("kafka", properties.kafka().external() ? "external" : kafka.bootstrap() + " (embedded)");
        return out;
    }
}
