package io.recon.session;

import io.recon.authoring.RuleCompiler;
import io.recon.authoring.RuleFile;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactSpec;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.kie.api.KieServices;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;

/**
 * The pause a hot deploy causes in one session, measured on a standalone engine (no Kafka, no store):
 * the same steps a session runs on its own thread when it takes a new version
 * ({@code KieContainer.updateToVersion}, fact types re-read, rules fired over the facts already there).
 * The session holds {@code n} live facts (n/2 paid orders, n/2 payments); version 1.1.0 changes the
 * amount rule (a join over every order/payment pair) and adds a rule over every order; then it is
 * rolled back to 1.0.0.
 */
public final class ActivationBenchmark {

    static final List<FactSpec> SPECS = HeapPerFactBenchmark.SPECS;

    public static void run(String rulesRepository, int... sizes) throws IOException {
        KieServices ks = KieServices.get();
        HeapPerFactBenchmark.releasedKieBase(rulesRepository, "1.0.0"); // puts 1.0.0 into the in-memory repository
        ReleaseId v100 = ks.newReleaseId("io.recon", "rules-kjar", "1.0.0");
        ReleaseId v110 = ks.newReleaseId("io.recon", "rules-kjar", "1.1.0");
        RuleCompiler.Build build = new RuleCompiler().build(version110(), Set.of("trade"), v110, false);
        if (!build.ok()) {
            throw new IllegalStateException("1.1.0 does not build: " + build.problems());
        }
        build.container().dispose();
        for (int n : sizes) {
            KieContainer container = UpdatableKieModule.newContainer(v100);
            TaskFacts facts = new TaskFacts(container.getKieBase("trade"), SPECS);
            long t0 = System.currentTimeMillis();
            try (SessionEngine engine = new SessionEngine(container.getKieBase("trade"), facts, 5_000)) {
                engine.apply(FactEnvelope.watermark(t0));
                for (int i = 0; i < n / 2; i++) {
                    String id = "O-" + i;
                    long t = t0 + i / 10_000;
                    engine.apply(FactEnvelope.upsert("shop", new MappedFact("recon.trade.Order", id, id, t, Map.of("orderId", id,
                            "customerId", "C-" + (i % 1000), "amount", i % 100 == 0 ? "1500.00" : "123.45", "currency", "EUR", "status", "PAID",
                            "createdAt", t, "updatedAt", t)), t));
                    engine.apply(FactEnvelope.upsert("pay", new MappedFact("recon.trade.Payment", "P-" + id, id, t, Map.of("paymentId", "P-" + id,
                            "orderId", id, "amount", i % 50 == 0 ? "123.95" : "123.45", "currency", "EUR", "status", "SUCCESS", "paidAt", t)), t));
                }
                engine.drainChanges();
                long live = engine.liveFactsByType().values().stream().mapToLong(Long::longValue).sum();
                long[] pauses = new long[2];
                int[] found = new int[2];
                ReleaseId[] targets = {v110, v100};
                for (int k = 0; k < 2; k++) {
                    long started = System.nanoTime();
                    UpdatableKieModule.updateToVersion(container, targets[k]);
                    engine.useFacts(new TaskFacts(container.getKieBase("trade"), SPECS));
                    engine.fire();
                    pauses[k] = (System.nanoTime() - started) / 1_000_000;
                    found[k] = engine.drainChanges().size();
                }
                long after = engine.liveFactsByType().values().stream().mapToLong(Long::longValue).sum();
                System.out.printf("activation: %,9d live facts: 1.0.0 -> 1.1.0 pause %,6d ms (%,d mismatch changes); rollback pause %,6d ms (%,d);"
                        + " facts after %,d%n", live, pauses[0], found[0], pauses[1], found[1], after);
            }
            container.dispose();
        }
    }

    /** The sample kjar with the amount tolerance changed to 1.00 and a large-order rule added (as in HotDeployIT). */
    public static List<RuleFile> version110() throws IOException {
        Path root = Path.of("../rules-kjar/src/main/resources");
        List<RuleFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".drl")).sorted().toList()) {
                String text = Files.readString(p);
                if (p.toString().endsWith("payments.drl")) {
                    text = text.replace("Tolerance.differsBy( amount, $paid, 0.01 )", "Tolerance.differsBy( amount, $paid, 1.00 )") + """

                            rule "An order above 1000 is reviewed"
                            when
                                $order : Order( amount > 1000, $orderId : orderId )
                            then
                                insertLogical( Mismatch.of( "LARGE", Severity.P4, $orderId, "Order " + $orderId + " is above 1000.00.", $order ) );
                            end
                            """;
                }
                files.add(new RuleFile(root.relativize(p).toString(), text));
            }
        }
        return files;
    }

    private ActivationBenchmark() {
    }
}
