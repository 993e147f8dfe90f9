package io.recon.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** This instance's name among Recon instances: {@code recon.cluster.instance-id}, or host name and HTTP port. */
@Component
public class InstanceId {

    private final String id;

    InstanceId(ClusterProperties cluster, @Value("${server.port:8080}") int port) {
        this.id = cluster.instanceId().isBlank() ? host() + ":" + port : cluster.instanceId();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
