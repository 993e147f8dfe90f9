package io.recon.authoring;

import java.util.List;

/** A version whose rules fail the build or the sandbox check: nothing of it was loaded. */
public final class RefusedVersionException extends RuntimeException {

    private final transient List<RuleProblem> problems;

    public RefusedVersionException(String message, List<RuleProblem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
