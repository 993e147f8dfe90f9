package io.recon.fact;

/** A record that cannot become a fact. The message is written for the person who reads the dead letter. */
public class MappingException extends RuntimeException {

    public MappingException(String message) {
        super(message);
    }
}
