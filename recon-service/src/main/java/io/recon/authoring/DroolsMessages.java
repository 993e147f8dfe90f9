package io.recon.authoring;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.builder.Message;

/** Turns the compiler's messages into sentences an analyst can act on, keeping the original as detail. */
final class DroolsMessages {

    private static final Pattern PREFIX = Pattern.compile("^\\[ERR \\d+\\] Line (\\d+):(\\d+)\\s*");
    private static final Pattern MISMATCHED = Pattern.compile("mismatched input '([^']*)'(?: expecting (.*?))?( in (rule|query|declare).*)?$");
    private static final Pattern NO_VIABLE = Pattern.compile("no viable alternative at input '([^']*)'(.*)$");
    private static final Pattern UNRESOLVED_TYPE = Pattern.compile("(?:Unable to resolve ObjectType|Unable to find class):? '?([\\w.$]+)'?");
    /** The executable model's word for a field the type does not have (the classic compiler's is STRICT_MODE). */
    private static final Pattern LEFT_PART = Pattern.compile("Unable to parse left part of expression: ([\\w$]+)");
    private static final Pattern JAVA_UNRESOLVED = Pattern.compile("(\\S+) cannot be resolved(?: to a type)?");
    private static final Pattern STRICT_MODE = Pattern.compile("unable to resolve method using strict-mode: ([\\w.$]+)\\.(\\w+)\\(\\)");
    private static final Pattern UNDEFINED_METHOD = Pattern.compile("The method (\\w+)\\(.*?\\) is undefined for the type (\\w+)");

    private DroolsMessages() {
    }

    static RuleProblem problem(Message message, List<RuleFile> files) {
        String path = message.getPath() == null ? "" : message.getPath();
        String file = path.startsWith("src/main/resources/") ? path.substring("src/main/resources/".length()) : path;
        String text = message.getText() == null ? "" : message.getText().strip();
        int line = message.getLine();
        int column = message.getColumn();
        Matcher prefix = PREFIX.matcher(text);
        String body = text;
        if (prefix.find()) {
            if (line <= 0) {
                line = Integer.parseInt(prefix.group(1));
            }
            if (column <= 0) {
                column = Integer.parseInt(prefix.group(2)) + 1;
            }
            body = text.substring(prefix.end());
        }
        RuleFile.Kind kind = kindOf(file, files);
        String token = culprit(body);
        if (token != null && kind == RuleFile.Kind.DRL) {
            // The compiler often points at the rule, not the word: find the word from there on.
            int[] at = find(files, file, token, Math.max(line, 1));
            if (at != null) {
                line = at[0];
                column = at[1];
                Matcher field = LEFT_PART.matcher(body);
                if (field.find()) {
                    String type = typeOfPatternAt(files, file, line, token);
                    return new RuleProblem(file, line, column, RuleProblem.Kind.COMPILE, "The type " + type + " has no field '" + token
                            + "': check the spelling against its declare.", text);
                }
            }
        }
        return new RuleProblem(file, Math.max(line, 0), Math.max(column, 0), RuleProblem.Kind.COMPILE, sentence(body, kind), text);
    }

    /** The word a message is about, when it names one. */
    private static String culprit(String body) {
        for (Pattern p : List.of(UNRESOLVED_TYPE, LEFT_PART, JAVA_UNRESOLVED, STRICT_MODE, UNDEFINED_METHOD)) {
            Matcher m = p.matcher(body);
            if (m.find()) {
                return p == STRICT_MODE ? m.group(2) : m.group(1);
            }
        }
        return null;
    }

    private static int[] find(List<RuleFile> files, String file, String token, int fromLine) {
        RuleFile source = files.stream().filter(f -> f.name().equals(file)).findFirst().orElse(null);
        if (source == null) {
            return null;
        }
        List<String> lines = source.text().lines().toList();
        Pattern word = Pattern.compile("(?<![\\w$])" + Pattern.quote(token) + "(?![\\w$])");
        for (int i = fromLine - 1; i < lines.size(); i++) {
            Matcher m = word.matcher(lines.get(i));
            if (m.find()) {
                return new int[] {i + 1, m.start() + 1};
            }
        }
        return null;
    }

    /** The type of the pattern whose constraint names {@code field} on that line ({@code $o : Order( stauts == ..}). */
    private static String typeOfPatternAt(List<RuleFile> files, String file, int line, String field) {
        String text = files.stream().filter(f -> f.name().equals(file)).findFirst().map(RuleFile::text).orElse("");
        String at = text.lines().skip(line - 1).findFirst().orElse("");
        Matcher m = Pattern.compile("([\\w.]+)\\s*\\([^()]*?(?<![\\w$])" + Pattern.quote(field) + "(?![\\w$])").matcher(at);
        return m.find() ? m.group(1) : "of that pattern";
    }

    private static RuleFile.Kind kindOf(String file, List<RuleFile> files) {
        return files.stream().filter(f -> f.name().equals(file)).map(RuleFile::kind).findFirst().orElse(RuleFile.Kind.DRL);
    }

    static String sentence(String body, RuleFile.Kind kind) {
        String firstLine = body.lines().findFirst().orElse(body).strip();
        String suffix = kind == RuleFile.Kind.XLSX || kind == RuleFile.Kind.CSV
                ? " (The line is in the DRL generated from the table; check the cells of that rule's row.)" : "";
        Matcher m = MISMATCHED.matcher(firstLine);
        if (m.find()) {
            String expected = m.group(2) == null ? "" : ", where " + m.group(2).replace("'", "").strip() + " was expected";
            return "The rule text is not valid here: found '" + m.group(1) + "'" + expected + ". Check for a missing bracket,"
                    + " comma or keyword just before this point." + suffix;
        }
        m = NO_VIABLE.matcher(firstLine);
        if (m.find()) {
            return "The rule text is not valid here: '" + m.group(1) + "' cannot follow what comes before it. Check for a typing"
                    + " error, a missing bracket or 'end' nearby." + suffix;
        }
        m = UNRESOLVED_TYPE.matcher(body);
        if (m.find()) {
            return "The type " + m.group(1) + " is not known: declare it with 'declare', import it, or check its spelling." + suffix;
        }
        m = JAVA_UNRESOLVED.matcher(body);
        if (m.find()) {
            return "'" + m.group(1) + "' is not known here: check its spelling, bind it in the conditions ($name : ...) or import it."
                    + suffix;
        }
        m = STRICT_MODE.matcher(body);
        if (m.find()) {
            String type = m.group(1).substring(m.group(1).lastIndexOf('.') + 1);
            return "The type " + type + " has no field '" + m.group(2) + "': check the spelling against its declare." + suffix;
        }
        m = UNDEFINED_METHOD.matcher(body);
        if (m.find()) {
            return "The type " + m.group(2) + " has no method " + m.group(1) + "(): check the spelling, or use a field of the type."
                    + suffix;
        }
        if (body.contains("Unable to Analyse Expression") || body.contains("Unable to analyze expression")) {
            return "A condition cannot be understood: " + firstLine + ". Check the field names against the declared type and"
                    + " the operators used." + suffix;
        }
        if (body.contains("Duplicate rule name")) {
            return "Two rules have the same name: rule names must be unique within a package; rename one." + suffix;
        }
        String lines = String.join(" ", body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        return "The rules do not compile: " + lines + suffix;
    }

    static String firstLine(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
