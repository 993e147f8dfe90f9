package io.recon.bench;

import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactsTopic;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ceiling: the AMOUNT and MISSING checks of the sample rules written by hand, one thread per
 * partition as the sessions run, on the same facts-topic records decoded by the same codec. State is
 * a map by correlation key plus two time-ordered queues (the 30 s windows to close, the 10 min
 * expiries), moved by the same watermarks; findings go to a mismatch-shaped table after every poll.
 */
final class HashJoinBaseline {

    private HashJoinBaseline() {
    }

    /** @return wall seconds from the first poll that returned records to the last batch stored */
    static double run(String bootstrap, Map<TopicPartition, Long> ends, FindingTable table) throws InterruptedException {
        AtomicLong firstPoll = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastStore = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            Thread thread = new Thread(() -> {
                try {
                    new Partition().consume(bootstrap, end.getKey(), end.getValue(), table, firstPoll, lastStore);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "hash-join-" + end.getKey().partition());
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return (lastStore.get() - firstPoll.get()) / 1e9;
    }

    private record Order(BigDecimal amount, long time) {
    }

    private record Payment(String id, BigDecimal amount, String status) {
    }

    private record Due(long at, String key, boolean window, Object fact) {
    }

    /** One partition's join state, owned by one thread. */
    private static final class Partition {
        private final Map<String, Order> orders = new HashMap<>();
        private final Map<String, Payment> payments = new HashMap<>();
        private final PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparingLong(Due::at));
        private final List<FindingTable.Finding> findings = new ArrayList<>();
        private long clock = Long.MIN_VALUE;

        void consume(String bootstrap, TopicPartition tp, long end, FindingTable table, AtomicLong firstPoll, AtomicLong lastStore) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500); // the sessions' batch size
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long position = 0;
                while (position < end) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        firstPoll.accumulateAndGet(System.nanoTime(), Math::min);
                    }
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        if (record.offset() < end) {
                            apply(FactCodec.decode(record.value()));
                        }
                        position = record.offset() + 1;
                    }
                    table.store(findings);
                    findings.clear();
                }
                lastStore.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }

        private void apply(FactEnvelope record) {
            if (record.kind() == FactEnvelope.Kind.WATERMARK) {
                clock = Math.max(clock, record.watermark());
                for (Due next; (next = due.peek()) != null && next.at() <= clock; ) {
                    due.poll();
                    if (next.window()) {
                        Order order = orders.get(next.key());
                        if (order == next.fact() && !payments.containsKey(next.key())) {
                            findings.add(new FindingTable.Finding(next.key(), "MISSING", "Order " + next.key() + " (EUR " + order.amount()
                                    + ") has no payment 30 seconds after it was placed", "[{\"orderId\":\"" + next.key() + "\"}]", order.time()));
                        }
                    } else {
                        orders.remove(next.key(), next.fact());
                        payments.remove(next.key(), next.fact());
                    }
                }
                return;
            }
            if (record.kind() != FactEnvelope.Kind.UPSERT) {
                return;
            }
            var fact = record.fact();
            Map<String, Object> fields = fact.fields();
            String key = fact.key();
            if (fact.type().endsWith(".Order")) {
                Order order = new Order(new BigDecimal((String) fields.get("amount")), fact.eventTime());
                orders.put(key, order);
                due.add(new Due(fact.eventTime() + BenchWorkload.WINDOW_MS, key, true, order));
                due.add(new Due(fact.eventTime() + BenchWorkload.EXPIRES_MS, key, false, order));
                check(key, order, payments.get(key), fact.eventTime());
            } else if (fact.type().endsWith(".Payment")) {
                Payment payment = new Payment(fact.id(), new BigDecimal((String) fields.get("amount")), (String) fields.get("status"));
                payments.put(key, payment);
                due.add(new Due(fact.eventTime() + BenchWorkload.EXPIRES_MS, key, false, payment));
                check(key, orders.get(key), payment, fact.eventTime());
            }
        }

        private void check(String key, Order order, Payment payment, long time) {
            if (order != null && payment != null && "SUCCESS".equals(payment.status())
                    && order.amount().subtract(payment.amount()).abs().compareTo(new BigDecimal("0.01")) > 0) {
                findings.add(new FindingTable.Finding(key, "AMOUNT", "Payment " + payment.id() + " charged " + payment.amount() + " for order "
                        + key + ", which is for " + order.amount(), "[{\"orderId\":\"" + key + "\",\"amount\":\"" + order.amount()
                        + "\"},{\"paymentId\":\"" + payment.id() + "\",\"amount\":\"" + payment.amount() + "\"}]", time));
            }
        }
    }
}
