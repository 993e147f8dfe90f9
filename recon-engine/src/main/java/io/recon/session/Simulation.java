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

    /**
     * A rule threw, or kept firing past the cap on one record, while the simulation applied a record or a clock step;
     * the run stops here (a mock test or a scenario reports it as a rule problem).
     *
     * @param rule   the rule's name
     * @param record what was being applied (the correlation key, or the clock step)
     * @param cause  the error in words, or the cap that was hit
     * @param capped true when the rule hit the firing cap rather than throwing
     */
    public static final class RuleFailure extends RuntimeException {
        private final String rule;
        private final String record;
        private final String cause;
        private final boolean capped;

        RuleFailure(RuleFaults.RuleFault fault) {
            super(fault.describe());
            this.rule = fault.rule();
            this.record = fault.record();
            this.cause = fault.cause();
            this.capped = fault.capped();
        }

        public String rule() {
            return rule;
        }

        public String record() {
            return record;
        }

        public String causeInWords() {
            return cause;
        }

        public boolean capped() {
            return capped;
        }
    }

    /** Like the live sessions: the faulting firing is skipped and the rest of the rules go on (counted in {@link #faults()}). */
    private final class Skip implements RuleFaults {
        @Override
        public boolean quarantined(String rule) {
            return false;
        }

        @Override
        public void fault(RuleFault fault) {
            faults++;
        }
    }

    private static final RuleFaults STOP = new RuleFaults() {
        @Override
        public boolean quarantined(String rule) {
            return false;
        }

        @Override
        public void fault(RuleFault fault) {
            throw new RuleFailure(fault);
        }
    };

    private final SessionEngine engine;
    private final Map<String, Long> firedBefore = new HashMap<>();
    private final RunBudget.Meter meter;
    private long firedChecked;
    private long faults;

    public Simulation(KieBase kieBase, TaskFacts facts) {
        this(kieBase, facts, 0);
    }

    /** @param allowedLatenessMillis where the clock starts when the first record precedes the first watermark */
    public Simulation(KieBase kieBase, TaskFacts facts, long allowedLatenessMillis) {
        this(kieBase, facts, allowedLatenessMillis, RunBudget.UNLIMITED.start());
    }

    /** @param meter the run's budget: every record and clock step is checked against it ({@link RunBudget.Exceeded}) */
    public Simulation(KieBase kieBase, TaskFacts facts, long allowedLatenessMillis, RunBudget.Meter meter) {
        this(kieBase, facts, allowedLatenessMillis, meter, false);
    }

    /**
     * @param skipFaults false: a rule fault stops the run ({@link RuleFailure}); true: it is skipped as the live sessions
     *                   skip it (the active version in a shadow run, whose faults the live pipeline already handles)
     */
    public Simulation(KieBase kieBase, TaskFacts facts, long allowedLatenessMillis, RunBudget.Meter meter, boolean skipFaults) {
        this.meter = meter;
        this.engine = new SessionEngine(kieBase, facts, allowedLatenessMillis, skipFaults ? new Skip() : STOP,
                meter.budget().firingsPerRecord(), false);
        meter.register(this);
    }

    /** Rule faults skipped so far (with {@code skipFaults}). */
    public long faults() {
        return faults;
    }

    /** One record of a facts topic (a fact change or a watermark), as a session applies it. */
    public void apply(FactEnvelope record) {
        engine.apply(record);
        checkBudget();
    }

    /** A record arrives (a new one, or a new version of one already seen). */
    public void upsert(MappedFact fact) {
        engine.apply(FactEnvelope.upsert(null, fact, 0));
        checkBudget();
    }

    /** A record is deleted at its source. */
    public void delete(MappedFact fact) {
        engine.apply(FactEnvelope.delete(null, fact, 0));
        checkBudget();
    }

    /** Event time passes up to {@code time} (epoch millis); the clock never goes back. */
    public void advanceTo(long time) {
        engine.apply(FactEnvelope.watermark(time));
        checkBudget();
    }

    private void checkBudget() {
        long fired = engine.rulesFired();
        meter.used(fired - firedChecked, engine.factCount());
        firedChecked = fired;
    }

    /** From any thread: the rules stop at their next firing (the run is out of time). */
    void halt() {
        engine.halt();
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
        meter.unregister(this);
        engine.close();
    }
}
