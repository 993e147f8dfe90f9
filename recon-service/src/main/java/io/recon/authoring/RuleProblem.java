package io.recon.authoring;

/**
 * Something wrong with a rule set, where it is, in words an analyst understands.
 *
 * @param file    the file as the analyst named it
 * @param line    1-based line (0 when the problem has no position)
 * @param column  1-based column (0 when unknown)
 * @param kind    COMPILE (the rules do not build) or SANDBOX (they use something analyst rules may not); WARNING: they
 *                build, but something about time will report what is not there (never refuses a build)
 * @param message what is wrong and what to do
 * @param detail  the engine's own wording, for developers (may be null)
 * @param rule    the rule at fault, where one is (a rule that failed while it ran); else null
 */
public record RuleProblem(String file, int line, int column, Kind kind, String message, String detail, String rule) {

    /**
     * RUNTIME: a rule threw, kept firing, or the run used up its budget while the rules were tested. WARNING: a rule
     * that builds but, by its expiries or windows, can report what is not there ({@link RuleWarnings}).
     */
    public enum Kind { COMPILE, SANDBOX, SCENARIO, RUNTIME, WARNING }

    public RuleProblem(String file, int line, int column, Kind kind, String message, String detail) {
        this(file, line, column, kind, message, detail, null);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
