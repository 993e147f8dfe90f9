package io.recon.authoring;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which rules belong to which task group: the rules of task group {@code t} live in package {@code recon.t} (and
 * packages below it), as the sample kjar's kmodule, the bindings' type names ({@code recon.trade.Order}) and the
 * workbench's generated tables have it. A file in any other package would belong to no task group's KieBase and
 * never run: it is refused with a sentence instead of being compiled for nothing.
 */
final class TaskPackages {

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;?", Pattern.MULTILINE);

    private TaskPackages() {
    }

    /** Task group names ({@code recon.<task>...}) that the draft's DRL and DSLR files declare packages of. */
    static Set<String> declaredBy(java.util.List<RuleFile> files) {
        Set<String> tasks = new java.util.TreeSet<>();
        for (RuleFile file : files == null ? java.util.List.<RuleFile>of() : files) {
            if (file.kind() == RuleFile.Kind.DRL || file.kind() == RuleFile.Kind.DSLR) {
                Matcher m = PACKAGE.matcher(withoutComments(file.text()));
                if (m.find()) {
                    Matcher task = TASK_PACKAGE.matcher(m.group(1));
                    if (task.matches()) {
                        tasks.add(task.group(1));
                    }
                }
            }
        }
        return tasks;
    }

    private static final Pattern TASK_PACKAGE = Pattern.compile("recon\\.([a-z][a-z0-9_-]*)(\\..*)?");

    static String of(String task) {
        return "recon." + task;
    }

    /** @param drl the DRL a file amounts to (a table's or DSLR's generated DRL keeps its package) */
    static Optional<RuleProblem> refusal(String file, String drl, Set<String> tasks) {
        Matcher m = PACKAGE.matcher(withoutComments(drl));
        String pkg = m.find() ? m.group(1) : null;
        for (String task : tasks) {
            if (pkg != null && (pkg.equals(of(task)) || pkg.startsWith(of(task) + "."))) {
                return Optional.empty();
            }
        }
        String expected = tasks.stream().sorted().map(t -> "'" + t + "' in package " + of(t)).reduce((a, b) -> a + ", " + b).orElse("none");
        String what = pkg == null ? "declares no package" : "declares package " + pkg + ", which belongs to no task group";
        return Optional.of(new RuleProblem(file, pkg == null ? 1 : line(drl, pkg), 0, RuleProblem.Kind.COMPILE,
                "File " + file + " " + what + ": the rules of a task group live in its package (task groups here: " + expected + ").", null));
    }

    private static int line(String drl, String pkg) {
        String[] lines = drl.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].matches("\\s*package\\s+" + Pattern.quote(pkg) + "\\s*;?.*")) {
                return i + 1;
            }
        }
        return 1;
    }

    /** Comments blanked with their line breaks kept, so that a package inside a comment does not count. */
    private static String withoutComments(String drl) {
        return drl.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)(//|#).*$", "");
    }
}
