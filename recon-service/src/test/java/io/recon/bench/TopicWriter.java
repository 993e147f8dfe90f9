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
 * codec, key, partition and timestamp), in large batches: the loading is not what is timed.
 */
final class TopicWriter implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

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
        producer.send(new ProducerRecord<>(FactsTopic.name(task), null, envelope.timestamp(), envelope.fact().key(), FactCodec.encode(envelope)));
    }

    void publishWatermark(String task, int partition, long time) {
        producer.send(new ProducerRecord<>(FactsTopic.name(task), partition, time, null, FactCodec.encode(FactEnvelope.watermark(time))));
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
