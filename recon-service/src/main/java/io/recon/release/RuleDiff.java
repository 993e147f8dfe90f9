package io.recon.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule-level difference between two versions: rules added, removed, and changed (same name,
 * different text once comments and spacing are ignored). Read from the DRL inside each kjar.
 */
public record RuleDiff(List<String> added, List<String> removed, List<String> changed) {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)");
    private static final Pattern RULE = Pattern.compile("(?m)^\\s*rule\\s+(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|\\S+)");
    private static final Pattern END = Pattern.compile("(?m)^\\s*end\\s*;?\\s*$");

    public static RuleDiff between(Map<String, String> before, Map<String, String> after) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        after.forEach((name, text) -> {
            if (!before.containsKey(name)) {
                added.add(name);
            } else if (!before.get(name).equals(text)) {
                changed.add(name);
            }
        });
        before.keySet().stream().filter(name -> !after.containsKey(name)).forEach(removed::add);
        return new RuleDiff(added, removed, changed);
    }

    /** Rule name ("package.Rule name") to its normalised text, for every DRL file in a kjar. */
    public static Map<String, String> rulesOf(byte[] kjar) {
        Map<String, String> rules = new TreeMap<>();
        KjarFiles.read(kjar, ".drl").values().forEach(drl -> rules.putAll(rulesOf(drl)));
        return rules;
    }

    static Map<String, String> rulesOf(String drl) {
        String text = drl.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)//[^\"\\n]*$", " ");
        Matcher pkg = PACKAGE.matcher(text);
        String prefix = pkg.find() ? pkg.group(1).replaceAll(";$", "") + "." : "";
        Map<String, String> rules = new TreeMap<>();
        Matcher rule = RULE.matcher(text);
        int from = 0;
        while (rule.find(from)) {
            Matcher end = END.matcher(text);
            int stop = end.find(rule.end()) ? end.end() : text.length();
            String name = rule.group(1).replaceAll("^[\"']|[\"']$", "");
            rules.put(prefix + name, text.substring(rule.start(), stop).replaceAll("\\s+", " ").trim());
            from = stop;
        }
        return rules;
    }
}
