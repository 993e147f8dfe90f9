package io.recon.session;

import io.recon.fact.FactEnvelope;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import io.recon.mismatch.MismatchChange;
import io.recon.rules.Mismatch;
import io.recon.rules.WasOnce;
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
import java.util.function.Supplier;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.AgendaFilter;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;

/**
 * One stateful KIE session on an event-time pseudo clock. It applies facts-topic records one at a
 * time and fires the rules after each, so that its output depends only on the sequence of records,
 * never on how they were batched: replaying the same log gives the same mismatches.
 *
 * <p>Rules fire at most {@code maxFirings} times per record: a rule that throws, or keeps firing past the cap,
 * is a rule fault. The faulting firing is skipped, the record stays applied, the other rules finish the record,
 * and {@link RuleFaults} decides whether the rule runs again (quarantine).
 *
 * <p>Not thread-safe: one owner thread. Counters read by operators are safe to read from any thread.
 */
final class SessionEngine implements AutoCloseable {

    /** The firing cap where the task group sets none: far above what a record's rules need, far below "forever". */
    static final int DEFAULT_MAX_FIRINGS = 10_000;

    private final KieSession session;
    private final SessionPseudoClock clock;
    private TaskFacts facts;
    private final long allowedLateness;
    private final boolean holdFactsAhead;
    private final Map<String, FactHandle> handles = new HashMap<>();
    private final Map<String, Long> commitTimes = new HashMap<>();
    /** The WasOnce facts of each fact identity with remembered fields: they leave the session with their fact. */
    private final Map<String, List<FactHandle>> earlierValues = new HashMap<>();
    private final List<MismatchChange> changes = new ArrayList<>();
    private final Set<String> expiredThisStep = new HashSet<>();
    private final List<Mismatch> withdrawnThisStep = new ArrayList<>();
    /** The findings the rules hold now, each with the rule that inserted it (for {@link #reportLive} after a rebuild). */
    private final Map<Mismatch, String> liveMismatches = new HashMap<>();
    private final Map<String, AtomicLong> liveFacts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> firingsByRule = new ConcurrentHashMap<>();
    private final AtomicLong rulesFired = new AtomicLong();
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>(Comparator.comparingLong(Expiry::at));
    private boolean recording = true;
    private volatile long clockTime;
    private final RuleFaults faults;
    private final int maxFirings;
    /** Rules skipped for the rest of the current record because they faulted on it. */
    private final Set<String> faultedThisRecord = new HashSet<>();
    private final Map<String, Integer> firedThisRound = new HashMap<>();
    /** Facts inserted, updated or deleted by each rule's consequences this round (conclusions not counted). */
    private final Map<String, Integer> writesThisRound = new HashMap<>();
    private final AgendaFilter admitted = match -> {
        String rule = match.getRule().getName();
        return !faultedThisRecord.contains(rule) && !faultsQuarantined(rule);
    };
    private String firing;

    /** When a fact's @expires will remove it: Drools removes expired facts without telling listeners. */
    private record Expiry(long at, String identity, FactHandle handle, String type) {
    }

    /** Applies every fact at once, however far ahead of the clock (mock tests and simulations state their own order). */
    SessionEngine(KieBase kieBase, TaskFacts facts, long allowedLatenessMillis) {
        this(kieBase, facts, allowedLatenessMillis, RuleFaults.RETHROW, DEFAULT_MAX_FIRINGS, false);
    }

