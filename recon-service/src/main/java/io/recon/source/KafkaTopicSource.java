package io.recon.source;

import io.recon.system.KafkaEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads the Kafka topics bound as sources (JSON business events, e.g. courier deliveries) and
 * routes each message. Offsets are committed only after the batch's facts are on the facts topic,
 * so a crash re-reads rather than loses (the sessions ignore a repeated identical version).
 */
@Component
class KafkaTopicSource implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaTopicSource.class);

    private final FactRouter router;
    private final SourceCatalog catalog;
    private final KafkaEndpoint kafka;
    private final JsonRecords json;
    private final SourceClocks clocks;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile Map<String, List<String>> sourcesByTopic = Map.of();
    private volatile boolean resubscribe;

    KafkaTopicSource(FactRouter router, SourceCatalog catalog, KafkaEndpoint kafka, JsonRecords json, SourceClocks clocks) {
        this.json = json;
        this.router = router;
        this.clocks = clocks;
        this.catalog = catalog;
        this.kafka = kafka;
    }

    @Override
    public synchronized void start() {
        running = true;
        Map<String, List<String>> sourcesByTopic = sourcesByTopic();
        sourcesByTopic.keySet().forEach(kafka::ensureTopic);
        sourcesByTopic.values().forEach(sources -> sources.forEach(clocks::catchingUp));
        this.sourcesByTopic = sourcesByTopic;
        if (!sourcesByTopic.isEmpty()) {
            startThread();
        }
    }

    private void startThread() {
        thread = new Thread(this::consume, "recon-topic-sources");
        thread.start();
    }

    /** The enabled topic sources of the catalog; one topic may feed several. */
    private Map<String, List<String>> sourcesByTopic() {
        Map<String, List<String>> byTopic = new java.util.TreeMap<>();
        catalog.bindings().forEach((name, b) -> {
            if (b.kind() == SourceBinding.Kind.TOPIC) {
                byTopic.computeIfAbsent(b.topic(), t -> new ArrayList<>()).add(name);
            }
        });
        return byTopic;
    }

    /**
     * A topic source added, changed, switched off or deleted in the catalog: the consumer changes its subscription
     * between two batches (everything read before is committed), so the other topics go on; a topic taken again
     * resumes at its committed offset, a new one is read from its beginning.
     */
    @org.springframework.context.event.EventListener
    @org.springframework.core.annotation.Order(10)
    public synchronized void sourceChanged(io.recon.catalog.CatalogChanged.SourceChanged change) {
        boolean topic = (change.before() != null && change.before().kind() == io.recon.catalog.CatalogSource.Kind.TOPIC)
                || (change.after() != null && change.after().kind() == io.recon.catalog.CatalogSource.Kind.TOPIC);
        if (!topic || !running) {
            return;
        }
        Map<String, List<String>> next = sourcesByTopic();
        if (next.equals(sourcesByTopic)) {
            return;
        }
        sourcesByTopic = next;
        resubscribe = true;
        log.info("topic sources now {}", next);
        Thread t = thread;
        if (t == null || !t.isAlive()) {
            startThread();
        }
    }

    private void consume() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "recon-sources");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // After a crash the group waits for the dead member's session to expire before it hands the partitions
        // to the restarted instance; 45 s by default held the clock (and the courier source) back that long.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> kafkaConsumer = new KafkaConsumer<>(props)) {
            consumer = kafkaConsumer;
            Map<String, List<String>> sourceByTopic = sourcesByTopic;
            kafkaConsumer.subscribe(List.copyOf(sourceByTopic.keySet()));
            Map<TopicPartition, Long> backlogEnd = null;
            while (running) {
                if (resubscribe) {
                    resubscribe = false;
                    sourceByTopic = sourcesByTopic;
                    if (sourceByTopic.isEmpty()) {
                        kafkaConsumer.unsubscribe();
                    } else {
                        kafkaConsumer.subscribe(List.copyOf(sourceByTopic.keySet()));
                    }
                }
                if (sourceByTopic.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                List<FactRouter.Routed> sent = new ArrayList<>();
                var records = kafkaConsumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    for (String source : sourceByTopic.getOrDefault(record.topic(), List.of())) {
                        routeOne(source, record, sent);
                    }
                }
                if (!records.isEmpty()) {
                    router.awaitAll(sent);
                    kafkaConsumer.commitSync();
                }
                if (backlogEnd == null && !kafkaConsumer.assignment().isEmpty()) {
                    backlogEnd = kafkaConsumer.endOffsets(kafkaConsumer.assignment());
                }
                if (backlogEnd != null && !backlogEnd.isEmpty() && readPast(kafkaConsumer, backlogEnd)) {
                    sourceByTopic.values().forEach(sources -> sources.forEach(clocks::caughtUp));
                    log.info("topic sources {} caught up on what was published before they started", sourceByTopic.values());
                    backlogEnd = Map.of();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (ExecutionException | RuntimeException e) {
            log.error("topic sources stopped; uncommitted messages will be read again at restart", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the consumer has read every message that was on its partitions when it was first assigned them. */
    private static boolean readPast(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.assignment().contains(end.getKey()) && consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Whatever a message holds, it becomes facts or dead letters: it never stops the topic. */
    private void routeOne(String source, ConsumerRecord<byte[], byte[]> record, List<FactRouter.Routed> sent) {
        String where = " (topic " + record.topic() + ", partition " + record.partition() + ", offset " + record.offset() + ")";
        byte[] bytes = record.value() == null ? new byte[0] : record.value();
        String text;
        List<Map<String, Object>> parsed;
        try {
            text = Utf8.decode(bytes);
        } catch (IllegalArgumentException e) {
            router.deadLetter(source, "message is " + e.getMessage() + where, bytes, bytes.length, record.timestamp());
            return;
        }
        try {
            parsed = json.parse(text);
        } catch (IllegalArgumentException e) {
            router.deadLetter(source, e.getMessage() + where, text);
            return;
        }
        for (Map<String, Object> values : parsed) {
            FactRouter.Routed routed = router.route(source, FactRouter.Change.UPSERT, values, record.timestamp(),
                    () -> JsonRecords.toJson(values));
            if (routed.accepted()) {
                sent.add(routed);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
}
