package io.recon.authoring;

import io.recon.session.RunBudget;
import io.recon.session.Simulation;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule set that failed while it ran outside the live pipeline (a mock test, a version's scenarios, a shadow run):
 * a rule threw, a rule kept firing past the cap, or the run used up its {@link RunBudget}. Turned into a
 * {@link RuleProblem} that names the file, the rule, its line and the cause in words, for the analyst's editor.
 *
 * @param where what was running, for the sentence ("scenario 'late payment', step 3", "shadow run of 1.0.4, task trade")
 * @param rule  the rule at fault; null when the budget ran out with no rule to blame
 * @param cause the cause in words
 */
public final class RuleRunFailure extends RuntimeException {

    private static final Pattern RULE = Pattern.compile("(?m)^[ \\t]*rule\\s+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|(\\S+))");

    private final String where;
    private final String rule;
    private final String cause;
    private final boolean capped;
    private final String limit;

    private RuleRunFailure(String where, String rule, String cause, boolean capped, String limit, String message) {
        super(message);
        this.where = where;
        this.rule = rule;
        this.cause = cause;
        this.capped = capped;
        this.limit = limit;
    }

    public static RuleRunFailure of(Simulation.RuleFailure e, String where) {
        String message = e.capped()
                ? "Rule '" + e.rule() + "' keeps firing (" + where + ", on " + e.record() + "): " + e.causeInWords() + ". A rule that"
                  + " modifies, inserts or updates what it matches triggers itself again; add a condition that its own change makes false."
                : "Rule '" + e.rule() + "' failed (" + where + ", on " + e.record() + "): " + e.causeInWords() + ".";
        return new RuleRunFailure(where, e.rule(), e.causeInWords(), e.capped(), null, message);
    }

    public static RuleRunFailure of(RunBudget.Exceeded e, String where) {
        return new RuleRunFailure(where, null, e.getMessage(), false, e.limit(), e.getMessage() + " (" + where + ")");
    }

    public String rule() {
        return rule;
    }

    /** time, records, facts or firings when the budget ran out; null when a rule failed. */
    public String limit() {
        return limit;
    }

    public boolean capped() {
        return capped;
    }

    /**
     * @param files the rule set's DRL-like text files by name (DRL, DSLR), to find where the rule is declared; a rule
     *              generated from a decision table is not found by name and comes back without a line
     */
    public RuleProblem problem(Map<String, String> files) {
        String file = null;
        int line = 0;
        if (rule != null) {
            for (Map.Entry<String, String> e : files.entrySet()) {
                int found = lineOf(e.getValue(), rule);
                if (found > 0) {
                    file = e.getKey();
                    line = found;
                    break;
                }
            }
        }
        return new RuleProblem(file, line, 0, RuleProblem.Kind.RUNTIME, getMessage(), cause, rule);
    }

    public List<RuleProblem> problems(Map<String, String> files) {
        return List.of(problem(files));
    }

    /** 1-based line of {@code rule "name"} in the text; 0 when not declared there. */
    static int lineOf(String text, String ruleName) {
        if (text == null) {
            return 0;
        }
        Matcher m = RULE.matcher(text);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1).replace("\\\"", "\"") : m.group(2) != null ? m.group(2) : m.group(3);
            if (ruleName.equals(name)) {
                int line = 1;
                for (int i = 0; i < m.start(0); i++) {
                    if (text.charAt(i) == '\n') {
                        line++;
                    }
                }
                return line;
            }
        }
        return 0;
    }

    String where() {
        return where;
    }
}
