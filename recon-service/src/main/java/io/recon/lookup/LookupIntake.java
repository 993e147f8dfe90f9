package io.recon.lookup;

import io.recon.catalog.Catalog;
import io.recon.catalog.CatalogLookup;
import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import io.recon.fact.MappedFact;
import io.recon.system.KafkaEndpoint;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every task group's facts topic (consumer group {@code recon-lookups}) and writes a pending lookup for each fact
 * that triggers one, before the group's offset moves past it: what is due survives a restart (the table), and what
 * was published but not yet read is read after it (the offsets). Answers are facts of other types, so they trigger
 * nothing; a re-read trigger is the same pending row (unique by lookup, fact id and event time).
 */
@Component
class LookupIntake implements SmartLifecycle, io.recon.cluster.ClusterSingleton {

    private static final Logger log = LoggerFactory.getLogger(LookupIntake.class);
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOPIC_PREFIX = "recon.facts.";

    private final Catalog catalog;
    private final KafkaEndpoint kafka;
    private final JdbcTemplate jdbc;
    private final LookupRunner runner;
    private final io.recon.cluster.ClusterProperties cluster;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    LookupIntake(Catalog catalog, KafkaEndpoint kafka, JdbcTemplate jdbc, LookupRunner runner, io.recon.cluster.ClusterProperties cluster) {
        this.catalog = catalog;
        this.kafka = kafka;
        this.jdbc = jdbc;
        this.runner = runner;
        this.cluster = cluster;
    }

    /**
     * Waits (seconds at most) until the consumer holds its partitions, so that facts sent from now on are read; without
     * sources there are no facts topics yet, and nothing to wait for.
     */
    @Override
    public void start() {
        running = true;
        CountDownLatch assigned = new CountDownLatch(1);
        thread = new Thread(() -> run(assigned), "recon-lookup-intake");
        thread.setDaemon(true);
        thread.start();
        if (catalog.sources().isEmpty()) {
            return;
        }
        try {
            if (!assigned.await(20, TimeUnit.SECONDS)) {
                log.warn("lookups: the facts topics were not assigned within 20 s; triggers are read once they are");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(CountDownLatch assigned) {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> kafkaConsumer = new KafkaConsumer<>(properties())) {
                consumer = kafkaConsumer;
                kafkaConsumer.subscribe(Pattern.compile(Pattern.quote(TOPIC_PREFIX) + ".*"));
                while (running) {
                    var records = kafkaConsumer.poll(Duration.ofMillis(200));
                    if (!kafkaConsumer.assignment().isEmpty() && assigned.getCount() > 0) {
                        log.info("lookups: reading triggers from {} facts-topic partitions", kafkaConsumer.assignment().size());
                        assigned.countDown();
                    }
                    if (records.isEmpty()) {
                        continue;
                    }
                    Map<String, List<CatalogLookup>> byTask = new HashMap<>();
                    catalog.lookups().values().stream().filter(CatalogLookup::isEnabled)
                            .forEach(l -> byTask.computeIfAbsent(l.task(), t -> new ArrayList<>()).add(l));
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        List<CatalogLookup> lookups = byTask.get(record.topic().substring(TOPIC_PREFIX.length()));
                        if (lookups != null) { // most facts trigger nothing: not even decoded
                            take(lookups, record.value());
                        }
                    }
                    kafkaConsumer.commitSync();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // not committed: the triggers since the last commit are read again (their rows are unique)
                log.warn("lookups: reading triggers failed, reading again from the last commit: {}", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void take(List<CatalogLookup> lookups, byte[] value) {
        FactEnvelope envelope;
        try {
            envelope = FactCodec.decode(value);
        } catch (RuntimeException e) {
            return; // the sessions dead-letter what is not a facts-topic record
        }
        if (envelope.kind() != FactEnvelope.Kind.UPSERT) {
            return;
        }
        MappedFact fact = envelope.fact();
        for (CatalogLookup lookup : lookups) {
            if (fact.type().equals(lookup.when())) {
                String task = lookup.task();
                long delay = DurationStyle.detectAndParse(lookup.delay()).toMillis();
                long answerTime = fact.eventTime() + delay;
                Long id = jdbc.query("""
                        insert into lookup_pending (lookup_name, task, fact_type, fact_id, fact_key, event_time, answer_time, fields, due_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (lookup_name, fact_id, event_time) do nothing returning id""",
                        rs -> rs.next() ? rs.getLong(1) : null, lookup.name(), task, fact.type(), fact.id(), fact.key(), fact.eventTime(),
                        answerTime, JSON.writeValueAsString(fact.fields()), Timestamp.from(Instant.now().plusMillis(delay)));
                if (id != null) {
                    runner.pending(task, answerTime);
                }
            }
        }
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "recon-lookups");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "recon-lookup-intake");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a first start asks only about what arrives from now on, not about a week of retained facts
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000"); // a new task group's topic is found within seconds
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the sessions (which create the facts topics), before the sources (whose facts trigger lookups). */
    @Override
    public int getPhase() {
        return 150;
    }

    /** With several instances only the one that runs the singletons reads triggers: it runs the lookups too. */
    @Override
    public boolean isAutoStartup() {
        return !cluster.enabled();
    }

}
