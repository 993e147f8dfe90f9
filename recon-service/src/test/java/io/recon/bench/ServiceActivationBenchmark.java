package io.recon.bench;

import io.recon.authoring.RuleCompiler;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactPublisher;
import io.recon.fact.MappedFact;
import io.recon.release.ReleaseActivator;
import io.recon.release.ReleaseRegistry;
import io.recon.release.ReleasedKjars;
import io.recon.session.ActivationBenchmark;
import io.recon.session.SessionView;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Activation pause in the running service: {@code facts} live facts (paid orders and their payments)
 * streamed through Kafka into the sessions, then 1.1.0 (amount rule changed, large-order rule added)
 * is activated and rolled back through the service's own activator. The pause is the longest any
 * session spent between two records (commit, updateToVersion, firing, commit).
 */
final class ServiceActivationBenchmark {

    static void run(int facts) throws Exception {
        try (BenchApp app = BenchApp.start(BenchApp.freshWorkDir("activation"), "recon.demo.traffic=false")) {
            FactPublisher publisher = app.bean(FactPublisher.class);
            int partitions = app.sessions().size();
            long base = System.currentTimeMillis();
            long records = 0;
            for (int i = 0; i < facts / 2; i++) {
                String id = "A-" + i;
                long t = base + i / 2000;
                publisher.publish("trade", FactEnvelope.upsert("shop-orders", new MappedFact("recon.trade.Order", id, id, t,
                        Map.of("orderId", id, "customerId", "C-1", "amount", i % 100 == 0 ? "1500.00" : "100.00", "currency", "EUR",
                                "status", "PAID", "createdAt", t, "updatedAt", t)), t));
                publisher.publish("trade", FactEnvelope.upsert("pay-payments", new MappedFact("recon.trade.Payment", "P-" + id, id, t + 1,
                        Map.of("paymentId", "P-" + id, "orderId", id, "amount", i % 100 == 0 ? "1500.00" : "100.00", "currency", "EUR",
                                "status", "SUCCESS", "paidAt", t + 1)), t));
                records += 2;
            }
            publisher.flush();
            long total = records;
            while (app.sessions().stream().mapToLong(SessionView::nextOffset).sum() < total
                    || app.sessions().stream().anyMatch(s -> s.queueDepth() > 0)) {
                Thread.sleep(50);
            }
            long live = app.sessions().stream().mapToLong(s -> s.liveFactsByType().values().stream().mapToLong(Long::longValue).sum()).sum();
            RuleCompiler.Build build = new RuleCompiler().build(ActivationBenchmark.version110(), Set.of("trade"),
                    app.bean(ReleasedKjars.class).releaseId("1.1.0"), true);
            build.container().dispose();
            app.bean(ReleaseRegistry.class).register("1.1.0", List.of("trade"), "bench", "benchmark", "DRAFT", "PUBLISHED", build.kjar(), true);
            ReleaseActivator activator = app.bean(ReleaseActivator.class);
            long started = System.nanoTime();
            ReleaseActivator.Outcome up = activator.activate("1.1.0", "bench");
            long upTotal = (System.nanoTime() - started) / 1_000_000;
            started = System.nanoTime();
            ReleaseActivator.Outcome back = activator.rollback("1.1.0", "bench");
            long backTotal = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("activation in the service: %,9d live facts in %d sessions: 1.0.0 -> 1.1.0 session pause %,6d ms (request %,6d ms"
                    + " with checks); rollback pause %,6d ms (request %,6d ms)%n", live, partitions, up.pauseMillis(), upTotal,
                    back.pauseMillis(), backTotal);

            // 1.2.0 adds a field to Order: no in-place update can carry the orders over, so the sessions are rebuilt by replay
            List<io.recon.authoring.RuleFile> reshaped = ActivationBenchmark.version110().stream()
                    .map(f -> f.name().endsWith("types.drl") ? new io.recon.authoring.RuleFile(f.name(),
                            f.content().replace("    updatedAt  : long\n", "    updatedAt  : long\n    channel    : String\n")) : f)
                    .toList();
            RuleCompiler.Build wider = new RuleCompiler().build(reshaped, Set.of("trade"), app.bean(ReleasedKjars.class).releaseId("1.2.0"), true);
            wider.container().dispose();
            app.bean(ReleaseRegistry.class).register("1.2.0", List.of("trade"), "bench", "Order gets a channel", "DRAFT", "PUBLISHED", wider.kjar(), true);
            started = System.nanoTime();
            ReleaseActivator.Outcome rebuilt = activator.activate("1.2.0", "bench");
            long rebuiltTotal = (System.nanoTime() - started) / 1_000_000;
            long after = app.sessions().stream().mapToLong(s -> s.liveFactsByType().values().stream().mapToLong(Long::longValue).sum()).sum();
            System.out.printf("activation in the service: %,9d live facts in %d sessions: 1.0.0 -> 1.2.0 (a field added to Order) rebuilt %s"
                    + " by replay: pause %,6d ms (request %,6d ms with checks), %,d live facts after%n", live, partitions, rebuilt.rebuilt(),
                    rebuilt.pauseMillis(), rebuiltTotal, after);
        }
    }

    private ServiceActivationBenchmark() {
    }
}
