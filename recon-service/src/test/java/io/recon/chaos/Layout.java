package io.recon.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where the parts of one run live for a given {@link Outage}: by default everything on the service's embedded
 * default; for an outage of the results store or of the source databases, the source databases in a server of
 * their own; for an outage of the broker, the broker in a process of its own. Stops and starts the one that goes away.
 */
final class Layout implements AutoCloseable {

    private final Outage outage;
    private final SourceDatabases sources;
    private final BrokerProcess broker;

    private Layout(Outage outage, SourceDatabases sources, BrokerProcess broker) {
        this.outage = outage;
        this.sources = sources;
        this.broker = broker;
    }

    static Layout of(Outage outage, Path workDir) throws Exception {
        SourceDatabases sources = outage.ownSourceServer() ? new SourceDatabases(workDir.resolve("sources-postgres")) : null;
        BrokerProcess broker = null;
        if (outage.ownBroker()) {
            broker = new BrokerProcess(workDir.resolve("kafka-broker/log"), io.recon.it.Ports.freePort());
            broker.start(Duration.ofMinutes(3));
        }
        return new Layout(outage, sources, broker);
    }

    List<String> settings(List<String> base) {
        List<String> all = new ArrayList<>(base);
        if (sources != null) {
            all.addAll(sources.settings());
        }
        if (broker != null) {
            all.add("recon.kafka.bootstrap=" + broker.bootstrap());
        }
        return all;
    }

    Function<String, String> jdbcUrl(ServiceProcess service) {
        return sources != null ? sources::jdbcUrl : service::jdbcUrl;
    }

    String bootstrap(ServiceProcess service) {
        return broker != null ? broker.bootstrap() : service.kafkaBootstrap();
    }

    void stop(ServiceProcess service) throws IOException, InterruptedException {
        switch (outage) {
            case PG -> service.stopPostgres();
            case SOURCE -> sources.stop();
            case KAFKA -> broker.stop();
            case NONE -> { }
        }
    }

    void start(ServiceProcess service) throws IOException, InterruptedException {
        switch (outage) {
            case PG -> service.startPostgres();
            case SOURCE -> sources.start();
            case KAFKA -> broker.start(Duration.ofMinutes(3));
            case NONE -> { }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
        if (sources != null) {
            sources.close();
        }
    }
}
