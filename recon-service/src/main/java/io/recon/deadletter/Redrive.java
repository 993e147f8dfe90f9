package io.recon.deadletter;

/**
 * Sends a dead letter's payload through mapping again. Implemented where the records are routed
 * (package {@code source}), so that this package does not depend on the sources.
 */
public interface Redrive {

    /** @return null when every record of the payload is now on the facts topic, else why it still cannot be a fact */
    String redrive(DeadLetters.DeadLetter letter) throws InterruptedException;
}
