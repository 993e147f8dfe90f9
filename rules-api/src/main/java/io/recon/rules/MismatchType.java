package io.recon.rules;

/**
 * The mismatch types every task uses the same way. A type is a plain string so that a task may
 * add its own (e.g. {@code UNPAID_SHIPMENT}); these constants are the shared vocabulary.
 */
public final class MismatchType {
    /** A record that one system has and another one should have does not exist there. */
    public static final String MISSING = "MISSING";
    /** The same business value (an amount, a quantity) differs between two systems. */
    public static final String AMOUNT = "AMOUNT";
    /** A record's state in one system does not follow what another system says happened. */
    public static final String STATUS = "STATUS";
    /** One business event was recorded more than once. */
    public static final String DUPLICATE = "DUPLICATE";
    /** A record arrived, but later than the agreed time. */
    public static final String LATE = "LATE";

    private MismatchType() {
    }
}
