package io.recon.bench;

import io.recon.session.HeapPerFactBenchmark;

/**
 * {@code bin/recon bench}: the pipeline's figures on this machine. Each benchmark starts its own
 * Recon on the embedded default in a fresh work directory under /tmp.
 * Each writes its table to target/bench/results.md too (with the date, the machine and the load average).
 * Arguments: {@code startup}, {@code throughput}, {@code wholepath}, {@code latency}, {@code heap}, {@code alerts}, {@code compile},
 * {@code activation}, {@code shadow} (these three on standalone engines, no service), {@code queue}, {@code offline} (a batch run over
 * 1M rows per source, from tables and from a CSV file), {@code cluster} (1 to 3 instances as JVMs of their own); none means all; {@code quick} with any of them runs a tenth of the records.
 */
public final class Benchmarks {

    public static void main(String[] args) throws Exception {
        java.util.Set<String> which = new java.util.HashSet<>();
        for (String arg : args) {
            which.addAll(java.util.Arrays.stream(arg.trim().split("[\\s,]+")).filter(a -> !a.isBlank()).toList());
        }
        // "quick": a tenth of the records, to try the benchmarks out on a busy machine
        int scale = which.remove("quick") ? 10 : 1;
        if (which.isEmpty()) {
            which.addAll(java.util.List.of("startup", "throughput", "wholepath", "latency", "heap", "alerts", "compile", "activation", "shadow", "queue", "offline", "cluster"));
        }
        System.out.printf("Recon benchmarks: %d cores, max heap %d MB, %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        BenchResults.begin(String.join(", ", new java.util.TreeSet<>(which)));
        if (which.contains("startup")) {
            StartupBenchmark.run();
        }
        if (which.contains("heap")) {
            HeapPerFactBenchmark.run(BenchApp.rulesRepository(), 100_000);
        }
        if (which.contains("compile")) {
            CompileBenchmark.run();
        }
        if (which.contains("activation")) {
            io.recon.session.ActivationBenchmark.run(BenchApp.rulesRepository(), 10_000, 100_000, 1_000_000);
            ServiceActivationBenchmark.run(10_000);
            ServiceActivationBenchmark.run(100_000);
        }
        if (which.contains("shadow")) {
            ShadowBenchmark.run(BenchApp.rulesRepository(), 200_000);
        }
        if (which.contains("throughput")) {
            ThroughputBenchmark.run(BenchWorkload.smallState(100_000 / scale));
            ThroughputBenchmark.run(BenchWorkload.largeState(150_000 / scale));
        }
        if (which.contains("wholepath")) {
            WholePathBenchmark.run(100_000 / scale);
        }
        if (which.contains("latency")) {
            LatencyBenchmark.table(30, 500, 2_000, 5_000);
        }
        if (which.contains("queue")) {
            QueueBenchmark.run(100, 100_000, 1_000_000);
        }
        if (which.contains("offline")) {
            OfflineBenchmark.run(1_000_000 / scale);
        }
        if (which.contains("cluster")) {
            ClusterBenchmark.run(BenchWorkload.smallState(100_000 / scale), 3);
            ClusterBenchmark.run(BenchWorkload.largeState(150_000 / scale), 3);
        }
        if (which.contains("alerts")) {
            AlertBenchmark.run(10_000, 20, 30);
        }
        System.exit(0);
    }

    private Benchmarks() {
    }
}
