package io.recon.offline;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Per source, the statement file column each field of its fact type is read from ({@code offline_file_mapping}). */
@Component
class FileMappings {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;

    FileMappings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @param columns fact field to the file's column header */
    record FileMapping(String source, Map<String, String> columns) {
    }

    FileMapping put(String source, Map<String, String> columns, String by) {
        if (columns == null || columns.isEmpty()) {
            throw new RunRefusal("A file mapping names, per field of the source's fact type, the column it is read from:"
                    + " {\"columns\": {\"paymentId\": \"Reference\", \"amount\": \"Amount\", ...}}");
        }
        jdbc.update("""
                insert into offline_file_mapping (source, columns, updated_by) values (?, ?::jsonb, ?)
                on conflict (source) do update set columns = excluded.columns, updated_by = excluded.updated_by, updated_at = now()""",
                source, JSON.writeValueAsString(columns), by);
        return new FileMapping(source, Map.copyOf(columns));
    }

    Optional<FileMapping> find(String source) {
        return jdbc.query("select source, columns from offline_file_mapping where source = ?", (rs, n) -> row(rs), source).stream().findFirst();
    }

    List<FileMapping> list() {
        return jdbc.query("select source, columns from offline_file_mapping order by source", (rs, n) -> row(rs));
    }

    private static FileMapping row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new FileMapping(rs.getString(1), JSON.readValue(rs.getString(2), new TypeReference<Map<String, String>>() { }));
    }
}
