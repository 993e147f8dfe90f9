package io.recon.authoring;

import io.recon.authoring.sandbox.SandboxCheck;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

/**
 * Turns a finding of the bytecode check into a problem the analyst can act on: the rule, function or
 * declared type it belongs to (from the parsed package descr of each file), its file and line, the
 * nearest line inside it that names what was refused, and for a decision table the row and cell.
 */
final class SandboxLocator {

    private record Place(String file, String drl, int line, int endLine) {
    }

    private final Map<String, Place> places = new HashMap<>();
    private final Map<String, RuleFile.Kind> kinds;
    private final String firstFile;

    /** @param drlByFile the DRL each analyst file amounts to; @param kinds the kind of each file */
    SandboxLocator(Map<String, String> drlByFile, Map<String, RuleFile.Kind> kinds) {
        this.kinds = kinds;
        this.firstFile = drlByFile.keySet().stream().findFirst().orElse("");
        drlByFile.forEach((file, drl) -> {
            PackageDescr descr;
            try {
                descr = new DrlParser().parse(false, drl);
            } catch (DroolsParserException | RuntimeException e) {
                return; // it compiled, so it parses; a file that does not leaves the finding at the file's start
            }
            if (descr == null) {
                return;
            }
            String pkg = descr.getName() == null ? "" : descr.getName();
            descr.getRules().forEach(r -> put(SandboxCheck.OriginKind.RULE, pkg, r.getName(), file, drl, r));
            descr.getFunctions().forEach(f -> put(SandboxCheck.OriginKind.FUNCTION, pkg, f.getName(), file, drl, f));
            descr.getTypeDeclarations().forEach(t -> put(SandboxCheck.OriginKind.TYPE, pkg, t.getTypeName(), file, drl, t));
        });
    }

    private void put(SandboxCheck.OriginKind kind, String pkg, String name, String file, String drl, BaseDescr descr) {
        places.putIfAbsent(kind + "|" + pkg + "|" + name, new Place(file, drl, descr.getLine(), Math.max(descr.getLine(), descr.getEndLine())));
    }

    RuleProblem problem(SandboxCheck.Finding finding) {
        SandboxCheck.Origin origin = finding.origin();
        Place place = places.get(origin.kind() + "|" + origin.pkg() + "|" + origin.name());
        String who = switch (origin.kind()) {
            case RULE -> "Rule '" + origin.name() + "'";
            case FUNCTION -> "Function '" + origin.name() + "'";
            case TYPE -> "Declared type '" + origin.name() + "'";
            case GENERATED -> "The rules";
        };
        String verb = finding.what().startsWith("a loop") || finding.what().startsWith("recursion") ? " contain " : " use ";
        if (origin.kind() != SandboxCheck.OriginKind.GENERATED) {
            verb = verb.equals(" use ") ? " uses " : " contains ";
        }
        if (place == null) {
            return new RuleProblem(firstFile, 0, 0, RuleProblem.Kind.SANDBOX, who + verb + finding.what() + ": " + finding.reason() + ".", null);
        }
        int[] at = refine(place, finding.symbol());
        int line = at[0];
        RuleFile.Kind kind = kinds.get(place.file());
        if (kind == RuleFile.Kind.XLSX || kind == RuleFile.Kind.CSV) {
            return new RuleCompiler.TableLocator(place.drl()).problem(place.file(), line, 0,
                    who + " (" + place.file() + ")" + verb + finding.what() + ": " + finding.reason() + ".");
        }
        return new RuleProblem(place.file(), line, at[1], RuleProblem.Kind.SANDBOX,
                who + " (" + place.file() + " line " + line + ")" + verb + finding.what() + ": " + finding.reason() + ".", null);
    }

    /** Line and column of the first name of the refused symbol inside the rule (or function); else where it starts. */
    private static int[] refine(Place place, String symbol) {
        if (symbol == null || symbol.isBlank() || place.line() <= 0) {
            return new int[] {place.line(), 0};
        }
        String[] lines = place.drl().split("\n", -1);
        for (String name : symbol.split("\\|")) {
            Pattern word = Pattern.compile("(?<![\\w$])" + Pattern.quote(name) + "(?![\\w$])");
            for (int i = place.line() + 1; i <= Math.min(place.endLine(), lines.length); i++) { // past the rule's name
                java.util.regex.Matcher m = word.matcher(lines[i - 1]);
                if (m.find()) {
                    return new int[] {i, m.start() + 1};
                }
            }
        }
        return new int[] {place.line(), 0};
    }
}
