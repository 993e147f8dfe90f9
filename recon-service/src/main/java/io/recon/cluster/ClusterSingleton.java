package io.recon.cluster;

/**
 * What runs exactly once across the instances (a database's capture, the topic sources, the demo traffic): started
 * by {@link Singletons} on the instance that holds the singletons' lock and stopped when it loses it. With one
 * instance ({@code recon.cluster.enabled=false}) the lifecycle starts it as before.
 */
public interface ClusterSingleton extends org.springframework.context.Lifecycle {
}
