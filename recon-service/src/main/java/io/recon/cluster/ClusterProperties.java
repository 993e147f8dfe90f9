package io.recon.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code recon.cluster.*}: whether this instance shares its task groups' partitions with other instances.
 *
 * @param enabled        false (the default, one instance): this instance runs a session for every partition. true: the
 *                       partitions of each task group's facts topic are shared among the instances by a Kafka consumer
 *                       group (cooperative rebalancing); an instance runs sessions only for the partitions it is given
 * @param instanceId     this instance's name in the group and in the partition fence; stable across restarts (static
 *                       membership: a restart within {@code sessionTimeout} gets its partitions back without a
 *                       rebalance). Empty: host name and HTTP port
 * @param sessionTimeout how long the group waits for an instance that stopped answering before its partitions move
 */
@ConfigurationProperties("recon.cluster")
public record ClusterProperties(@DefaultValue("false") boolean enabled,
                                @DefaultValue("") String instanceId,
                                @DefaultValue("10s") Duration sessionTimeout) {
}
