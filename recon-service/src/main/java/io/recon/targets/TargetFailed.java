package io.recon.targets;

/** A question to a target that got no answer to use; the message says why and is safe to show (secrets masked). */
public class TargetFailed extends RuntimeException {

    private final int status;

    public TargetFailed(String message) {
        this(message, 0);
    }

    /** @param status the HTTP status the target answered with, 0 when it gave none */
    public TargetFailed(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
