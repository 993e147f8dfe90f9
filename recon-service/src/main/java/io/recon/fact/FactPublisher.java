package io.recon.fact;

import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes a task group's facts topic: facts keyed by correlation key (so related facts meet in one
 * partition and one session), watermarks to an explicit partition. One idempotent producer keeps
 * the order of sends within a partition.
 */
public final class FactPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public FactPublisher(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "recon-fact-router");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    public Future<?> publish(String task, FactEnvelope envelope) {
        return publish(task, envelope, FactCodec.encode(envelope));
    }

    /** @param encoded the envelope as {@link FactCodec#encode} wrote it (callers that checked its size pass it on) */
    public Future<?> publish(String task, FactEnvelope envelope, byte[] encoded) {
        return producer.send(new ProducerRecord<>(FactsTopic.name(task), null, envelope.timestamp(),
                envelope.fact().key(), encoded));
    }

    /**
     * Sends to every partition: for a retraction whose correlation key is unknown (the source sent
     * only the record's id), so that whichever session holds the fact retracts it.
     */
    public java.util.List<Future<?>> publishToAll(String task, FactEnvelope envelope, byte[] encoded) {
        java.util.List<Future<?>> sent = new java.util.ArrayList<>();
        int partitions = producer.partitionsFor(FactsTopic.name(task)).size();
        for (int p = 0; p < partitions; p++) {
            sent.add(producer.send(new ProducerRecord<>(FactsTopic.name(task), p, envelope.timestamp(), envelope.fact().id(), encoded)));
        }
        return sent;
    }

    public Future<?> publishWatermark(String task, int partition, long time) {
        return producer.send(new ProducerRecord<>(FactsTopic.name(task), partition, time, null,
                FactCodec.encode(FactEnvelope.watermark(time))));
    }

    public void flush() {
        producer.flush();
    }

    public static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        producer.close();
    }
}
