package io.recon.action;

import io.recon.mismatch.OpenedMismatch;

/**
 * Holds back the alert of a mismatch that another step must confirm first (a second check); that
 * step raises the alert through {@link AlertOutbox#alert} once it has.
 */
public interface AlertDeferral {

    boolean defers(OpenedMismatch mismatch);
}
