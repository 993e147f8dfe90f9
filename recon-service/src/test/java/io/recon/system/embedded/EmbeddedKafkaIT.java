package io.recon.system.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @TempDir
    Path workDir;

    @Test
    void producesConsumesAndKeepsRecordsAndOffsetsAcrossRestart() throws Exception {
        Path logDir = workDir.resolve("kafka");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder(logDir).build().start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
            }
            produce(kafka, "orders", "o1", "o2", "o3");
            // The group commits its position: after the restart it must continue, not start over.
            assertThat(consume(kafka, "orders", "reader", 3)).containsExactlyInAnyOrder("o1", "o2", "o3");
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.builder(logDir).build().start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("orders");
            }
            assertThat(consume(kafka, "orders", "fresh-group", 3)).containsExactlyInAnyOrder("o1", "o2", "o3");
            produce(kafka, "orders", "o4");
            assertThat(consume(kafka, "orders", "reader", 1)).containsExactly("o4");
        }
    }

    @Test
    void doesNotCreateTopicsOnFirstUseAndClosesOnce() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.builder(workDir.resolve("kafka")).build().start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThatThrownBy(() -> admin.describeTopics(Set.of("typo")).allTopicNames().get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        } finally {
            kafka.close();
        }
        assertThat(kafka.isRunning()).isFalse();
        kafka.close(); // idempotent
        assertThatThrownBy(kafka::bootstrapServers).isInstanceOf(IllegalStateException.class);
    }

    private static void produce(EmbeddedKafka kafka, String topic, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v, v)).get();
            }
        }
    }

    private static List<String> consume(EmbeddedKafka kafka, String topic, String group, int expected) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.value());
                }
            }
            // One more short poll shows up records beyond the expected count, so extras fail the test.
            consumer.poll(Duration.ofMillis(300)).forEach(r -> seen.add(r.value()));
            consumer.commitSync();
        }
        return seen;
    }
}
