package io.recon.mismatch;

/**
 * The body of a case action. Which fields count depends on the action: assign takes {@code user} or
 * {@code group}; comment takes {@code text}; resolve takes an optional {@code note}; ignore needs a
 * {@code reason}.
 */
record CaseRequest(String user, String group, String text, String note, String reason) {

    static final int MAX_TEXT = 10_000;

    static CaseRequest empty() {
        return new CaseRequest(null, null, null, null, null);
    }

    /** Refuses a body that does not fit the action, saying what is missing. */
    void validateFor(CaseAction action) {
        switch (action) {
            case ASSIGN -> {
                if (blank(user) == blank(group)) {
                    throw bad("assign needs exactly one of \"user\" or \"group\", e.g. {\"user\": \"alice\"} or {\"group\": \"payments-team\"}");
                }
            }
            case COMMENT -> {
                if (blank(text)) {
                    throw bad("comment needs a non-empty \"text\"");
                }
                checkLength("text", text);
            }
            case IGNORE -> {
                if (blank(reason)) {
                    throw bad("ignore needs a \"reason\" saying why this mismatch needs no action");
                }
                checkLength("reason", reason);
            }
            case RESOLVE -> checkLength("note", note);
        }
    }

    private static void checkLength(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw bad("\"" + field + "\" is " + value.length() + " characters long; at most " + MAX_TEXT + " are kept");
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static CaseRefused bad(String message) {
        return new CaseRefused(CaseRefused.Kind.BAD_REQUEST, message);
    }
}
