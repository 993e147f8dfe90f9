package io.recon.fact;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The Kafka topic that carries one task group's facts and watermarks: the sessions' replayable input log. */
public final class FactsTopic {

    /** Kept for a week: a restarted session replays from it, and a stopped one catches up from it. */
    private static final String RETENTION_MS = String.valueOf(7L * 24 * 3600 * 1000);

    private FactsTopic() {
    }

    public static String name(String task) {
        return "recon.facts." + task;
    }

    /** Creates the topic if absent; @return its partition count (an existing topic keeps its own). */
    public static int ensure(String bootstrap, String task, int partitions) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> names = admin.listTopics().names().get();
            if (!names.contains(name(task))) {
                try {
                    admin.createTopics(Set.of(new NewTopic(name(task), partitions, (short) 1)
                            .configs(Map.of("retention.ms", RETENTION_MS, "message.timestamp.type", "CreateTime")))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    } // another instance, starting at the same moment, created it first
                }
            }
            return describe(admin, task).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create facts topic " + name(task) + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A topic just created may not be in the broker's metadata yet: describing it then fails for a moment. */
    private static TopicDescription describe(Admin admin, String task) throws ExecutionException, InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                return admin.describeTopics(Set.of(name(task))).allTopicNames().get().get(name(task));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
