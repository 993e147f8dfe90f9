package io.recon.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.recon.fact.FactPublisher;
import io.recon.system.embedded.EmbeddedKafka;
import io.recon.system.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default: with no external database or Kafka configured, Recon starts a local
 * PostgreSQL (the machine's binaries, as an unprivileged user when running as root) and an
 * in-process KRaft broker, both keeping their data under the work directory and stopped with the service.
 */
@Configuration(proxyBeanMethods = false)
class InfrastructureConfig {

    private static final Logger log = LoggerFactory.getLogger(InfrastructureConfig.class);
    static final String RECON_DATABASE = "recon";

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${recon.datasource.url:}'.isBlank()")
    EmbeddedPostgres embeddedPostgres(InfrastructureProperties properties) {
        Path dir = properties.workPath().resolve("postgres");
        long started = System.nanoTime();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder(dir.resolve("data"))
                .port(properties.embedded().postgresPort())
                .build()
                .start();
        postgres.ensureDatabase(RECON_DATABASE);
        log.info("embedded PostgreSQL on 127.0.0.1:{} ({} ms), data in {}; from a shell: psql -h 127.0.0.1 -p {} -U {} <database>",
                postgres.port(), (System.nanoTime() - started) / 1_000_000, dir, postgres.port(), EmbeddedPostgres.USER);
        return postgres;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${recon.kafka.bootstrap:}'.isBlank()")
    EmbeddedKafka embeddedKafka(InfrastructureProperties properties) {
        long started = System.nanoTime();
        EmbeddedKafka kafka = EmbeddedKafka.builder(properties.workPath().resolve("kafka"))
                .brokerPort(properties.embedded().kafkaPort())
                .build()
                .start();
        log.info("embedded Kafka at {} ({} ms)", kafka.bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
        return kafka;
    }

    /** Recon's database: one pool for HTTP requests, one for the sessions and background work (see {@link ReconPools}). */
    @Bean(destroyMethod = "close")
    ReconPools dataSource(InfrastructureProperties properties, ObjectProvider<EmbeddedPostgres> embedded, PoolsProperties pools,
                          MeterRegistry metrics) {
        ReconDatabase db = database(properties, embedded);
        return new ReconPools(db.jdbcUrl(), db.username(), db.password(), pools, metrics);
    }

    /** Recon's own database, for components that keep state outside the pools (Debezium's offset store). */
    @Bean
    ReconDatabase reconDatabase(InfrastructureProperties properties, ObjectProvider<EmbeddedPostgres> embedded) {
        return database(properties, embedded);
    }

    private static ReconDatabase database(InfrastructureProperties properties, ObjectProvider<EmbeddedPostgres> embedded) {
        var external = properties.datasource();
        if (external.external()) {
            return new ReconDatabase(external.url(), external.username(), external.password());
        }
        EmbeddedPostgres postgres = embedded.getObject();
        return new ReconDatabase(postgres.jdbcUrl(RECON_DATABASE), postgres.username(), postgres.password());
    }

    @Bean
    KafkaEndpoint kafkaEndpoint(InfrastructureProperties properties, ObjectProvider<EmbeddedKafka> embedded) {
        return new KafkaEndpoint(properties.kafka().external() ? properties.kafka().bootstrap() : embedded.getObject().bootstrapServers());
    }

    @Bean(destroyMethod = "close")
    FactPublisher factPublisher(KafkaEndpoint kafka) {
        return new FactPublisher(kafka.bootstrap());
    }
}
