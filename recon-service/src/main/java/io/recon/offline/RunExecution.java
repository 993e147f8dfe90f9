package io.recon.offline;

import io.recon.fact.FactEnvelope;
import io.recon.mismatch.MismatchChange;
import io.recon.session.Simulation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session of a run, with the live sessions' semantics: before each record the clock moves to its event time
 * less the allowed lateness (what a watermark of an in-order stream would say); at the end it moves past every
 * window, so that each closes. What is still open then, and was detected inside the period, is the run's finding.
 * {@link RunPartitions} feeds one of these per partition of the task, on a thread each.
 */
final class RunExecution {

    private final Simulation session;
    private final Map<String, Finding> open = new LinkedHashMap<>();
    /** The live sessions' watermark moves about once a second: a run's clock moves no coarser. */
    static final long STEP_MILLIS = 1_000;
    /** A gap longer than a day of event time (a quiet weekend) is jumped: nothing in it but timers of its last records. */
    private static final long MAX_STEPS = 86_400;
    private boolean stepped;

    RunExecution(Simulation session) {
        this.session = session;
    }

    void apply(FactEnvelope record) {
        session.apply(record);
        collect();
    }

    /**
     * Moves the clock to {@code target} in steps of at most {@link #STEP_MILLIS}, so that what a timer or a window
     * close detects carries about the event time it was due at (a finding's detection time decides its period).
     * The first move is a jump: before the first record there is nothing to detect.
     */
    void stepTo(long target) {
        if (target <= session.clock()) {
            return;
        }
        if (stepped) {
            long gapSteps = (target - session.clock()) / STEP_MILLIS;
            if (gapSteps <= MAX_STEPS) {
                for (long t = session.clock() + STEP_MILLIS; t < target; t += STEP_MILLIS) {
                    session.advanceTo(t);
                    collect();
                }
            }
        }
        stepped = true;
        session.advanceTo(target);
        collect();
    }

    /** The findings still open at the end that were detected in [from, to) of event time. */
    List<Finding> findings(Instant from, Instant to) {
        List<Finding> out = new ArrayList<>();
        open.values().forEach(f -> {
            if (!f.detectedAt().isBefore(from) && f.detectedAt().isBefore(to)) {
                out.add(f);
            }
        });
        return out;
    }

    /** Keeps what is open: a detection adds (or replaces) a finding, a heal removes it. */
    private void collect() {
        for (MismatchChange change : session.drainChanges()) {
            var m = change.mismatch();
            String identity = m.getKey() + " " + m.getType();
            if (change.kind() == MismatchChange.Kind.DETECTED) {
                open.put(identity, new Finding(m.getKey(), m.getType(), String.valueOf(m.getSeverity()), change.rule(), m.getReason(),
                        change.evidence(), Instant.ofEpochMilli(change.sessionTime()), null, null));
            } else {
                open.remove(identity);
            }
        }
    }
}
