package io.recon.mismatch;

/** A case action that cannot be done, with a message for the person who asked. */
class CaseRefused extends RuntimeException {

    enum Kind { BAD_REQUEST, NOT_FOUND, CONFLICT }

    final Kind kind;

    CaseRefused(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }
}
