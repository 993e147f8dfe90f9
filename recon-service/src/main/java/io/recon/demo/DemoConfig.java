package io.recon.demo;

import io.recon.system.KafkaEndpoint;
import io.recon.system.embedded.EmbeddedPostgres;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The demo runs on the embedded default only: its systems are databases in the embedded PostgreSQL.
 * {@code recon.demo.enabled=false} turns it off; the generator alone with {@code recon.demo.traffic=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "recon.demo.enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnExpression("'${recon.datasource.url:}'.isBlank()")
class DemoConfig {

    @Bean(destroyMethod = "close")
    DemoSystems demoSystems(EmbeddedPostgres postgres, KafkaEndpoint kafka, DemoProperties properties) {
        kafka.ensureTopic(properties.courierTopic());
        return new DemoSystems(postgres);
    }

    /** After demoSystems, so that the databases it lists exist when the catalog (and its checks) reach them. */
    @Bean
    DemoDatabasesSeed demoDatabasesSeed(DemoSystems systems, EmbeddedPostgres postgres) {
        return new DemoDatabasesSeed(postgres);
    }

    @Bean
    FaultLedger faultLedger(JdbcTemplate jdbc) {
        return new FaultLedger(jdbc);
    }

    @Bean
    @ConditionalOnProperty(name = "recon.demo.traffic", havingValue = "true", matchIfMissing = true)
    TrafficGenerator trafficGenerator(DemoSystems systems, FaultLedger ledger, DemoProperties properties, KafkaEndpoint kafka,
                                      io.recon.cluster.ClusterProperties cluster) {
        return new TrafficGenerator(systems, ledger, properties, kafka.bootstrap(), cluster);
    }
}
