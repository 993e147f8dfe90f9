package io.recon.offline;

/** A run that cannot start or go on, with a sentence that says what to fix. */
class RunRefusal extends RuntimeException {

    RunRefusal(String message) {
        super(message);
    }
}
