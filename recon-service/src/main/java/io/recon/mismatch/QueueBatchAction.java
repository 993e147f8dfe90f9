package io.recon.mismatch;

/**
 * An action the queue's batch bar runs over a filter, one mismatch at a time, provided by the module
 * that owns the single action (the second check, the repair), so that a mismatch in a batch is decided
 * and recorded exactly as it would be alone.
 */
public interface QueueBatchAction {

    /** What a batch action is told of each mismatch the filter selects. */
    record Candidate(long id, String task, String type, String status) {
    }

    /** The action's name in the URL, {@code /api/mismatches/batch/{verb}}. */
    String verb();

    /** Why the action would be refused for this mismatch as it stands, or null when it would be done; no side effect. */
    String refusal(Candidate mismatch);

    /**
     * Does the action on one mismatch, in its own short transaction (as the single action does).
     *
     * @return the refusal, or null when it was done
     */
    String apply(Candidate mismatch, String actor);
}
