package io.recon.authoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

/**
 * What a rule set that builds may still get wrong about time, found in its parsed DRL (tables and DSLR as the DRL
 * they compile to) before it runs. Warnings never refuse a build; each is a sentence with the rule, file and line.
 * <ul>
 * <li><b>A partner that expires first.</b> A pattern inside {@code not} or in an {@code accumulate} source guards the
 * facts bound before it. Drools re-evaluates both when the partner expires, so if the partner can leave the session
 * while the fact it guards is still there, the {@code not} becomes true again (a finding that is not there) or the
 * accumulate's result drops. A window such as {@code this after[ 0s, 2m ] $o} does not prevent that: the expiry
 * retracts the partner whenever it happens, and the {@code not} is re-evaluated (see
 * {@code RuleWarningsTest#aWindowedNotIsTrueAgainWhenItsPartnerExpires}). What counts is how early the partner can
 * expire: its own time (at the earliest {@code a} after the guarded fact for {@code after[a, b]}, {@code b} before it
 * for {@code before[a, b]}, the same time otherwise) plus its {@code @expires}, against the guarded fact's time plus
 * its {@code @expires}.</li>
 * <li><b>A window longer than the replay horizon.</b> A restarted session replays {@code replayHorizon} of event time;
 * a rule that waits or looks back longer cannot have its state rebuilt exactly.</li>
 * </ul>
 * Only types declared in the rule set with an explicit {@code @expires} are compared (an inferred expiry is Drools'
 * choice, a plain fact never expires: neither is checked).
 */
final class RuleWarnings {

    private final Map<String, String> drlByFile;
    private final Map<String, RuleFile.Kind> kinds;
    private final Set<String> tasks;
    private final Function<String, Duration> horizonOfTask;
    /** package.Type → @expires in ms, and the simple name → the same, for rules that use a type of another package. */
    private final Map<String, Long> expiries = new HashMap<>();
    private final Map<String, PackageDescr> parsed = new HashMap<>();

    /**
     * @param drlByFile     the DRL each analyst file amounts to
     * @param kinds         the kind of each file (a table's line is its row)
     * @param tasks         the task groups built
     * @param horizonOfTask a task group's replay horizon
     */
    RuleWarnings(Map<String, String> drlByFile, Map<String, RuleFile.Kind> kinds, Set<String> tasks, Function<String, Duration> horizonOfTask) {
        this.drlByFile = drlByFile;
        this.kinds = kinds;
        this.tasks = tasks;
        this.horizonOfTask = horizonOfTask;
        drlByFile.forEach((file, drl) -> parse(drl).ifPresent(descr -> {
            parsed.put(file, descr);
            for (TypeDeclarationDescr type : descr.getTypeDeclarations()) {
                expiry(type).ifPresent(ms -> {
                    expiries.put(name(descr) + "." + type.getTypeName(), ms);
                    expiries.putIfAbsent(type.getTypeName(), ms);
                });
            }
        }));
    }

    List<RuleProblem> warnings() {
        List<RuleProblem> warnings = new ArrayList<>();
        parsed.forEach((file, descr) -> {
            for (RuleDescr rule : descr.getRules()) {
                partnersThatExpireFirst(file, descr, rule, warnings);
                windowPastTheHorizon(file, descr, rule, warnings);
            }
        });
        warnings.sort(java.util.Comparator.comparing(RuleProblem::file).thenComparingInt(RuleProblem::line));
        return warnings;
    }

    /** A partner (in {@code not} or an {@code accumulate} source) and the kind of element it stands in. */
    private record Partner(PatternDescr pattern, String element, List<PatternDescr> earlierThan) {
    }

