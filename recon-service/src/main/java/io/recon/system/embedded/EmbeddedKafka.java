package io.recon.system.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka (KRaft, combined broker and controller) inside this JVM, built from Kafka's
 * own server classes.
 *
 * <p>The log directory is formatted once; later starts reuse it, so topics, records and committed
 * offsets survive a restart. The quorum is static ({@code controller.quorum.voters}), which keeps
 * the controller's address out of the metadata log: a restart may therefore use new ports.
 *
 * <p>Beware: Kafka's fatal-fault handlers end the process ({@code Exit.halt}) when the metadata log
 * is unusable; that is Kafka's choice and applies to this in-process broker as well.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path logDir;
    private final int requestedBrokerPort;
    private final int requestedControllerPort;
    private final Map<String, String> overrides;

    private KafkaRaftServer server;
    private int brokerPort = -1;
    private int controllerPort = -1;

    private EmbeddedKafka(Builder b) {
        this.logDir = b.logDir.toAbsolutePath().normalize();
        this.requestedBrokerPort = b.brokerPort;
        this.requestedControllerPort = b.controllerPort;
        this.overrides = Map.copyOf(b.overrides);
    }

    public static Builder builder(Path logDir) {
        return new Builder(logDir);
    }

    /** Formats the log directory on first use, then starts broker and controller. */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            return this;
        }
        int bPort = requestedBrokerPort == 0 ? freePort() : requestedBrokerPort;
        int cPort = requestedControllerPort == 0 ? freePort(bPort) : requestedControllerPort;
        Map<String, String> props = serverProperties(bPort, cPort);
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(s);
            throw new IllegalStateException("Embedded Kafka did not start on " + logDir + " (broker port " + bPort
                    + ", controller port " + cPort + "): " + e.getMessage(), e);
        }
        server = s;
        brokerPort = bPort;
        controllerPort = cPort;
        return this;
    }

    public synchronized String bootstrapServers() {
        requireRunning();
        return HOST + ":" + brokerPort;
    }

    public synchronized int brokerPort() {
        requireRunning();
        return brokerPort;
    }

    public synchronized int controllerPort() {
        requireRunning();
        return controllerPort;
    }

    public Path logDirectory() {
        return logDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts broker and controller down and waits for it; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
    }

    private Map<String, String> serverProperties(int bPort, int cPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + cPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + bPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + cPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + bPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());
        // One node: every internal topic must fit on it, or consumers and transactions never work.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // The default 128 MiB dedupe buffer is allocated even when nothing is compacted.
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        // Topics are part of the deployment, not a side effect of a typo in a producer.
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.putAll(overrides);
        return p;
    }

    private void format() throws Exception {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        formatter.run();
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException ignored) {
            // The start failure is the error worth reporting.
        }
    }

    private static int freePort(int... avoid) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int port = s.getLocalPort();
                if (java.util.Arrays.stream(avoid).noneMatch(a -> a == port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new IllegalStateException("Could not find a free port: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("Could not find a free port");
    }

    private void requireRunning() {
        if (server == null) {
            throw new IllegalStateException("EmbeddedKafka on " + logDir + " is not running");
        }
    }

    public static final class Builder {
        private final Path logDir;
        private int brokerPort;
        private int controllerPort;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
        }

        /** 0 (the default) picks a free port at every start. */
        public Builder brokerPort(int port) {
            this.brokerPort = checkPort(port);
            return this;
        }

        /** 0 (the default) picks a free port at every start. */
        public Builder controllerPort(int port) {
            this.controllerPort = checkPort(port);
            return this;
        }

        /** Any further broker setting; wins over the defaults above. */
        public Builder property(String key, String value) {
            overrides.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder properties(Properties props) {
            props.stringPropertyNames().forEach(k -> overrides.put(k, props.getProperty(k)));
            return this;
        }

        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }
    }
}
