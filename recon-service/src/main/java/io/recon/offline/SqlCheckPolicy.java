package io.recon.offline;

import io.recon.targets.SelectPolicy;
import java.util.Set;

/** An offline SQL check may read only its run's staged tables; the rest of the vetting is the shared {@link SelectPolicy}. */
final class SqlCheckPolicy {

    private static final SelectPolicy POLICY = new SelectPolicy("The check");

    private SqlCheckPolicy() {
    }

    /**
     * @param tables the staged table names the check may read (lower case)
     * @throws SqlCheckRefusal saying what is not allowed and where
     */
    static void vet(String sql, Set<String> tables) {
        try {
            if (sql == null || sql.isBlank()) {
                throw new SqlCheckRefusal("The check is empty: give one SELECT over the tables " + tables);
            }
            POLICY.vet(sql, SelectPolicy.Tables.only(tables));
        } catch (SelectPolicy.Refused e) {
            throw new SqlCheckRefusal(e.getMessage());
        }
    }

    static void callsByText(String sql) {
        try {
            POLICY.callsByText(sql);
        } catch (SelectPolicy.Refused e) {
            throw new SqlCheckRefusal(e.getMessage());
        }
    }
}
