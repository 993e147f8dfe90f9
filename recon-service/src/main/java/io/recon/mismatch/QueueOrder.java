package io.recon.mismatch;

import java.util.Arrays;
import java.util.Locale;

/**
 * The order of the mismatch queue: one column, ascending or descending, with the id in the same
 * direction as the tie-breaker so that paging is stable (rows with equal values never swap between
 * pages). Each column has an index in that order (V61, V90), which PostgreSQL reads forwards or
 * backwards, so a page is read from the index instead of sorting the whole store.
 */
record QueueOrder(Column column, boolean descending) {

    /** The queue as it opens: newest detection first (V61's index). */
    static final QueueOrder DEFAULT = new QueueOrder(Column.FIRST_SEEN, true);

    enum Column {
        FIRST_SEEN("firstSeen", "first_seen"), SEVERITY("severity", "severity"), TYPE("type", "type"),
        KEY("key", "correlation_key"), STATUS("status", "status"), TASK("task", "task");

        final String param;
        final String sql;

        Column(String param, String sql) {
            this.param = param;
            this.sql = sql;
        }
    }

    /** Reads {@code sort} (a column's API name) and {@code dir} ({@code asc} or {@code desc}); null means the default. */
    static QueueOrder of(String sort, String dir) {
        if (sort == null && dir == null) {
            return DEFAULT;
        }
        Column column = sort == null ? Column.FIRST_SEEN : Arrays.stream(Column.values()).filter(c -> c.param.equalsIgnoreCase(sort))
                .findFirst().orElseThrow(() -> new CaseRefused(CaseRefused.Kind.BAD_REQUEST, "cannot sort the queue by '" + sort
                        + "'; sort by one of " + Arrays.stream(Column.values()).map(c -> c.param).toList()));
        String direction = dir == null ? (column == Column.FIRST_SEEN ? "desc" : "asc") : dir.toLowerCase(Locale.ROOT);
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw new CaseRefused(CaseRefused.Kind.BAD_REQUEST, "unknown sort direction '" + dir + "'; use asc or desc");
        }
        return new QueueOrder(column, direction.equals("desc"));
    }

    String sql() {
        String d = descending ? " desc" : " asc";
        return " order by " + column.sql + d + ", id" + d;
    }
}
