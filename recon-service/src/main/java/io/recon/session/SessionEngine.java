package io.recon.session;

import io.recon.fact.FactEnvelope;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import io.recon.mismatch.MismatchChange;
import io.recon.rules.Mismatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;

/**
 * One stateful KIE session on an event-time pseudo clock. It applies facts-topic records one at a
 * time and fires the rules after each, so that its output depends only on the sequence of records,
 * never on how they were batched: replaying the same log gives the same mismatches.
 *
 * <p>Not thread-safe: one owner thread. Counters read by operators are safe to read from any thread.
 */
final class SessionEngine implements AutoCloseable {

    private final KieSession session;
    private final SessionPseudoClock clock;
    private TaskFacts facts;
    private final long allowedLateness;
    private final boolean holdFactsAhead;
    private final Map<String, FactHandle> handles = new HashMap<>();
    private final Map<String, Long> commitTimes = new HashMap<>();
    private final List<MismatchChange> changes = new ArrayList<>();
    private final Set<String> expiredThisStep = new HashSet<>();
    private final List<Mismatch> withdrawnThisStep = new ArrayList<>();
    private final Set<Mismatch> liveMismatches = new HashSet<>();
    private final Map<String, AtomicLong> liveFacts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> firingsByRule = new ConcurrentHashMap<>();
    private final AtomicLong rulesFired = new AtomicLong();
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>(Comparator.comparingLong(Expiry::at));
    private boolean recording = true;
    private volatile long clockTime;

    /** When a fact's @expires will remove it: Drools removes expired facts without telling listeners. */
    private record Expiry(long at, String identity, FactHandle handle, String type) {
    }

    /** Applies every fact at once, however far ahead of the clock (mock tests and simulations state their own order). */
    SessionEngine(KieBase kieBase, TaskFacts facts, long allowedLatenessMillis) {
        this(kieBase, facts, allowedLatenessMillis, false);
    }

