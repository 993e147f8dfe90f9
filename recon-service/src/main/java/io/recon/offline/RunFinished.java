package io.recon.offline;

/** Announced when a run ends (DONE, FAILED or CANCELLED); {@code kind} RULES or SQL; {@code comparison} is null unless DONE. */
public record RunFinished(long id, String kind, String task, String requestedBy, String status, Comparison comparison, String error) {

    /** Runs started by a schedule carry this as their requester. */
    public static final String SCHEDULE = "schedule";

    public boolean scheduled() {
        return SCHEDULE.equals(requestedBy);
    }
}
