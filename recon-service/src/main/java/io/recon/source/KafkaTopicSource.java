package io.recon.source;

import io.recon.system.KafkaEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The Kafka topics bound as sources, one {@link TopicSource} each on its own consumer thread: TOPIC sources (JSON
 * business events, {@link JsonEvents}) and CONNECT sources (Debezium change events a Kafka Connect worker writes,
 * {@link ConnectEvents}). Started after the
 * sessions; a source that fails (the broker away, a commit refused) is restarted by {@link SourceSupervisor}.
 * {@link #start(String)} and {@link #stop(String)} act on one source, for whoever manages sources while the
 * service runs.
 */
@Component
@org.springframework.core.annotation.Order(1)
class KafkaTopicSource implements SmartLifecycle, io.recon.cluster.ClusterSingleton {

    private static final Logger log = LoggerFactory.getLogger(KafkaTopicSource.class);

    private final FactRouter router;
    private final SourceCatalog catalog;
    private final KafkaEndpoint kafka;
    private final JsonRecords json;
    private final SourceClocks clocks;
    private final RowChanges rowChanges;
    private final Map<String, TopicSource> sources = new ConcurrentHashMap<>();
    private volatile boolean running;

    private final io.recon.cluster.ClusterProperties cluster;

    KafkaTopicSource(FactRouter router, SourceCatalog catalog, KafkaEndpoint kafka, JsonRecords json, SourceClocks clocks,
                     RowChanges rowChanges, io.recon.cluster.ClusterProperties cluster) {
        this.cluster = cluster;
        this.json = json;
        this.rowChanges = rowChanges;
        this.router = router;
        this.clocks = clocks;
        this.catalog = catalog;
        this.kafka = kafka;
    }

    @Override
    public void start() {
        running = true;
        catalog.bindings().forEach((name, b) -> {
            if (readsTopic(b.kind())) {
                start(name);
            }
        });
    }

    /** Starts reading the topic bound as source {@code name} (creating it on the embedded default); false if no such topic binding. */
    boolean start(String name) {
        SourceBinding binding = catalog.bindings().get(name);
        if (binding == null || !readsTopic(binding.kind())) {
            return false;
        }
        boolean connect = binding.kind() == SourceBinding.Kind.CONNECT;
        TopicSource source = sources.computeIfAbsent(name, n -> new TopicSource(binding, n, router, kafka,
                connect ? new ConnectEvents(router, rowChanges) : new JsonEvents(router, json), !connect, clocks));
        if (!connect) { // a Connect worker creates its topics itself, with its own partitions and replication
            try {
                kafka.ensureTopic(binding.topic());
            } catch (RuntimeException e) {
                // the broker may be away: the consumer fails to find the topic and the supervisor restarts it until it is back
                log.warn("topic source {}: topic {} not checked ({}); reading it anyway", name, binding.topic(), e.getMessage());
            }
        }
        source.start();
        return true;
    }

    /** Stops reading source {@code name} and forgets it (it is no longer supervised); false if it was not read. */
    boolean stop(String name) {
        TopicSource source = sources.remove(name);
        if (source == null) {
            return false;
        }
        source.stop();
        return true;
    }

    /**
     * A topic source added, changed, switched off or deleted in the catalog: that source's consumer is stopped (what it
     * read is committed) and, if the source is still bound, started again on the new binding; the other topics go on.
     * A source read again resumes at its committed offset, a new one reads its topic from the beginning.
     */
    @org.springframework.context.event.EventListener
    @org.springframework.core.annotation.Order(10)
    public void sourceChanged(io.recon.catalog.CatalogChanged.SourceChanged change) {
        boolean topic = (change.before() != null && readsTopic(SourceBinding.Kind.valueOf(change.before().kind().name())))
                || (change.after() != null && readsTopic(SourceBinding.Kind.valueOf(change.after().kind().name())));
        if (!topic || !running) {
            return;
        }
        stop(change.name());
        if (start(change.name())) {
            log.info("topic source {} now reads topic {}", change.name(), catalog.bindings().get(change.name()).topic());
        } else {
            log.info("topic source {} no longer read", change.name());
        }
    }

    private static boolean readsTopic(SourceBinding.Kind kind) {
        return kind == SourceBinding.Kind.TOPIC || kind == SourceBinding.Kind.CONNECT;
    }

    /** The topic sources being read, for supervision and health. */
    List<TopicSource> sources() {
        return List.copyOf(sources.values());
    }

    Optional<TopicSource> source(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    @Override
    public void stop() {
        running = false;
        List.copyOf(sources.keySet()).forEach(this::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the sessions (phase 100): started last, stopped first. */
    @Override
    public int getPhase() {
        return 200;
    }

    /** With several instances ({@code recon.cluster.enabled}) only the one that runs the singletons starts this. */
    @Override
    public boolean isAutoStartup() {
        return !cluster.enabled();
    }
}