    /** @param holdFactsAhead let facts far ahead of the clock wait for it (the live pipeline; see {@link #apply}) */
    SessionEngine(KieBase kieBase, TaskFacts facts, long allowedLatenessMillis, boolean holdFactsAhead) {
        this.holdFactsAhead = holdFactsAhead;
        KieSessionConfiguration conf = KieServices.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        this.session = kieBase.newKieSession(conf, null);
        this.clock = session.getSessionClock();
        this.facts = facts;
        this.allowedLateness = allowedLatenessMillis;
        session.addEventListener(new Tracker());
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                rulesFired.incrementAndGet();
                firingsByRule.computeIfAbsent(event.getMatch().getRule().getName(), r -> new AtomicLong()).incrementAndGet();
            }
        });
    }

    /** While false (replaying records whose effects are already stored), conclusions are not reported. */
    void setRecording(boolean recording) {
        this.recording = recording;
    }

    /**
     * Applies one facts-topic record and fires the rules.
     *
     * <p>A fact far ahead of the clock (more than twice the allowed lateness beyond it: its source runs ahead of
     * another, as after a restart when one source's backlog is read before another's) waits until the clock gets
     * there, so that rules see facts of different sources in about the order they happened: a timer started by
     * a fact from the source that is ahead (a courier delivery's 30 s) must not run out before the slower source
     * (the warehouse's shipment) is read. Facts of one identity keep their order. The waiting depends only on the
     * log, so a replay waits the same way.
     *
     * @return how many facts the rules saw that they had not seen yet (0 for a watermark that released none, a
     *         redelivery, or a fact that waits)
     */
    int apply(FactEnvelope record) {
        int news = 0;
        if (record.kind() == FactEnvelope.Kind.WATERMARK) {
            while (!ahead.isEmpty() && ahead.peek().releaseAt() <= record.watermark()) {
                Waiting next = ahead.poll();
                heldByIdentity.computeIfPresent(next.identity(), (k, n) -> n == 1 ? null : n - 1);
                step(() -> advanceTo(next.releaseAt()));
                news += step(() -> applyFact(next.record()));
            }
            step(() -> advanceTo(record.watermark()));
            return news;
        }
        MappedFact mapped = record.fact();
        String identity = TaskFacts.identity(mapped.type(), mapped.id());
        long now = clock.getCurrentTime();
        if (holdFactsAhead && now != 0 && (mapped.eventTime() - now > 2 * allowedLateness || heldByIdentity.containsKey(identity))) {
            ahead.add(new Waiting(Math.max(now, mapped.eventTime() - 2 * allowedLateness), waitingSeq++, identity, record));
            heldByIdentity.merge(identity, 1, Integer::sum);
            return 0;
        }
        return step(() -> applyFact(record));
    }

    /** Facts waiting for the clock, by the time they may enter, then by arrival. */
    private record Waiting(long releaseAt, long seq, String identity, FactEnvelope record) {
    }

    private final PriorityQueue<Waiting> ahead = new PriorityQueue<>(Comparator.comparingLong(Waiting::releaseAt)
            .thenComparingLong(Waiting::seq));
    private final Map<String, Integer> heldByIdentity = new HashMap<>();
    private long waitingSeq;

    /** @return 1 when the fact was news to the rules */
    private int applyFact(FactEnvelope record) {
        if (record.kind() == FactEnvelope.Kind.DELETE) {
            delete(record.fact());
            return 1;
        }
        return upsert(record) ? 1 : 0;
    }

    /** One change of the session followed by firing the rules and taking stock: the unit that makes a replay exact. */
    private int step(java.util.function.IntSupplier change) {
        expiredThisStep.clear();
        int news = change.getAsInt();
        session.fireAllRules();
        forgetExpired();
        classifyWithdrawals();
        clockTime = clock.getCurrentTime();
        return news;
    }

    private int step(Runnable change) {
        return step(() -> {
            change.run();
            return 0;
        });
    }

    /**
     * Fires the rules without new input: after the rules were updated in place, new and changed rules
     * see the facts already in the session at once. Mismatches they find are reported as usual.
     */
    void fire() {
        expiredThisStep.clear();
        session.fireAllRules();
        forgetExpired();
        classifyWithdrawals();
        clockTime = clock.getCurrentTime();
    }

    /** The fact types after a rules update (the same classes when the update kept the declarations). */
    void useFacts(TaskFacts facts) {
        this.facts = facts;
    }

    /** Drops the bookkeeping of facts the session expired during this step, and notes them. */
    private void forgetExpired() {
        long now = clock.getCurrentTime();
        while (!expiries.isEmpty() && expiries.peek().at() <= now) {
            Expiry expiry = expiries.peek();
            if (handles.get(expiry.identity()) != expiry.handle()) {
                expiries.poll(); // replaced or deleted since; its own entry covers it
                continue;
            }
            if (session.getObject(expiry.handle()) != null) {
                break; // Drools expires it on a later step
            }
            expiries.poll();
            handles.remove(expiry.identity());
            commitTimes.remove(expiry.identity());
            expiredThisStep.add(expiry.identity());
            liveFacts.computeIfAbsent(expiry.type(), t -> new AtomicLong()).decrementAndGet();
        }
    }

    private void count(Object fact, int delta) {
        if (fact != null) {
            liveFacts.computeIfAbsent(fact.getClass().getSimpleName(), t -> new AtomicLong()).addAndGet(delta);
        }
    }

    /**
     * Decided after the step, when every expiry of the step is known: Drools does not promise to
     * report an expired fact before the mismatch it justified.
     */
    private void classifyWithdrawals() {
        for (Mismatch mismatch : withdrawnThisStep) {
            boolean reasserted = liveMismatches.contains(mismatch);
            if (recording && !reasserted && !evidenceExpired(mismatch)) {
                changes.add(new MismatchChange(MismatchChange.Kind.HEALED, mismatch, null, clock.getCurrentTime(), 0, List.of()));
            }
        }
        withdrawnThisStep.clear();
    }

    private boolean evidenceExpired(Mismatch mismatch) {
        for (Object evidence : mismatch.getFacts()) {
            String identity = facts.identityOf(evidence);
            if (identity != null && expiredThisStep.contains(identity)) {
                return true;
            }
        }
        return false;
    }

    List<MismatchChange> drainChanges() {
        List<MismatchChange> drained = List.copyOf(changes);
        changes.clear();
        return drained;
    }

    long clock() {
        return clockTime;
    }

    long rulesFired() {
        return rulesFired.get();
    }

    Map<String, Long> firingsByRule() {
        Map<String, Long> copy = new HashMap<>();
        firingsByRule.forEach((rule, count) -> copy.put(rule, count.get()));
        return copy;
    }

    Map<String, Long> liveFactsByType() {
        Map<String, Long> copy = new HashMap<>();
        liveFacts.forEach((type, count) -> {
            if (count.get() > 0) {
                copy.put(type, count.get());
            }
        });
        return copy;
    }

    /** How many findings the rules currently hold; safe to read from any thread (a statistic). */
    int liveMismatchCount() {
        return liveMismatches.size();
    }

    /** The findings the rules currently hold (owner thread only). */
    Set<Mismatch> liveMismatches() {
        return Set.copyOf(liveMismatches);
    }

    private void advanceTo(long time) {
        long now = clock.getCurrentTime();
        if (time > now) {
            clock.advanceTime(time - now, TimeUnit.MILLISECONDS);
        }
    }

    private boolean upsert(FactEnvelope record) {
        MappedFact mapped = record.fact();
        if (clock.getCurrentTime() == 0) {
            // A partition's first fact may precede its first watermark: start the clock where the
            // watermark would have put it, never at 1970 (timers would fire at once).
            advanceTo(mapped.eventTime() - allowedLateness);
        }
        Object fact = facts.mapper(mapped.type()).instantiate(mapped.fields());
        String identity = TaskFacts.identity(mapped.type(), mapped.id());
        FactHandle handle = handles.get(identity);
        Object current = handle == null ? null : session.getObject(handle);
        if (current == null) {
            FactHandle inserted = session.insert(fact);
            handles.put(identity, inserted);
            count(fact, +1);
            long life = facts.expiresAfter(fact.getClass());
            if (life != Long.MAX_VALUE) {
                expiries.add(new Expiry(mapped.eventTime() + life, identity, inserted, fact.getClass().getSimpleName()));
            }
        } else if (!facts.fieldsOf(current).equals(facts.fieldsOf(fact))) {
            session.update(handle, fact);
        } else {
            return false; // the same version again (a redelivery): nothing changed, nothing to re-evaluate
        }
        commitTimes.put(identity, record.committedAt());
        return true;
    }

    private void delete(MappedFact mapped) {
        String identity = TaskFacts.identity(mapped.type(), mapped.id());
        FactHandle handle = handles.remove(identity);
        commitTimes.remove(identity);
        Object current = handle == null ? null : session.getObject(handle);
        if (current != null) {
            session.delete(handle);
            count(current, -1);
        }
    }

    private List<Map<String, Object>> evidence(Mismatch mismatch) {
        List<Map<String, Object>> evidence = new ArrayList<>();
        for (Object fact : mismatch.getFacts()) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("type", fact.getClass().getSimpleName());
            Map<String, Object> fields = facts.fieldsOf(fact);
            entry.put("fields", fields.isEmpty() ? String.valueOf(fact) : fields);
            evidence.add(entry);
        }
        return evidence;
    }

    private long lastCommitTime(Mismatch mismatch) {
        long latest = 0;
        for (Object evidence : mismatch.getFacts()) {
            String identity = facts.identityOf(evidence);
            Long committed = identity == null ? null : commitTimes.get(identity);
            if (committed != null && committed > latest) {
                latest = committed;
            }
        }
        return latest;
    }

    /**
     * Turns working-memory events into conclusions. A mismatch withdrawn because its evidence
     * expired is not healed: the session merely forgot the facts, the disagreement stands.
     */
    private final class Tracker implements RuleRuntimeEventListener {

        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            Object object = event.getObject();
            if (object instanceof Mismatch mismatch) {
                liveMismatches.add(mismatch);
                if (recording) {
                    String rule = event.getRule() == null ? null : event.getRule().getName();
                    changes.add(new MismatchChange(MismatchChange.Kind.DETECTED, mismatch, rule,
                            clock.getCurrentTime(), lastCommitTime(mismatch), evidence(mismatch)));
                }
            }
        }

        @Override
        public void objectUpdated(ObjectUpdatedEvent event) {
        }

        @Override
        public void objectDeleted(ObjectDeletedEvent event) {
            Object object = event.getOldObject();
            if (object instanceof Mismatch mismatch) {
                liveMismatches.remove(mismatch);
                withdrawnThisStep.add(mismatch);
            }
        }
    }

    @Override
    public void close() {
        session.dispose();
    }
}
