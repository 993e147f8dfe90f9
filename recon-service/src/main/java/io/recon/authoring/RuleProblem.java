package io.recon.authoring;

/**
 * Something wrong with a rule set, where it is, in words an analyst understands.
 *
 * @param file    the file as the analyst named it
 * @param line    1-based line (0 when the problem has no position)
 * @param column  1-based column (0 when unknown)
 * @param kind    COMPILE (the rules do not build) or SANDBOX (they use something analyst rules may not)
 * @param message what is wrong and what to do
 * @param detail  the engine's own wording, for developers (may be null)
 */
public record RuleProblem(String file, int line, int column, Kind kind, String message, String detail) {

    public enum Kind { COMPILE, SANDBOX, SCENARIO }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
