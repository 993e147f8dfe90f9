package io.recon.web;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Workbench drafts in PostgreSQL (table workbench_draft). */
@Component
class DraftStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Draft.File>> FILES = new TypeReference<>() {
    };
    private static final String SELECT = "select name, task, base_version, files::text, updated_at, author from workbench_draft";

    private final JdbcTemplate jdbc;

    DraftStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Draft> list() {
        return jdbc.query(SELECT + " order by updated_at desc, name", (rs, n) -> draft(rs));
    }

    Optional<Draft> find(String name) {
        return jdbc.query(SELECT + " where name = ?", (rs, n) -> draft(rs), name).stream().findFirst();
    }

    /** Creates or replaces the draft; the server stamps the time and the author. */
    Draft save(String name, String task, String baseVersion, List<Draft.File> files, String author) {
        jdbc.update("""
                insert into workbench_draft (name, task, base_version, files, author, updated_at) values (?, ?, ?, ?::jsonb, ?, now())
                on conflict (name) do update set task = excluded.task, base_version = excluded.base_version, files = excluded.files,
                    author = excluded.author, updated_at = excluded.updated_at""",
                name, task, baseVersion, JSON.writeValueAsString(files), author);
        return find(name).orElseThrow();
    }

    boolean delete(String name) {
        return jdbc.update("delete from workbench_draft where name = ?", name) == 1;
    }

    private static Draft draft(ResultSet rs) throws SQLException {
        return new Draft(rs.getString(1), rs.getString(2), rs.getString(3), JSON.readValue(rs.getString(4), FILES),
                rs.getTimestamp(5).toInstant(), rs.getString(6));
    }
}
