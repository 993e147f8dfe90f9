package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.docker.DockerStack;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard of {@code docker/} shows what a running Recon exports: after some traffic (a correct flow
 * through every source, and an overpaid order that opens an AMOUNT mismatch, so that the counters and the latency
 * histogram exist), every metric name the dashboard's queries read is in {@code /actuator/prometheus}.
 */
class DashboardMetricsIT {

    private static ReconInstance recon;

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("dashboard"));
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsExported() {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.happyFlow("DASH-OK-1", "20.00", t0);
            script.overpaidFlow("DASH-AMT-1", t0);
        }
        recon.awaitMismatch("DASH-AMT-1", "AMOUNT");

        Set<String> exported = DockerStack.exportedNames(recon.getText("/actuator/prometheus"));
        Map<String, Set<String>> missing = new TreeMap<>();
        Set<String> queried = new TreeSet<>();
        for (String query : DockerStack.dashboardQueries()) {
            for (String name : DockerStack.metricNames(query)) {
                queried.add(name);
                if (!exported.contains(name)) {
                    missing.computeIfAbsent(name, n -> new TreeSet<>()).add(query);
                }
            }
        }
        assertThat(queried).as("metric names in the dashboard's queries").hasSizeGreaterThanOrEqualTo(5);
        assertThat(missing).as("queried by the dashboard (with the queries) but not exported; exported: " + exported).isEmpty();
    }
}
