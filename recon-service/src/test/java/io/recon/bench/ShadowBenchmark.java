package io.recon.bench;

import io.recon.authoring.RuleCompiler;
import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import io.recon.session.ActivationBenchmark;
import io.recon.session.HeapPerFactBenchmark;
import io.recon.session.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;

/**
 * Shadow-run throughput without Kafka: encoded facts-topic records (orders, payments, a watermark
 * every 100 records) decoded and applied to two isolated sessions, the active 1.0.0 and the candidate
 * 1.1.0, as {@code ShadowRun} does for each record it reads back. Reading the topic itself is not
 * counted (it is several times faster than the sessions, see shared/STACK.md).
 */
public final class ShadowBenchmark {

    public static void run(String rulesRepository, int records) throws Exception {
        KieBase active = HeapPerFactBenchmark.releasedKieBase(rulesRepository, "1.0.0");
        RuleCompiler.Build candidate = new RuleCompiler().build(ActivationBenchmark.version110(), Set.of("trade"), null, false);
        KieContainer container = candidate.container();
        KieBase next = container.getKieBase("trade");
        List<byte[]> log = new ArrayList<>();
        long t0 = System.currentTimeMillis() - 600_000;
        for (int i = 0; log.size() < records; i++) {
            String id = "O-" + i;
            long t = t0 + i * 5L;
            log.add(FactCodec.encode(FactEnvelope.upsert("shop", new MappedFact("recon.trade.Order", id, id, t, Map.of("orderId", id,
                    "customerId", "C-1", "amount", i % 100 == 0 ? "1500.00" : "20.00", "currency", "EUR", "status", "PAID",
                    "createdAt", t, "updatedAt", t)), t)));
            log.add(FactCodec.encode(FactEnvelope.upsert("pay", new MappedFact("recon.trade.Payment", "P-" + id, id, t + 1, Map.of("paymentId",
                    "P-" + id, "orderId", id, "amount", i % 50 == 0 ? "20.50" : "20.00", "currency", "EUR", "status", "SUCCESS", "paidAt", t + 1)), t + 1)));
            if (i % 50 == 0) {
                log.add(FactCodec.encode(FactEnvelope.watermark(t - 5_000)));
            }
        }
        try (Simulation a = new Simulation(active, new TaskFacts(active, HeapPerFactBenchmark.SPECS), 5_000);
             Simulation b = new Simulation(next, new TaskFacts(next, HeapPerFactBenchmark.SPECS), 5_000)) {
            long started = System.nanoTime();
            long added = 0;
            for (byte[] bytes : log) {
                FactEnvelope envelope = FactCodec.decode(bytes);
                a.apply(envelope);
                b.apply(envelope);
                a.drainChanges();
                added += b.drainChanges().size();
            }
            long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
            System.out.printf("shadow: %,d records through 1.0.0 and 1.1.0 side by side in %,d ms: %,d records/s (%,d candidate changes)%n",
                    log.size(), millis, log.size() * 1000L / millis, added);
        }
        container.dispose();
    }

    private ShadowBenchmark() {
    }
}