    private void partnersThatExpireFirst(String file, PackageDescr pkg, RuleDescr rule, List<RuleProblem> warnings) {
        List<PatternDescr> earlier = new ArrayList<>();
        List<Partner> partners = new ArrayList<>();
        walk(rule.getLhs(), earlier, partners);
        for (Partner partner : partners) {
            Long own = expiryOf(pkg, partner.pattern().getObjectType());
            if (own == null) {
                continue;
            }
            // the guarded fact whose expiry needs the longest life of the partner, if that is longer than the partner's
            PatternDescr worst = null;
            long worstNeeded = own;
            long worstLives = 0;
            Long worstOffset = null;
            for (PatternDescr guarded : guarded(partner.pattern(), partner.earlierThan())) {
                Long lives = expiryOf(pkg, guarded.getObjectType());
                if (lives == null) {
                    continue;
                }
                Optional<Long> offset = guarded.getIdentifier() == null ? Optional.empty()
                        : RuleTimes.earliestOffset(partner.pattern(), guarded.getIdentifier());
                long needed = lives - offset.orElse(0L);
                if (needed > worstNeeded) {
                    worst = guarded;
                    worstNeeded = needed;
                    worstLives = lives;
                    worstOffset = offset.orElse(null);
                }
            }
            if (worst != null) {
                warnings.add(partnerWarning(file, rule, partner, worst, own, worstLives, worstOffset, worstNeeded));
            }
        }
    }

    private RuleProblem partnerWarning(String file, RuleDescr rule, Partner partner, PatternDescr guarded, long own, long lives,
                                       Long offset, long needed) {
        String p = partner.pattern().getObjectType();
        String g = guarded.getObjectType();
        String when = offset == null || offset == 0 ? ""
                : offset > 0 ? " (its window puts a " + p + " at least " + RuleTimes.format(offset) + " after the " + g + ")"
                : " (its window lets a " + p + " be up to " + RuleTimes.format(-offset) + " before the " + g + ", so it expires that much earlier)";
        long shortest = own + (offset == null ? 0 : offset); // the longest the guarded fact may live
        String shorter = shortest > 0 ? ", or give " + g + " @expires( " + RuleTimes.format(shortest) + " ) if no rule needs it longer" : "";
        String effect = partner.element().equals("not")
                ? "once a matching " + p + " has expired, 'not " + p + "' is true again while the " + g + " is still there, and the rule"
                        + " reports a finding that is not there"
                : "once a " + p + " has expired it leaves the accumulate while the " + g + " is still there, and the accumulated result"
                        + " drops (a finding that is not there, or one withdrawn as healed)";
        return warning(file, rule, partner.pattern().getLine(), partner.pattern().getColumn(),
                p + " expires after " + RuleTimes.format(own) + " but guards " + g + ", which lives " + RuleTimes.format(lives) + when + ": "
                        + effect + ". Give " + p + " @expires( " + RuleTimes.format(needed) + " ) or more" + shorter + "; a window"
                        + " that closes earlier does not help, the " + partner.element() + " is evaluated again when the " + p + " expires.");
    }

    private void windowPastTheHorizon(String file, PackageDescr pkg, RuleDescr rule, List<RuleProblem> warnings) {
        String task = taskOf(name(pkg));
        if (task == null) {
            return;
        }
        Duration horizon = horizonOfTask.apply(task);
        List<PatternDescr> patterns = new ArrayList<>();
        allPatterns(rule.getLhs(), patterns);
        RuleTimes.longest(rule, patterns).filter(span -> span.millis() > horizon.toMillis()).ifPresent(span -> warnings.add(
                warning(file, rule, span.line(), 0, "its window is " + RuleTimes.format(span.millis()) + " (" + span.what() + ") but task group '"
                        + task + "' replays only " + RuleTimes.format(horizon.toMillis()) + " of event time after a restart (replayHorizon),"
                        + " so a restarted session cannot rebuild this rule's state exactly and may miss or repeat a finding. Raise the"
                        + " task's replayHorizon to at least " + RuleTimes.format(span.millis()) + " with PUT /api/tasks/" + task
                        + ", or shorten the window to " + RuleTimes.format(horizon.toMillis()) + " or less.")));
    }

