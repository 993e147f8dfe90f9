package io.recon.bench;

import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactsTopic;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Pre-loads a facts topic with the same records the service's {@code FactPublisher} writes (same
 * codec, key, partition and timestamp), in large batches: the loading is not what is timed. A record
 * the broker refuses fails the load at {@link #flush()}: a benchmark over a topic with holes in it
 * would time less work than it says (the first full-size run lost 2 % of its records that way).
 */
final class TopicWriter implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final java.util.concurrent.atomic.AtomicReference<Exception> refused = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicLong refusals = new java.util.concurrent.atomic.AtomicLong();
    private final org.apache.kafka.clients.producer.Callback check = (metadata, e) -> {
        if (e != null) {
            refusals.incrementAndGet();
            refused.compareAndSet(null, e);
        }
    };

    TopicWriter(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    void publish(String task, FactEnvelope envelope) {
        producer.send(new ProducerRecord<>(FactsTopic.name(task), null, envelope.timestamp(), envelope.fact().key(), FactCodec.encode(envelope)), check);
    }

    void publishWatermark(String task, int partition, long time) {
        producer.send(new ProducerRecord<>(FactsTopic.name(task), partition, time, null, FactCodec.encode(FactEnvelope.watermark(time))), check);
    }

    /**
     * Writes one watermark and waits for the broker's answer, retrying while it refuses the timestamp: a topic
     * config change (future timestamps allowed) reaches the partition's log a moment after the admin call returns.
     */
    void publishWatermarkWhenAccepted(String task, int partition, long time) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                producer.send(new ProducerRecord<>(FactsTopic.name(task), partition, time, null, FactCodec.encode(FactEnvelope.watermark(time)))).get();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.InvalidTimestampException) || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the broker refused the first record of the load", e.getCause());
                }
                Thread.sleep(100);
            }
        }
    }

    /** Waits until the broker has every record; throws when it refused any. */
    void flush() {
        producer.flush();
        if (refused.get() != null) {
            throw new IllegalStateException("the broker refused " + refusals.get() + " records of the load", refused.get());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
