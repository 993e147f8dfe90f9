package io.recon.authoring;

/** A rules version the registry does not hold (answered 404). */
public final class UnknownVersionException extends RuntimeException {

    public UnknownVersionException(String message) {
        super(message);
    }
}