    /**
     * Walks the rule's conditions in order: a top-level pattern from the session is a fact later partners guard; the
     * patterns inside a {@code not}, or in an {@code accumulate}'s source, are partners of the facts bound before them.
     */
    private static void walk(BaseDescr descr, List<PatternDescr> earlier, List<Partner> partners) {
        if (descr instanceof PatternDescr pattern) {
            if (pattern.getSource() instanceof AccumulateDescr accumulate) {
                List<PatternDescr> inside = new ArrayList<>();
                allPatterns(accumulate.getInput(), inside);
                inside.forEach(p -> partners.add(new Partner(p, "accumulate", List.copyOf(earlier))));
            } else if (pattern.getSource() == null) {
                earlier.add(pattern);
            }
        } else if (descr instanceof NotDescr not) {
            List<PatternDescr> inside = new ArrayList<>();
            allPatterns(not, inside);
            inside.forEach(p -> partners.add(new Partner(p, "not", List.copyOf(earlier))));
        } else if (descr instanceof AndDescr and) {
            and.getDescrs().forEach(d -> walk(d, earlier, partners));
        }
        // exists, or, forall, from and collect are left alone: their patterns neither guard nor are checked here
    }

    /** Every pattern in a conditional element, including those in accumulate and other sources. */
    private static void allPatterns(BaseDescr descr, List<PatternDescr> out) {
        if (descr instanceof PatternDescr pattern) {
            out.add(pattern);
            if (pattern.getSource() instanceof AccumulateDescr accumulate && accumulate.getInput() != null) {
                allPatterns(accumulate.getInput(), out);
            }
        } else if (descr instanceof ConditionalElementDescr element) {
            for (Object d : element.getDescrs()) {
                allPatterns((BaseDescr) d, out);
            }
        }
    }

    /** The facts a partner guards: those bound earlier whose bindings it uses; if it uses none, all of them. */
    private static List<PatternDescr> guarded(PatternDescr partner, List<PatternDescr> earlier) {
        String text = String.join(" ", RuleTimes.constraints(partner));
        List<PatternDescr> referenced = earlier.stream().filter(e -> e.getAllBoundIdentifiers().stream()
                .anyMatch(id -> Pattern.compile("(?<![\\w$])" + Pattern.quote(id) + "(?![\\w$])").matcher(text).find())).toList();
        return referenced.isEmpty() ? earlier : referenced;
    }

    private RuleProblem warning(String file, RuleDescr rule, int line, int column, String sentence) {
        RuleFile.Kind kind = kinds.get(file);
        if (kind == RuleFile.Kind.XLSX || kind == RuleFile.Kind.CSV) {
            // the line is in the DRL generated from the table: name the row the rule came from
            RuleProblem at = new RuleCompiler.TableLocator(drlByFile.get(file)).problem(file, line, 0, "");
            return new RuleProblem(file, at.line(), at.column(), RuleProblem.Kind.WARNING,
                    "Rule '" + rule.getName() + "' (" + file + " row " + at.line() + "): " + sentence, null, rule.getName());
        }
        return new RuleProblem(file, line, Math.max(column, 0), RuleProblem.Kind.WARNING,
                "Rule '" + rule.getName() + "' (" + file + " line " + line + "): " + sentence, null, rule.getName());
    }

    private Long expiryOf(PackageDescr pkg, String type) {
        if (type == null) {
            return null;
        }
        Long qualified = expiries.get(name(pkg) + "." + type);
        return qualified != null ? qualified : expiries.get(type);
    }

    private String taskOf(String pkg) {
        for (String task : tasks) {
            if (pkg.equals(TaskPackages.of(task)) || pkg.startsWith(TaskPackages.of(task) + ".")) {
                return task;
            }
        }
        return null;
    }

    private static Optional<Long> expiry(TypeDeclarationDescr type) {
        AnnotationDescr expires = type.getAnnotation("expires");
        if (expires == null || expires.getSingleValue() == null) {
            return Optional.empty();
        }
        // a negative expiry (-1) means never: not compared, like a type without one
        return RuleTimes.millis(expires.getSingleValue().toString().replace("\"", "")).filter(ms -> ms >= 0);
    }

    private static String name(PackageDescr descr) {
        return descr.getName() == null ? "" : descr.getName();
    }

    private static Optional<PackageDescr> parse(String drl) {
        try {
            return Optional.ofNullable(new DrlParser().parse(false, drl));
        } catch (DroolsParserException | RuntimeException e) {
            return Optional.empty(); // it compiled, so it parses; one that does not is simply not checked
        }
    }
}
