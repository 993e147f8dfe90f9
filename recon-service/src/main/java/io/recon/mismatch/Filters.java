package io.recon.mismatch;

import java.time.Instant;
import java.util.Arrays;
import io.recon.system.security.TaskScope;
import java.util.Locale;

/** The query parameters that select mismatches, read the same way by the list, the batch actions and the export, within the caller's tasks. */
final class Filters {

    private Filters() {
    }

    static MismatchQueries.Filter of(String task, String type, String status, String key, Instant from, Instant to) {
        MismatchStatus wanted = null;
        if (status != null) {
            try {
                wanted = MismatchStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CaseRefused(CaseRefused.Kind.BAD_REQUEST, "unknown status '" + status + "'; use one of "
                        + Arrays.toString(MismatchStatus.values()));
            }
        }
        return new MismatchQueries.Filter(task, type == null ? null : type.toUpperCase(Locale.ROOT), wanted, key, from, to,
                TaskScope.current().tasksOrNull());
    }
}
