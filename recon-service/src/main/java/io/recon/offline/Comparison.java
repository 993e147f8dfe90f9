package io.recon.offline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's findings against the live mismatches of the same task and period, matched by correlation key and type:
 * what the live path missed, and what only the live path reported (both with their facts). Empty when the live path
 * and the run agree.
 */
public record Comparison(Instant comparedUntil, int matched, List<Finding> missedByLive, List<Finding> onlyLive) {

    public boolean empty() {
        return missedByLive.isEmpty() && onlyLive.isEmpty();
    }

    /**
     * @param until the live clock when the run compared (at most the period's end): what the run detected later, the live
     *              sessions could not have detected yet, and is not compared
     */
    static Comparison of(Collection<Finding> run, Collection<Finding> live, Instant until) {
        run = run.stream().filter(f -> f.detectedAt().isBefore(until)).toList();
        Map<String, Finding> byRun = index(run);
        Map<String, Finding> byLive = index(live);
        List<Finding> missed = new ArrayList<>();
        List<Finding> only = new ArrayList<>();
        int matched = 0;
        for (var e : byRun.entrySet()) {
            if (byLive.containsKey(e.getKey())) {
                matched++;
            } else {
                missed.add(e.getValue());
            }
        }
        byLive.forEach((identity, finding) -> {
            if (!byRun.containsKey(identity)) {
                only.add(finding);
            }
        });
        return new Comparison(until, matched, missed, only);
    }

    private static Map<String, Finding> index(Collection<Finding> findings) {
        Map<String, Finding> out = new TreeMap<>();
        findings.forEach(f -> out.put(f.identity(), f));
        return out;
    }
}
