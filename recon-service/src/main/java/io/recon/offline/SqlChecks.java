package io.recon.offline;

import io.recon.catalog.RuleSet;
import io.recon.release.ReleasedKjars;
import io.recon.source.SourceRecords;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per task, its analyst-written SQL check (table {@code offline_sql_check}). Saving one vets it ({@link SqlCheckPolicy})
 * and dry-runs it on the task's staged tables, empty, so that a wrong column or type is refused at save time with
 * PostgreSQL's message and where it points, not at 02:00 by the schedule.
 */
@Component
class SqlChecks {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A dry run on empty tables is quick: anything longer is a check that would not finish on real ones either. */
    private static final Duration DRY_RUN = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final ReleasedKjars kjars;
    private final RuleSet active;
    private final SourceRecords sources;

    SqlChecks(JdbcTemplate jdbc, ReleasedKjars kjars, RuleSet active, SourceRecords sources) {
        this.jdbc = jdbc;
        this.kjars = kjars;
        this.active = active;
        this.sources = sources;
    }

    /** @param types the mismatch types the check reports: only live mismatches of these are compared (empty: all) */
    record SqlCheck(String task, String sql, List<String> types, String updatedBy, Instant updatedAt) {
    }

    /** The tables a check of the task reads, as staged from its sources under the active rules' fact types. */
    List<StagedTables.Table> tables(String task) {
        return StagedTables.of(kjars.container(active.version()).getKieBase(task), sources.bindingsOf(task));
    }

    SqlCheck put(String task, String sql, List<String> types, String by) {
        List<StagedTables.Table> tables = tables(task);
        SqlCheckPolicy.vet(sql, StagedTables.names(tables));
        try (Connection c = jdbc.getDataSource().getConnection(); StagedTables staged = new StagedTables(c, tables)) {
            staged.query(sql, DRY_RUN, 1);
        } catch (java.sql.SQLException e) {
            throw new SqlCheckRefusal("The check could not be tried on the staged tables: " + e.getMessage());
        }
        List<String> covered = types == null ? List.of() : types.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
        jdbc.update("""
                insert into offline_sql_check (task, sql, types, updated_by) values (?, ?, ?::jsonb, ?)
                on conflict (task) do update set sql = excluded.sql, types = excluded.types, updated_by = excluded.updated_by,
                    updated_at = now()""", task, sql, JSON.writeValueAsString(covered), by);
        return find(task).orElseThrow();
    }

    Optional<SqlCheck> find(String task) {
        return jdbc.query("select * from offline_sql_check where task = ?", (rs, n) -> row(rs), task).stream().findFirst();
    }

    List<SqlCheck> list() {
        return jdbc.query("select * from offline_sql_check order by task", (rs, n) -> row(rs));
    }

    boolean delete(String task) {
        return jdbc.update("delete from offline_sql_check where task = ?", task) > 0;
    }

    private static SqlCheck row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new SqlCheck(rs.getString("task"), rs.getString("sql"), JSON.readValue(rs.getString("types"), new TypeReference<List<String>>() { }),
                rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant());
    }
}
