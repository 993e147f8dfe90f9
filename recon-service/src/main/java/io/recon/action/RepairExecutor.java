package io.recon.action;

import io.recon.system.KafkaEndpoint;
import io.recon.catalog.SourceDatabasePools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends repair commands: an HTTP POST to the owning system, a record on its Kafka command topic
 * (keyed by the correlation key, so commands for one key stay in order), or a parameterised SQL
 * statement on its database. Each carries the idempotency key.
 */
@Component
class RepairExecutor implements AutoCloseable {

    private final RepairsProperties config;
    private final AlertsProperties alerts;
    private final ObjectProvider<KafkaEndpoint> kafka;
    private final SourceDatabasePools pools;
    private final HttpClient http;
    private final java.util.Set<String> ensuredTopics = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile KafkaProducer<String, String> producer;

    RepairExecutor(RepairsProperties config, AlertsProperties alerts, ObjectProvider<KafkaEndpoint> kafka, SourceDatabasePools pools) {
        this.pools = pools;
        this.config = config;
        this.alerts = alerts;
        this.kafka = kafka;
        this.http = HttpClient.newBuilder().connectTimeout(alerts.dispatch().timeout()).build();
    }

    String execute(PendingAction action) throws Exception {
        RepairsProperties.Repair repair = config.repairs().get(action.channel());
        if (repair == null) {
            throw new ChannelSender.DeliveryFailed("repair '" + action.channel() + "' is no longer configured under recon.repairs");
        }
        String body = action.payload().toString();
        if (repair.kind() == RepairsProperties.Kind.HTTP) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(repair.url())).timeout(alerts.dispatch().timeout())
                    .header("Content-Type", "application/json").header(WebhookSenders.IDEMPOTENCY_HEADER, action.idempotencyKey())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            String answer = "HTTP " + response.statusCode() + (response.body().isBlank() ? "" : ": " + WebhookSenders.truncate(response.body(), 200));
            if (response.statusCode() / 100 != 2) {
                throw new ChannelSender.DeliveryFailed(answer);
            }
            return answer;
        }
        if (repair.kind() == RepairsProperties.Kind.SQL) {
            int rows = new NamedParameterJdbcTemplate(pools.pool(repair.database(), "repair", false)).update(repair.sql(),
                    new MapSqlParameterSource().addValue("key", action.payload().get("key").asString())
                            .addValue("mismatchId", action.mismatchId()).addValue("idempotencyKey", action.idempotencyKey()));
            return "SQL on " + repair.database() + " changed " + rows + (rows == 1 ? " row" : " rows");
        }
        if (ensuredTopics.add(repair.topic())) {
            kafka.getObject().ensureTopic(repair.topic());
        }
        return kafka(repair, action, body);
    }

    private String kafka(RepairsProperties.Repair repair, PendingAction action, String body) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(repair.topic(), action.payload().get("key").asString(), body);
        record.headers().add(WebhookSenders.IDEMPOTENCY_HEADER, action.idempotencyKey().getBytes(StandardCharsets.UTF_8));
        var meta = producer().send(record).get(alerts.dispatch().timeout().toMillis(), TimeUnit.MILLISECONDS);
        return "written to " + meta.topic() + "-" + meta.partition() + "@" + meta.offset();
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getObject().bootstrap());
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    producer = new KafkaProducer<>(props);
                }
            }
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
