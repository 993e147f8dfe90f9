package io.recon.offline;

import io.recon.source.SourceRecords;
import io.recon.system.KafkaEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A topic source's records over a run's period. A topic is ordered by arrival, not by event time, so its records
 * of the period are read (from a message timestamp {@link #ARRIVAL_SLACK} before the period, up to the end offsets
 * seen when the run starts: the topic's snapshot), mapped, kept when their event time falls in the period, staged
 * ({@link StagedRecords}) and read back ordered by event time: a topic of any size is never held in memory.
 */
final class TopicRecords implements RecordStream {

    /** How much earlier than its event time a message may have been written (clock skew, replays). */
    static final Duration ARRIVAL_SLACK = Duration.ofHours(1);

    private final StagedRecords kept;

    TopicRecords(long runId, String source, String topic, KafkaEndpoint kafka, Instant from, Instant to, SourceRecords mapping,
                 JdbcTemplate jdbc, RunProgress progress) throws java.sql.SQLException {
        this.kept = new StagedRecords(runId, source, jdbc);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.readerProperties("recon-offline-run"))) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            List<TopicPartition> partitions = infos == null ? List.of()
                    : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> search = new HashMap<>();
            partitions.forEach(tp -> search.put(tp, from.minus(ARRIVAL_SLACK).toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(search);
            List<TopicPartition> pending = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                if (start != null && start.offset() < ends.get(tp)) {
                    consumer.seek(tp, start.offset());
                    pending.add(tp);
                }
            }
            consumer.assign(pending);
            while (!pending.isEmpty() && !progress.cancelled) {
                for (ConsumerRecord<byte[], byte[]> message : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(message.topic(), message.partition());
                    if (message.offset() < ends.get(tp)) {
                        take(source, message, from, to, mapping, progress, kept);
                    }
                }
                pending.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
                consumer.assign(pending);
            }
            kept.seal();
        } catch (RuntimeException | java.sql.SQLException e) {
            kept.close();
            throw e;
        }
    }

    private static void take(String source, ConsumerRecord<byte[], byte[]> message, Instant from, Instant to, SourceRecords mapping,
                             RunProgress progress, StagedRecords kept) {
        String where = "partition " + message.partition() + " offset " + message.offset();
        List<Map<String, Object>> parsed;
        try {
            parsed = mapping.parseJson(message.value());
        } catch (IllegalArgumentException e) {
            progress.reject(source, where, e.getMessage());
            return;
        }
        for (Map<String, Object> values : parsed) {
            SourceRecords.Mapped mapped = mapping.upsert(source, values, message.timestamp());
            if (mapped.reason() != null) {
                progress.reject(source, where, mapped.reason());
            } else if (!mapped.skipped()) {
                long time = mapped.envelope().fact().eventTime();
                if (time >= from.toEpochMilli() && time < to.toEpochMilli()) {
                    kept.add(mapped.envelope());
                }
            }
        }
    }

    @Override
    public SourceRecord next() throws java.sql.SQLException {
        return kept.next();
    }

    @Override
    public long estimatedTotal() {
        return kept.staged();
    }

    @Override
    public void close() {
        kept.close();
    }
}
