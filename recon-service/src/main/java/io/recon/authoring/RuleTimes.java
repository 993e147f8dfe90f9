package io.recon.authoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.base.time.TimeUtils;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.BehaviorDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;

/**
 * The spans of event time a rule's text names: its {@code timer ( int: .. )} delay, {@code over window:time( .. )}
 * and the brackets of temporal operators ({@code this after[ 0s, 2m ] $order}). The parsed descriptors keep a
 * pattern's constraints as text, so the operators are read from that text; timers and windows come as descriptors.
 * Spans are in milliseconds, read with Drools' own time syntax ({@code 2m}, {@code 1h30m}, {@code 500ms}).
 */
final class RuleTimes {

    private static final String OPERATORS = "after|before|coincides|during|finishes|finishedby|includes|meets|metby|overlaps"
            + "|overlappedby|starts|startedby";
    /** Any temporal operator with a bracket, wherever it stands in a constraint. */
    private static final Pattern BRACKET = Pattern.compile("(?<![\\w$])(?:" + OPERATORS + ")\\s*\\[([^\\]]*)\\]");
    /** {@code this [not] after[a, b] $x}: the partner measured against the fact bound to {@code $x}. */
    private static final Pattern AGAINST = Pattern.compile(
            "(?<![\\w$.])this\\s+(not\\s+)?(after|before)\\s*(?:\\[([^\\]]*)\\])?\\s*(\\$?[A-Za-z_][\\w$]*)");

    private RuleTimes() {
    }

    /** The longest span a rule waits for or looks back over, with where it is written. */
    record Span(long millis, String what, int line) {
    }

    /** The rule's longest span: timer delay, sliding time window or temporal operator bracket; empty if it names none. */
    static Optional<Span> longest(RuleDescr rule, List<PatternDescr> patterns) {
        List<Span> spans = new ArrayList<>();
        AttributeDescr timer = rule.getAttributes().get("timer");
        if (timer != null) {
            timerDelay(timer.getValue()).ifPresent(ms -> spans.add(new Span(ms, "timer ( " + timer.getValue().trim() + " )",
                    timer.getLine() > 0 ? timer.getLine() : rule.getLine())));
        }
        for (PatternDescr pattern : patterns) {
            for (BehaviorDescr behavior : pattern.getBehaviors()) {
                if ("window".equals(behavior.getType()) && "time".equals(behavior.getSubType()) && !behavior.getParameters().isEmpty()) {
                    millis(behavior.getParameters().get(0)).ifPresent(ms -> spans.add(new Span(ms,
                            "over window:time( " + behavior.getParameters().get(0).trim() + " )", pattern.getLine())));
                }
            }
            for (String constraint : constraints(pattern)) {
                Matcher m = BRACKET.matcher(constraint);
                while (m.find()) {
                    for (String bound : m.group(1).split(",")) {
                        String text = m.group(0);
                        millis(bound).ifPresent(ms -> spans.add(new Span(Math.abs(ms), text.replaceAll("\\s+", " "), pattern.getLine())));
                    }
                }
            }
        }
        return spans.stream().max(java.util.Comparator.comparingLong(Span::millis));
    }

    /**
     * How far after the fact bound to {@code binding} the partner's own time lies at the least, by the partner's
     * {@code this after[a, b] $binding} (a) or {@code this before[a, b] $binding} (-b). Empty when the partner names no
     * such bound (no operator, negated, or open-ended): its time may then be anything, and the caller assumes the same time.
     */
    static Optional<Long> earliestOffset(PatternDescr partner, String binding) {
        for (String constraint : constraints(partner)) {
            Matcher m = AGAINST.matcher(constraint);
            while (m.find()) {
                if (m.group(1) != null || !m.group(4).equals(binding)) {
                    continue;
                }
                String[] bounds = m.group(3) == null ? new String[0] : m.group(3).split(",");
                if (m.group(2).equals("after")) {
                    // after with no bracket means any time after: the earliest is just after the bound fact
                    return bounds.length == 0 ? Optional.of(0L) : millis(bounds[0]);
                }
                // before[a, b]: up to b before the bound fact; with fewer bounds, unboundedly early
                return bounds.length == 2 ? millis(bounds[1]).map(b -> -b) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The text of each of a pattern's constraints ({@code orderId == $id}, {@code this after[ 0s, 2m ] $o}). */
    static List<String> constraints(PatternDescr pattern) {
        List<String> texts = new ArrayList<>();
        for (BaseDescr d : pattern.getDescrs()) {
            String text = d.getText() != null ? d.getText() : d.toString();
            if (text != null) {
                texts.add(text);
            }
        }
        return texts;
    }

    /** {@code int: 30s}, {@code int: 30s 5m}, {@code 30s}: the first delay. Cron and expression timers have no fixed span. */
    static Optional<Long> timerDelay(String timer) {
        String t = timer.trim();
        if (t.startsWith("(") && t.endsWith(")")) {
            t = t.substring(1, t.length() - 1).trim();
        }
        if (t.startsWith("int:")) {
            t = t.substring(4).trim();
        } else if (t.contains(":")) {
            return Optional.empty(); // cron:, expr:, or a calendar timer
        }
        String first = t.split("\\s+")[0];
        return first.isEmpty() ? Optional.empty() : millis(first);
    }

    /** A Drools time literal in milliseconds; empty for an expression or anything that is not a literal. */
    static Optional<Long> millis(String literal) {
        String t = literal.trim();
        if (!t.matches("-?(\\d+(d|h|m|s|ms)?)+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(TimeUtils.parseTimeString(t));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** 45m, 1h30m, 90s as 1m30s, 500ms: the way a DRL author writes the span. */
    static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder(millis < 0 ? "-" : "");
        long rest = Math.abs(millis);
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (rest >= units[i]) {
                out.append(rest / units[i]).append(names[i]);
                rest %= units[i];
            }
        }
        return out.toString();
    }
}
