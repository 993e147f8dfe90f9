package io.recon.offline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SQL check's rows as findings: {@code key} and {@code type} identify a mismatch as the live path does, {@code detail}
 * is its reason and {@code severity} its severity (default P2); the whole row is kept as its facts. A key and type the
 * check returns twice is one finding (the first row), as the live store keeps one per key and type.
 */
final class SqlCheckFindings {

    static final String RULE = "SQL check";

    private SqlCheckFindings() {
    }

    /** @param detectedAt the period's start: a check has no clock, its rows belong to the period it ran over */
    static List<Finding> of(List<Map<String, Object>> rows, Instant detectedAt) {
        Map<String, Finding> byIdentity = new LinkedHashMap<>();
        int n = 0;
        for (Map<String, Object> row : rows) {
            n++;
            Object key = row.get("key");
            Object type = row.get("type");
            if (key == null || type == null) {
                throw new SqlCheckRefusal("Row " + n + " of the check has no " + (key == null ? "key" : "type") + ": " + row);
            }
            Object detail = row.get("detail");
            Object severity = row.get("severity");
            Finding f = new Finding(key.toString(), type.toString(), severity == null ? "P2" : severity.toString(), RULE,
                    detail == null ? "the SQL check reports " + type + " for " + key : detail.toString(), List.of(row), detectedAt, null, null);
            byIdentity.putIfAbsent(f.identity(), f);
        }
        return new ArrayList<>(byIdentity.values());
    }
}
