package io.recon.session;

import io.recon.fact.FactEnvelope;
import io.recon.fact.FactSpec;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.kie.api.KieBase;

/**
 * Heap held per live fact by one session of the released sample rules: 100k orders each holding an
 * open 30 s payment window (the costliest case), and 100k facts as 50k paid order/payment pairs.
 * Run in a fresh JVM (the bench profile does) so that the measurement is not blurred by other work.
 */
public final class HeapPerFactBenchmark {

    public static final List<FactSpec> SPECS = List.of(
            new FactSpec("recon.trade.Order", "orderId", "orderId", "createdAt"),
            new FactSpec("recon.trade.Payment", "orderId", "paymentId", "paidAt"));

    /**
     * The task group {@code trade} of a released version: the repository jar's sources built as the service builds
     * every version (executable model; the classic engine is not on the class path), into the in-memory repository.
     */
    public static KieBase releasedKieBase(String rulesRepository, String version) {
        try {
            org.kie.api.KieServices ks = org.kie.api.KieServices.get();
            byte[] jar = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(rulesRepository, "io/recon/rules-kjar", version,
                    "rules-kjar-" + version + ".jar"));
            io.recon.authoring.KjarSources.Sources sources = io.recon.authoring.KjarSources.read(jar, false);
            org.kie.api.builder.ReleaseId id = ks.newReleaseId("io.recon", "rules-kjar", version);
            var problems = new io.recon.authoring.RuleCompiler().compile(sources.files(), sources.tasks(), id).problems();
            if (!problems.isEmpty()) {
                throw new IllegalStateException("rules " + version + " do not build: " + problems);
            }
            return ks.newKieContainer(id).getKieBase("trade");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void run(String rulesRepository, int facts) {
        KieBase kieBase = releasedKieBase(rulesRepository, "1.0.0");
        TaskFacts taskFacts = new TaskFacts(kieBase, SPECS);
        long t0 = System.currentTimeMillis();
        for (boolean pairs : new boolean[] {false, true}) {
            long before = usedHeap();
            SessionEngine engine = new SessionEngine(kieBase, taskFacts, 5_000);
            engine.apply(FactEnvelope.watermark(t0));
            int n = pairs ? facts / 2 : facts;
            for (int i = 0; i < n; i++) {
                String id = (pairs ? "PAIR-" : "OPEN-") + i;
                long t = t0 + i / 10_000;
                engine.apply(FactEnvelope.upsert("shop", new MappedFact("recon.trade.Order", id, id, t, Map.of("orderId", id,
                        "customerId", "C-" + (i % 1000), "amount", "123.45", "currency", "EUR", "status", "PAID", "createdAt", t, "updatedAt", t)), t));
                if (pairs) {
                    engine.apply(FactEnvelope.upsert("pay", new MappedFact("recon.trade.Payment", "P-" + id, id, t, Map.of("paymentId", "P-" + id,
                            "orderId", id, "amount", "123.45", "currency", "EUR", "status", "SUCCESS", "paidAt", t)), t));
                }
            }
            long live = engine.liveFactsByType().values().stream().mapToLong(Long::longValue).sum();
            long after = usedHeap();
            System.out.printf("heap        %-55s %,d live facts: %,.0f bytes per live fact (%.0f MB)%n",
                    pairs ? "paid order/payment pairs (windows settled)" : "orders with an open payment window (timer pending)",
                    live, (after - before) / (double) live, (after - before) / 1e6);
            engine.close();
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private HeapPerFactBenchmark() {
    }
}
