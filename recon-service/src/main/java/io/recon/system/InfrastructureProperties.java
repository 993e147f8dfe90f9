package io.recon.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Recon keeps its state and which infrastructure it uses. Leave the datasource URL and the
 * Kafka bootstrap empty for the embedded default: a local PostgreSQL and an in-process Kafka broker,
 * both keeping their data under {@code workDir}.
 *
 * @param workDir    embedded PostgreSQL and Kafka data (RECON_WORK_DIR)
 * @param datasource an external PostgreSQL for Recon's own tables (RECON_DATASOURCE_URL, ..._USERNAME, ..._PASSWORD)
 * @param kafka      an external Kafka cluster (RECON_KAFKA_BOOTSTRAP)
 * @param embedded   ports of the embedded servers; 0 picks free ports
 */
@ConfigurationProperties("recon")
public record InfrastructureProperties(@DefaultValue(".recon") String workDir,
                                       @DefaultValue Datasource datasource,
                                       @DefaultValue Kafka kafka,
                                       @DefaultValue Embedded embedded) {

    public Path workPath() {
        return Path.of(workDir).toAbsolutePath();
    }

    public record Datasource(String url, String username, String password) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    public record Kafka(String bootstrap) {
        public boolean external() {
            return bootstrap != null && !bootstrap.isBlank();
        }
    }

    public record Embedded(@DefaultValue("0") int postgresPort, @DefaultValue("0") int kafkaPort) {
    }
}
