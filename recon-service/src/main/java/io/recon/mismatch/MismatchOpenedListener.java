package io.recon.mismatch;

/**
 * Told about every mismatch that opens, inside the transaction that stores it (and the session
 * checkpoint): whatever a listener writes commits or rolls back together with the mismatch. This is
 * how alerts enter the action outbox without the mismatch store knowing about alerts.
 */
public interface MismatchOpenedListener {

    void opened(OpenedMismatch mismatch);
}
