package io.recon.session;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one run of analyst rules outside the live pipeline (a mock test, a version's scenarios, a shadow run) may
 * take: wall time, records applied, live facts, rule firings in all, and firings per record. A run past any of them
 * stops with {@link Exceeded}, whose message says which limit and what it was, so an endless or runaway rule set comes
 * back to the analyst as a problem instead of holding a thread of the service.
 */
public record RunBudget(Duration time, long records, long facts, long firings, int firingsPerRecord) {

    public RunBudget {
        if (time == null || time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException("a run budget needs a positive time");
        }
        if (records <= 0 || facts <= 0 || firings <= 0 || firingsPerRecord <= 0) {
            throw new IllegalArgumentException("a run budget needs positive limits (records, facts, firings, firings per record)");
        }
    }

    /** Without limits that matter in practice: a run the service itself trusts. */
    public static final RunBudget UNLIMITED = new RunBudget(Duration.ofDays(365), Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
            SessionEngine.DEFAULT_MAX_FIRINGS);

    /** Starts counting: the time budget runs from now. */
    public Meter start() {
        return new Meter(this);
    }

    /** The budget was used up; the message names the limit, e.g. "the run took longer than its 10 s". */
    public static final class Exceeded extends RuntimeException {
        private final String limit;

        public Exceeded(String limit, String message) {
            super(message);
            this.limit = limit;
        }

        /** time, records, facts or firings */
        public String limit() {
            return limit;
        }
    }

    /** One run's use of its budget; shared by every simulation of the run (a shadow run has two per partition). */
    public static final class Meter {
        private final RunBudget budget;
        private final long deadline;
        private final AtomicLong records = new AtomicLong();
        private final AtomicLong firings = new AtomicLong();
        private final List<Simulation> sessions = new CopyOnWriteArrayList<>();
        private volatile boolean cancelled;

        private Meter(RunBudget budget) {
            this.budget = budget;
            this.deadline = System.nanoTime() + Math.min(budget.time().toNanos(), Long.MAX_VALUE / 4);
        }

        public RunBudget budget() {
            return budget;
        }

        /** One more record of the run's input (a scenario step, a record of the facts topic). */
        public void record() {
            if (records.incrementAndGet() > budget.records()) {
                throw new Exceeded("records", "The run stopped after " + budget.records() + " records, its limit"
                        + " (recon.rule-runs max-records); test with fewer records, or a shorter shadow window.");
            }
            checkTime();
        }

        public long records() {
            return records.get();
        }

        void register(Simulation session) {
            sessions.add(session);
            if (cancelled) {
                session.halt();
            }
        }

        void unregister(Simulation session) {
            sessions.remove(session);
        }

        /** After a simulation took a record or a clock step: its firings since the last check and its live facts. */
        void used(long newFirings, long liveFacts) {
            if (firings.addAndGet(newFirings) > budget.firings()) {
                throw new Exceeded("firings", "The rules fired more than " + budget.firings() + " times in this run, its limit"
                        + " (recon.rule-runs max-firings): a rule probably keeps re-triggering itself or others.");
            }
            if (liveFacts > budget.facts()) {
                throw new Exceeded("facts", "The session held more than " + budget.facts() + " facts, the run's limit"
                        + " (recon.rule-runs max-facts): a rule probably keeps inserting facts, or the facts never expire.");
            }
            checkTime();
        }

        public void checkTime() {
            if (cancelled || System.nanoTime() - deadline > 0) {
                cancelled = true;
                throw timeUp();
            }
        }

        /** The run is out of time: every simulation of it halts its rules at the next firing. */
        public void cancel() {
            cancelled = true;
            sessions.forEach(Simulation::halt);
        }

        public Exceeded timeUp() {
            return new Exceeded("time", "The run took longer than " + seconds(budget.time()) + ", its limit (recon.rule-runs timeout),"
                    + " and was stopped: a rule probably runs for too long on one record, or the test moves the clock over too many steps.");
        }

        private static String seconds(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
    }
}
