package io.recon.session;

import io.recon.fact.FactEnvelope;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import io.recon.mismatch.MismatchChange;
import io.recon.rules.Mismatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kie.api.KieBase;

/**
 * A session with exactly the service's semantics (upsert by record id, rules fired after every
 * record and every clock step, expiry that is not healing), driven by the caller instead of a Kafka
 * partition: the mock-test tool and the kjar's scenario files use it. Nothing is stored. One owner
 * thread; close it when done.
 */
public final class Simulation implements AutoCloseable {

    private final SessionEngine engine;
    private final Map<String, Long> firedBefore = new HashMap<>();

    public Simulation(KieBase kieBase, TaskFacts facts) {
        this(kieBase, facts, 0);
    }

    /** @param allowedLatenessMillis where the clock starts when the first record precedes the first watermark */
    public Simulation(KieBase kieBase, TaskFacts facts, long allowedLatenessMillis) {
        this.engine = new SessionEngine(kieBase, facts, allowedLatenessMillis);
    }

    /** One record of a facts topic (a fact change or a watermark), as a session applies it. */
    public void apply(FactEnvelope record) {
        engine.apply(record);
    }

    /** A record arrives (a new one, or a new version of one already seen). */
    public void upsert(MappedFact fact) {
        engine.apply(FactEnvelope.upsert(null, fact, 0));
    }

    /** A record is deleted at its source. */
    public void delete(MappedFact fact) {
        engine.apply(FactEnvelope.delete(null, fact, 0));
    }

    /** Event time passes up to {@code time} (epoch millis); the clock never goes back. */
    public void advanceTo(long time) {
        engine.apply(FactEnvelope.watermark(time));
    }

    public long clock() {
        return engine.clock();
    }

    /** Mismatches detected and healed since the last call. */
    public List<MismatchChange> drainChanges() {
        return engine.drainChanges();
    }

    public Set<Mismatch> openMismatches() {
        return engine.liveMismatches();
    }

    /** How often each rule fired since the last call. */
    public Map<String, Long> drainFirings() {
        Map<String, Long> delta = new HashMap<>();
        engine.firingsByRule().forEach((rule, count) -> {
            long d = count - firedBefore.getOrDefault(rule, 0L);
            if (d > 0) {
                delta.put(rule, d);
            }
            firedBefore.put(rule, count);
        });
        return delta;
    }

    public Map<String, Long> liveFactsByType() {
        return engine.liveFactsByType();
    }

    @Override
    public void close() {
        engine.close();
    }
}
