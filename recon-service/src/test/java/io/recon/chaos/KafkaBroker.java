package io.recon.chaos;

import io.recon.system.embedded.EmbeddedKafka;
import java.nio.file.Path;

/**
 * {@code KafkaBroker LOG_DIR PORT}: a single-node Kafka broker in a JVM of its own, so that an outage test can take
 * the broker away from a running service (SIGTERM) and bring it back on the same port and log, as an operator
 * restarting a real broker would. Prints {@code READY host:port} once it takes requests.
 */
public final class KafkaBroker {

    private KafkaBroker() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka kafka = EmbeddedKafka.builder(Path.of(args[0])).brokerPort(Integer.parseInt(args[1])).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-broker-stop"));
        System.out.println("READY " + kafka.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
