package io.recon.bench;

import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactsTopic;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The tool a user would pick instead: a Kafka Streams application (RocksDB window stores) doing the
 * sample rules' AMOUNT and MISSING checks on the same facts-topic records. Orders left-join payments
 * in a window of 30 s after the order with the sessions' 5 s lateness as grace: a pair with different
 * amounts is an AMOUNT finding, an order whose window closed without a payment a MISSING one (Kafka
 * Streams emits the unmatched side when its window closes). Findings go to a mismatch-shaped table
 * in batches. One stream thread per partition, as the sessions; commits every second, as the
 * sessions' checkpoints.
 *
 * <p>Kafka Streams moves its time only with records that reach the join: the watermarks (no key)
 * cannot, so the windows of the last 35 s of event time stay open at the end and their MISSING
 * findings are not counted.
 */
final class StreamsBaseline {

    private StreamsBaseline() {
    }

    /** @return wall seconds from the first record read to the last finding stored after the last record */
    static double run(String bootstrap, Map<TopicPartition, Long> ends, FindingTable table, Path stateDir) throws InterruptedException {
        int partitions = ends.size();
        AtomicLongArray lastOffset = new AtomicLongArray(partitions);
        for (int p = 0; p < partitions; p++) {
            lastOffset.set(p, -1);
        }
        AtomicLong firstRecord = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastFlush = new AtomicLong();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, byte[]> input = builder.stream(FactsTopic.name(BenchWorkload.TASK), Consumed.with(Serdes.String(), Serdes.ByteArray()));
        KStream<String, String> facts = input
                .processValues(() -> new Progress(lastOffset, firstRecord))
                .filter((key, value) -> key != null)
                .mapValues(StreamsBaseline::compact)
                .filter((key, value) -> value != null);
        KStream<String, String> orders = facts.filter((key, value) -> value.startsWith("O|"));
        KStream<String, String> payments = facts.filter((key, value) -> value.startsWith("P|"));
        orders.leftJoin(payments, StreamsBaseline::check,
                        JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(BenchWorkload.WINDOW_MS), Duration.ofMillis(BenchWorkload.LATENESS_MS))
                                .before(Duration.ZERO),
                        StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()).withStoreName("orders-payments"))
                .filter((key, value) -> value != null)
                .process(() -> new Sink(table, lastFlush));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-streams-" + System.nanoTime());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, partitions);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        // its changelogs take the workload's record timestamps, a day ahead of the wall clock (see BenchWorkload)
        props.put(StreamsConfig.topicPrefix("message.timestamp.after.max.ms"), String.valueOf(Long.MAX_VALUE));
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            long deadline = System.currentTimeMillis() + 30 * 60_000L;
            while (!reached(lastOffset, ends)) {
                if (System.currentTimeMillis() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the Kafka Streams baseline did not read the workload (state " + streams.state() + ")");
                }
                Thread.sleep(1);
            }
            long done = System.nanoTime();
            Thread.sleep(1_500); // the sink's last batch (it flushes every 100 ms)
            streams.close(Duration.ofSeconds(30));
            return (Math.max(done, lastFlush.get()) - firstRecord.get()) / 1e9;
        }
    }

    private static boolean reached(AtomicLongArray lastOffset, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (lastOffset.get(end.getKey().partition()) < end.getValue() - 1) {
                return false;
            }
        }
        return true;
    }

    /** "O|id|amount" or "P|id|amount|status" (what the join keeps in RocksDB); null for a watermark. */
    private static String compact(byte[] value) {
        FactEnvelope envelope = FactCodec.decode(value);
        if (envelope.kind() != FactEnvelope.Kind.UPSERT) {
            return null;
        }
        var fact = envelope.fact();
        if (fact.type().endsWith(".Order")) {
            return "O|" + fact.id() + "|" + fact.fields().get("amount");
        }
        if (fact.type().endsWith(".Payment")) {
            return "P|" + fact.id() + "|" + fact.fields().get("amount") + "|" + fact.fields().get("status");
        }
        return null;
    }

    private static String check(String order, String payment) {
        String[] o = order.split("\\|");
        if (payment == null) {
            return "MISSING|" + o[1] + "|" + o[2];
        }
        String[] p = payment.split("\\|");
        if ("SUCCESS".equals(p[3]) && new BigDecimal(o[2]).subtract(new BigDecimal(p[2])).abs().compareTo(new BigDecimal("0.01")) > 0) {
            return "AMOUNT|" + o[1] + "|" + o[2] + "|" + p[1] + "|" + p[2];
        }
        return null;
    }

    /** Notes how far each partition has been read, for the end of the run. */
    private static final class Progress implements FixedKeyProcessor<String, byte[], byte[]> {
        private final AtomicLongArray lastOffset;
        private final AtomicLong firstRecord;
        private FixedKeyProcessorContext<String, byte[]> context;

        Progress(AtomicLongArray lastOffset, AtomicLong firstRecord) {
            this.lastOffset = lastOffset;
            this.firstRecord = firstRecord;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, byte[]> record) {
            firstRecord.accumulateAndGet(System.nanoTime(), Math::min);
            context.recordMetadata().ifPresent(m -> lastOffset.accumulateAndGet(m.partition(), m.offset(), Math::max));
            context.forward(record);
        }
    }

    /** Stores findings in batches: every 500, and every 100 ms of wall time. */
    private static final class Sink implements Processor<String, String, Void, Void> {
        private final FindingTable table;
        private final AtomicLong lastFlush;
        private final List<FindingTable.Finding> pending = new ArrayList<>();

        Sink(FindingTable table, AtomicLong lastFlush) {
            this.table = table;
            this.lastFlush = lastFlush;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> flush());
        }

        @Override
        public void process(Record<String, String> record) {
            String[] f = record.value().split("\\|");
            String snapshot = "MISSING".equals(f[0]) ? "[{\"orderId\":\"" + f[1] + "\",\"amount\":\"" + f[2] + "\"}]"
                    : "[{\"orderId\":\"" + f[1] + "\",\"amount\":\"" + f[2] + "\"},{\"paymentId\":\"" + f[3] + "\",\"amount\":\"" + f[4] + "\"}]";
            pending.add(new FindingTable.Finding(record.key(), f[0], f[0] + " for order " + f[1], snapshot, record.timestamp()));
            if (pending.size() >= 500) {
                flush();
            }
        }

        private void flush() {
            if (!pending.isEmpty()) {
                table.store(pending);
                pending.clear();
                lastFlush.set(System.nanoTime());
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
