package io.recon.session;

import io.recon.cluster.ClusterProperties;
import io.recon.fact.FactsTopic;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership in the consumer group of one task group's facts topic: Kafka's group protocol (cooperative
 * sticky assignment) decides which partitions this instance runs sessions for. The member reads nothing: every
 * partition it is given is paused at once, and each session reads its partition with a consumer of its own from its
 * checkpoint (offsets live in Recon's database, committed with the findings, never in Kafka). The member only polls,
 * to stay in the group, and hands assignments and revocations to the session manager.
 *
 * <p>Static membership ({@code group.instance.id} = the instance id): an instance restarted within the session timeout
 * gets its partitions back without a rebalance; one that is gone longer loses them to the others. A revocation stops the
 * sessions in order (each stores what it found) before the partitions are handed on; lost partitions (the member was
 * away too long) are stopped too, and the fence refuses whatever their sessions would still store.
 */
final class GroupMembership {

    private static final Logger log = LoggerFactory.getLogger(GroupMembership.class);

    /** What the session manager does when partitions come and go; called on the membership's thread. */
    interface Sessions {
        void assigned(String task, Set<Integer> partitions);

        void revoked(String task, Set<Integer> partitions);
    }

    private final String task;
    private final String bootstrap;
    private final ClusterProperties cluster;
    private final String instanceId;
    private final Sessions sessions;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    GroupMembership(String task, String bootstrap, ClusterProperties cluster, String instanceId, Sessions sessions) {
        this.task = task;
        this.bootstrap = bootstrap;
        this.cluster = cluster;
        this.instanceId = instanceId;
        this.sessions = sessions;
    }

    static String groupId(String task) {
        return "recon-sessions-" + task;
    }

    void start() {
        thread = new Thread(this::run, "recon-group-" + task);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(properties())) {
                consumer = member;
                member.subscribe(List.of(FactsTopic.name(task)), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        member.pause(partitions);
                        if (!partitions.isEmpty()) {
                            log.info("instance {} now runs task group '{}' partitions {}", instanceId, task, numbers(partitions));
                            sessions.assigned(task, numbers(partitions));
                        }
                    }

                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            log.info("instance {} hands on task group '{}' partitions {}", instanceId, task, numbers(partitions));
                            sessions.revoked(task, numbers(partitions));
                        }
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            log.warn("instance {} lost task group '{}' partitions {} (away longer than the session timeout)",
                                    instanceId, task, numbers(partitions));
                            sessions.revoked(task, numbers(partitions));
                        }
                    }
                });
                while (running) {
                    member.poll(Duration.ofMillis(200));
                }
                // leave the group at once on shutdown (a static member would otherwise keep its partitions until the
                // session timeout): the others take them over now
                member.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(5)));
            } catch (WakeupException e) {
                // stopping: the loop ends
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("task group '{}': group membership failed ({}); joining again", task, e.toString());
                    sleep(1_000);
                }
            }
        }
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> out = new TreeSet<>();
        partitions.forEach(tp -> out.add(tp.partition()));
        return out;
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(task));
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "recon-group-" + task + "-" + instanceId);
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"); // it never reads: no position worth fetching
        int timeout = (int) cluster.sessionTimeout().toMillis();
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, timeout);
        // members learn of a rebalance from a heartbeat's answer, and a cooperative one takes two rounds: a short
        // heartbeat shortens the pause of the partitions that move when an instance joins or leaves
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, Math.min(500, timeout / 3)));
        // a revocation waits for the sessions to store what they found; a minute is far beyond that
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 60_000);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> member = consumer;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000); // the loop sees running=false after its poll and leaves the group
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive() && member != null) {
                member.wakeup();
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