    /**
     * @param faults         what a rule fault does: the service's sessions skip the firing and count it towards a quarantine
     * @param maxFirings     the firing cap per record (and per clock step)
     * @param holdFactsAhead let facts far ahead of the clock wait for it (the live pipeline; see {@link #apply})
     */
    SessionEngine(KieBase kieBase, TaskFacts facts, long allowedLatenessMillis, RuleFaults faults, int maxFirings, boolean holdFactsAhead) {
        this.faults = faults;
        this.maxFirings = maxFirings > 0 ? maxFirings : DEFAULT_MAX_FIRINGS;
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
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                firing = event.getMatch().getRule().getName();
            }

            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                String rule = event.getMatch().getRule().getName();
                firing = null;
                rulesFired.incrementAndGet();
                firingsByRule.computeIfAbsent(rule, r -> new AtomicLong()).incrementAndGet();
                firedThisRound.merge(rule, 1, Integer::sum);
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
     *         redelivery of the current or an older version, or a fact that waits)
     */
    int apply(FactEnvelope record) {
        int news = 0;
        if (record.kind() == FactEnvelope.Kind.WATERMARK) {
            while (!ahead.isEmpty() && ahead.peek().releaseAt() <= record.watermark()) {
                Waiting next = ahead.poll();
                heldByIdentity.computeIfPresent(next.identity(), (k, n) -> n == 1 ? null : n - 1);
                step(() -> describe(next.releaseAt()), () -> advanceTo(next.releaseAt()));
                news += step(() -> describe(next.record()), () -> applyFact(next.record()));
            }
            step(() -> describe(record.watermark()), () -> advanceTo(record.watermark()));
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
        return step(() -> describe(record), () -> applyFact(record));
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
    private int step(Supplier<String> what, java.util.function.IntSupplier change) {
        expiredThisStep.clear();
        int news = change.getAsInt();
        fireRules(what);
        forgetExpired();
        classifyWithdrawals();
        clockTime = clock.getCurrentTime();
        return news;
    }

    private int step(Supplier<String> what, Runnable change) {
        return step(what, () -> {
            change.run();
            return 0;
        });
    }

    /** Names what the rules fired on, for a rule fault's report. */
    private static String describe(FactEnvelope record) {
        return "the " + record.fact().type() + " record '" + record.fact().id() + "' of key '" + record.fact().key() + "'";
    }

    private static String describe(long clockStep) {
        return "the clock step to " + java.time.Instant.ofEpochMilli(clockStep);
    }

    /**
     * Fires the rules without new input: after the rules were updated in place, new and changed rules
     * see the facts already in the session at once. Mismatches they find are reported as usual.
     */
    void fire() {
        expiredThisStep.clear();
        // a new rule rightly fires once for each fact it matches: the cap for one record would stop it at 1M facts
        long cap = Math.min(Integer.MAX_VALUE, maxFirings + 10L * session.getFactCount());
        fireRules(() -> "the facts already in the session after a rules update", (int) cap);
        forgetExpired();
        classifyWithdrawals();
        clockTime = clock.getCurrentTime();
    }

    /**
     * Fires until the agenda is done, skipping every rule that faults on this record: a rule that throws
     * loses only that firing (Drools has already taken it off the agenda), a rule that hits the cap loses
     * the rest of its firings for this record. Each round either finishes or takes one more rule out, so
     * this ends.
     */
    /** @param what names the record or clock step for a fault's report; built only when a rule faults */
    private void fireRules(Supplier<String> what) {
        fireRules(what, maxFirings);
    }

    private void fireRules(Supplier<String> what, int cap) {
        faultedThisRecord.clear();
        while (true) {
            firedThisRound.clear();
            writesThisRound.clear();
            int fired;
            try {
                fired = session.fireAllRules(admitted, cap);
            } catch (ConsequenceException e) {
                String rule = e.getRule() == null ? firing : e.getRule().getName();
                fault(new RuleFaults.RuleFault(String.valueOf(rule), what.get(), describe(e.getCause() == null ? e : e.getCause()), false));
                continue;
            } catch (StackOverflowError e) {
                // deep recursion in a consequence: the rule that was firing is at fault, not the session
                fault(new RuleFaults.RuleFault(String.valueOf(firing), what.get(), "too deep a recursion (StackOverflowError)", false));
                continue;
            } finally {
                firing = null;
            }
            if (fired < cap) {
                return;
            }
            // The rule that keeps changing facts drives the loop; rules that merely react to those changes fire as often.
            Map<String, Integer> blame = writesThisRound.isEmpty() ? firedThisRound : writesThisRound;
            String looping = blame.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
            fault(new RuleFaults.RuleFault(looping, what.get(), "the rules fired " + cap + " times for one record (the cap), "
                    + firedThisRound.getOrDefault(looping, 0) + " of them this rule; it was stopped", true));
        }
    }

    private void fault(RuleFaults.RuleFault fault) {
        faultedThisRecord.add(fault.rule());
        if (recording) {
            faults.fault(fault); // a replayed record's faults were counted when it was live
        }
    }

    private boolean faultsQuarantined(String rule) {
        return faults.quarantined(rule);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
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
            forgetEarlierValues(expiry.identity()); // the rules see them gone at the next step
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
            boolean reasserted = liveMismatches.containsKey(mismatch);
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

    /** Whether findings wait to be drained. */
    boolean hasChanges() {
        return !changes.isEmpty();
    }

    List<MismatchChange> drainChanges() {
        List<MismatchChange> drained = List.copyOf(changes);
        changes.clear();
        return drained;
    }

    long clock() {
        return clockTime;
    }

    /** Every fact the session holds, rule-inserted ones and findings included (a run's size budget). */
    long factCount() {
        return session.getFactCount();
    }

    /** Stops the rules at their next firing, from any thread (a run out of its time budget). */
    void halt() {
        session.halt();
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

    /**
     * Reports every finding the rules hold now as detected: after a rebuild on a new rules version (replayed without
     * reporting), what the new rules conclude about the retained facts is stored; the store is idempotent, so a finding
     * the old version had stored already stays one row. @return how many
     */
    Reported reportLive(Map<Mismatch, Set<String>> heldBefore) {
        liveMismatches.forEach((mismatch, rule) -> changes.add(new MismatchChange(MismatchChange.Kind.DETECTED, mismatch, rule,
                clock.getCurrentTime(), lastCommitTime(mismatch), evidence(mismatch))));
        int withdrawn = 0;
        for (Map.Entry<Mismatch, Set<String>> held : heldBefore.entrySet()) {
            // only on the same evidence: a finding whose facts expired meanwhile stands, as it would have in the old session
            if (!liveMismatches.containsKey(held.getKey()) && handles.keySet().containsAll(held.getValue())) {
                changes.add(new MismatchChange(MismatchChange.Kind.WITHDRAWN, held.getKey(), null, clock.getCurrentTime(), 0, List.of()));
                withdrawn++;
            }
        }
        return new Reported(liveMismatches.size(), withdrawn);
    }

    /** What {@link #reportLive} stored: findings of the new rules, and the old session's findings they no longer make. */
    record Reported(int detected, int withdrawn) {
    }

    /**
     * The findings the rules hold now, each with the identities of its evidence: what a rebuild on another rules version
     * compares its conclusions with (owner thread only).
     */
    Map<Mismatch, Set<String>> heldFindings() {
        Map<Mismatch, Set<String>> held = new HashMap<>();
        for (Mismatch mismatch : liveMismatches.keySet()) {
            Set<String> evidence = new HashSet<>();
            for (Object fact : mismatch.getFacts()) {
                String identity = facts.identityOf(fact);
                if (identity != null) {
                    evidence.add(identity);
                }
            }
            held.put(mismatch, evidence);
        }
        return held;
    }

    /** The findings the rules currently hold (owner thread only). */
    Set<Mismatch> liveMismatches() {
        return Set.copyOf(liveMismatches.keySet());
    }

    /**
     * Moves the clock to {@code time} through every expiry on the way, firing the rules at each: how far one watermark
     * moves the clock must not change what the rules conclude. Crossed in one step, a fact expiring before another
     * started a rule's timer ({@code not} the first) that the second one's expiry, queued in the same step, no longer
     * stopped; after a restart the clock moves in such big steps (20 kills of {@code bin/recon chaos} opened 770
     * ORPHAN_DELIVERY that way, for deliveries 1.5 s younger than their shipments; see ClockStepTest).
     */
    private void advanceTo(long time) {
        long now = clock.getCurrentTime();
        for (Expiry next; (next = expiries.peek()) != null && next.at() + 1 > now && next.at() + 1 < time; ) {
            long at = next.at() + 1; // Drools expires a fact once the clock is past its expiry
            clock.advanceTime(at - now, TimeUnit.MILLISECONDS);
            now = at;
            fireRules(() -> describe(at));
            forgetExpired();
        }
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
        } else if (record.committedAt() > 0 && record.committedAt() < commitTimes.getOrDefault(identity, 0L)) {
            // An older version arriving after a newer one: a source that re-reads its last batch after a crash (CDC
            // acknowledges a batch only once it is handed on) sends the row's earlier versions again. Applying one
            // would put the fact back in a state its source has left (an order CREATED again after PAID), open a
            // finding that the next redelivered version heals, and count the fact as checked twice. (A row read by
            // a snapshot carries the capture's start as its commit time, so a change streamed after it is newer.)
            return false;
        } else {
            Map<String, Object> was = facts.fieldsOf(current);
            Map<String, Object> now = facts.fieldsOf(fact);
            if (was.equals(now)) {
                return false; // the same version again (a redelivery): nothing changed, nothing to re-evaluate
            }
            session.update(handle, fact);
            remember(identity, mapped, fact.getClass(), was, now);
        }
        commitTimes.put(identity, record.committedAt());
        return true;
    }

    /**
     * Keeps each value a remembered field ({@code @Remember} in the declare) had before this update as a {@link WasOnce}
     * fact, once per value: rules can then see a state regression (FAILED after SUCCESS) without a marker fact of
     * their own. Derived only from the log's order of versions, so a replay rebuilds the same ones.
     */
    private void remember(String identity, MappedFact mapped, Class<?> factClass, Map<String, Object> was, Map<String, Object> now) {
        List<String> remembered = facts.rememberedFields(factClass);
        if (remembered.isEmpty() || was.isEmpty()) {
            return; // nothing remembered, or the earlier version is of a type from an older rules version
        }
        String type = factClass.getSimpleName();
        for (String field : remembered) {
            if (java.util.Objects.equals(was.get(field), now.get(field))) {
                continue;
            }
            WasOnce earlier = new WasOnce(type, mapped.id(), mapped.key(), field, was.get(field), mapped.eventTime());
            List<FactHandle> kept = earlierValues.computeIfAbsent(identity, k -> new ArrayList<>());
            if (kept.stream().noneMatch(h -> earlier.sameValueAs((WasOnce) session.getObject(h)))) {
                kept.add(session.insert(earlier));
            }
        }
    }

    private void forgetEarlierValues(String identity) {
        List<FactHandle> kept = earlierValues.remove(identity);
        if (kept != null) {
            kept.forEach(session::delete);
        }
    }

    private void delete(MappedFact mapped) {
        String identity = TaskFacts.identity(mapped.type(), mapped.id());
        FactHandle handle = handles.remove(identity);
        commitTimes.remove(identity);
        forgetEarlierValues(identity);
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
            wroteBy(event.getRule(), object);
            if (object instanceof Mismatch mismatch) {
                String rule = event.getRule() == null ? null : event.getRule().getName();
                liveMismatches.put(mismatch, rule);
                if (recording) {
                    changes.add(new MismatchChange(MismatchChange.Kind.DETECTED, mismatch, rule,
                            clock.getCurrentTime(), lastCommitTime(mismatch), evidence(mismatch)));
                }
            }
        }

        @Override
        public void objectUpdated(ObjectUpdatedEvent event) {
            wroteBy(event.getRule(), event.getObject());
        }

        private void wroteBy(org.kie.api.definition.rule.Rule rule, Object fact) {
            if (rule != null && !(fact instanceof Mismatch)) {
                writesThisRound.merge(rule.getName(), 1, Integer::sum);
            }
        }

        @Override
        public void objectDeleted(ObjectDeletedEvent event) {
            Object object = event.getOldObject();
            wroteBy(event.getRule(), object);
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
