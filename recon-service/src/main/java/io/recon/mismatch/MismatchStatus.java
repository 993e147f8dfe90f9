package io.recon.mismatch;

/** Where a mismatch is in its life. The sessions move OPEN and AUTO_RESOLVED; people move the rest. */
public enum MismatchStatus {
    OPEN, CONFIRMED, REPAIRING, RESOLVED, AUTO_RESOLVED, IGNORED, REPAIR_FAILED;

    /** Still a live disagreement that later data may heal. */
    boolean healable() {
        return this == OPEN || this == CONFIRMED || this == REPAIRING || this == REPAIR_FAILED;
    }
}
