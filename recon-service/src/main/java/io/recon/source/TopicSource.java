package io.recon.source;

import io.recon.system.KafkaEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka topic bound as a source (JSON business events, e.g. courier deliveries), read on its own thread.
 * Offsets are committed only after the batch's facts are on the facts topic, so a failure re-reads rather than
 * loses (the sessions ignore a repeated identical version).
 *
 * <p>A consumer does not fail when the broker goes away: its polls just come back empty, which would look like a
 * quiet topic and let wall time close windows on messages the broker has not taken yet. So the source proves
 * itself: about once a second it asks the broker for the end offsets and, once it has read past them, tells the
 * clocks that everything published before that question is read ({@link SourceClocks#caughtUpTo}). When the broker
 * does not answer within {@link #BROKER_TIMEOUT} the source fails; {@link SourceSupervisor} restarts it with back-off.
 */
final class TopicSource {

    /** What the topic's messages are (JSON business events, Debezium change events) and how they become facts. */
    @FunctionalInterface
    interface Messages {
        /** Whatever a message holds, it becomes facts, dead letters or nothing (a tombstone): it never stops the topic. */
        void route(String source, ConsumerRecord<byte[], byte[]> record, List<FactRouter.Routed> sent);
    }

    /** STARTING until the broker has answered once: a source that cannot reach it is not shown as running. */
    enum State { NEW, STARTING, RUNNING, STOPPED, FAILED }

    private static final Logger log = LoggerFactory.getLogger(TopicSource.class);
    /** How long the broker may leave a question unanswered before the source counts as failed. */
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(5);
    private static final long PROOF_EVERY_MS = 1_000;

    private final String name;
    private final String topic;
    private final String task;
    private final FactRouter router;
    private final KafkaEndpoint kafka;
    private final Messages messages;
    private final boolean createsTopic;
    private final SourceClocks clocks;
    private volatile State state = State.NEW;
    private volatile Throwable lastError;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean stopping;

    /**
     * @param createsTopic whether the consumer may have the broker create the topic; a Connect topic is left to the worker,
     *                     which creates it with its own settings
     */
    TopicSource(SourceBinding binding, String name, FactRouter router, KafkaEndpoint kafka, Messages messages, boolean createsTopic,
                SourceClocks clocks) {
        this.name = name;
        this.topic = binding.topic();
        this.task = binding.task();
        this.router = router;
        this.kafka = kafka;
        this.messages = messages;
        this.createsTopic = createsTopic;
        this.clocks = clocks;
    }

    String name() {
        return name;
    }

    String topic() {
        return topic;
    }

    String task() {
        return task;
    }

    State state() {
        return state;
    }

    Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Starts reading on a new thread and returns at once; a failure shows as {@link State#FAILED}. */
    synchronized void start() {
        if (state == State.RUNNING || state == State.STARTING) {
            return;
        }
        stopping = false;
        lastError = null;
        // behind until it has read what was published while it was not reading
        clocks.catchingUp(name);
        state = State.STARTING;
        Thread t = new Thread(this::consume, "recon-topic-source-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops reading; what was read but not committed is read again by the next start. */
    void stop() {
        stopping = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (state == State.RUNNING || state == State.STARTING) {
                state = State.STOPPED;
            }
        }
    }

    private void consume() {
        KafkaConsumer<byte[], byte[]> kafkaConsumer = new KafkaConsumer<>(properties());
        consumer = kafkaConsumer;
        try {
            kafkaConsumer.subscribe(List.of(topic));
            long nextProof = 0;
            boolean caughtUp = false;
            while (!stopping) {
                List<FactRouter.Routed> sent = new ArrayList<>();
                var records = kafkaConsumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    messages.route(name, record, sent);
                }
                if (!records.isEmpty()) {
                    router.awaitAll(sent);
                    kafkaConsumer.commitSync(BROKER_TIMEOUT);
                }
                long now = System.currentTimeMillis();
                if (now >= nextProof) {
                    nextProof = now + PROOF_EVERY_MS;
                    boolean proven = prove(kafkaConsumer, now);
                    if (state == State.STARTING) {
                        state = State.RUNNING; // the broker answered
                    }
                    if (proven && !caughtUp) {
                        log.info("topic source {} caught up on topic {}", name, topic);
                    }
                    caughtUp |= proven;
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (ExecutionException | RuntimeException e) {
            fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer = null;
            try {
                kafkaConsumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
            } catch (RuntimeException e) {
                log.debug("closing the consumer of topic source {}: {}", name, e.toString());
            }
        }
    }

    private void fail(Exception e) {
        clocks.catchingUp(name); // its silence now means "not read", not "nothing happened"
        lastError = e;
        state = State.FAILED;
        log.error("topic source {} (topic {}) stopped: {}; what it read but did not commit is read again when it restarts",
                name, topic, e.toString());
    }

    /**
     * Asks the broker where the topic ends (which also proves the broker answers: the request times out when it is
     * down); when the consumer has read that far, every message published before {@code askedAt} is read.
     */
    private boolean prove(KafkaConsumer<byte[], byte[]> c, long askedAt) {
        Set<TopicPartition> assigned = c.assignment();
        if (assigned.isEmpty()) {
            // not assigned yet (joining the group): at least the broker answers
            if (c.partitionsFor(topic, BROKER_TIMEOUT).isEmpty()) {
                // no such topic yet (a Connect worker creates its topics with their first change): nothing is published to read
                clocks.caughtUpTo(name, askedAt);
                return true;
            }
            return false;
        }
        Map<TopicPartition, Long> ends = c.endOffsets(assigned, BROKER_TIMEOUT);
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (c.position(end.getKey(), BROKER_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        clocks.caughtUpTo(name, askedAt);
        return true;
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "recon-sources");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "recon-topic-source-" + name);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, Boolean.toString(createsTopic));
        // After a crash the group waits for the dead member's session to expire before it hands the partitions
        // to the restarted instance; 45 s by default held the clock (and the source) back that long.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
