package io.recon.session;

/**
 * What a session does when a rule throws or keeps firing past the cap while it applies a record.
 * The faulting firing is skipped and the record stays applied; the guard decides whether the rule
 * may keep running ({@link #quarantined}) and whether the fault stops the caller ({@link #fault} throws).
 */
interface RuleFaults {

    /** @return true to refuse every activation of this rule (it is quarantined); called per activation, keep it cheap */
    boolean quarantined(String rule);

    /** Records one fault; throwing stops whoever applied the record (the mock tests and scenarios want to see it). */
    void fault(RuleFault fault);

    /** Without a guard, a fault is an error of the caller: mock tests, scenarios and simulations report it as such. */
    RuleFaults RETHROW = new RuleFaults() {
        @Override
        public boolean quarantined(String rule) {
            return false;
        }

        @Override
        public void fault(RuleFault fault) {
            throw new RuleFaultException(fault);
        }
    };

    /**
     * @param rule   the rule's name
     * @param record what was being applied, for the log: the correlation key, or the clock step
     * @param cause  the error in words, or the cap that was hit
     * @param capped true when the rule hit the firing cap rather than throwing
     */
    record RuleFault(String rule, String record, String cause, boolean capped) {

        String describe() {
            return "rule '" + rule + "' " + (capped ? "kept firing" : "failed") + " on " + record + ": " + cause;
        }
    }

    /** A fault that stops the caller, with the rule and record in its message. */
    final class RuleFaultException extends RuntimeException {
        private final transient RuleFault fault;

        RuleFaultException(RuleFault fault) {
            super(fault.describe());
            this.fault = fault;
        }

        RuleFault fault() {
            return fault;
        }
    }
}
