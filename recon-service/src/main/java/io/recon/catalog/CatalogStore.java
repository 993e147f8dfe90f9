package io.recon.catalog;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The catalog's tables (V70): one JSON body per entry, the seeded marks and the change log. */
@Component
class CatalogStore {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One recorded write, as GET /api/catalog/changes lists it. */
    record Change(long id, Instant at, String user, String kind, String name, String action, JsonNode before, JsonNode after) {
    }

    record StoredDatabase(CatalogDatabase database, String passwordEnc) {
    }

    private final JdbcTemplate jdbc;

    CatalogStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, CatalogSource> sources() {
        Map<String, CatalogSource> all = new LinkedHashMap<>();
        jdbc.query("select body::text from catalog_source order by name", rs -> {
            CatalogSource s = JSON.readValue(rs.getString(1), CatalogSource.class);
            all.put(s.name(), s);
        });
        return all;
    }

    Map<String, CatalogTask> tasks() {
        Map<String, CatalogTask> all = new LinkedHashMap<>();
        jdbc.query("select body::text from catalog_task order by task", rs -> {
            CatalogTask t = JSON.readValue(rs.getString(1), CatalogTask.class);
            all.put(t.task(), t);
        });
        return all;
    }

    Map<String, StoredDatabase> databases() {
        Map<String, StoredDatabase> all = new LinkedHashMap<>();
        jdbc.query("select body::text, password_enc from catalog_database order by name", rs -> {
            CatalogDatabase d = JSON.readValue(rs.getString(1), CatalogDatabase.class);
            all.put(d.name(), new StoredDatabase(d, rs.getString(2)));
        });
        return all;
    }

    Map<String, CatalogLookup> lookups() {
        Map<String, CatalogLookup> all = new LinkedHashMap<>();
        jdbc.query("select body::text from catalog_lookup order by name", rs -> {
            CatalogLookup l = JSON.readValue(rs.getString(1), CatalogLookup.class);
            all.put(l.name(), l);
        });
        return all;
    }

    void putLookup(CatalogLookup lookup) {
        jdbc.update("""
                insert into catalog_lookup (name, body, updated_at) values (?, ?::jsonb, now())
                on conflict (name) do update set body = excluded.body, updated_at = excluded.updated_at""",
                lookup.name(), JSON.writeValueAsString(lookup));
    }

    void putSource(CatalogSource source) {
        jdbc.update("""
                insert into catalog_source (name, body, updated_at) values (?, ?::jsonb, now())
                on conflict (name) do update set body = excluded.body, updated_at = excluded.updated_at""",
                source.name(), JSON.writeValueAsString(source));
    }

    void putTask(CatalogTask task) {
        jdbc.update("""
                insert into catalog_task (task, body, updated_at) values (?, ?::jsonb, now())
                on conflict (task) do update set body = excluded.body, updated_at = excluded.updated_at""",
                task.task(), JSON.writeValueAsString(task));
    }

    void putDatabase(CatalogDatabase database, String passwordEnc) {
        jdbc.update("""
                insert into catalog_database (name, body, password_enc, updated_at) values (?, ?::jsonb, ?, now())
                on conflict (name) do update set body = excluded.body, password_enc = excluded.password_enc, updated_at = excluded.updated_at""",
                database.name(), JSON.writeValueAsString(database), passwordEnc);
    }

    void delete(String kind, String name) {
        switch (kind) {
            case "source" -> jdbc.update("delete from catalog_source where name = ?", name);
            case "task" -> jdbc.update("delete from catalog_task where task = ?", name);
            case "database" -> jdbc.update("delete from catalog_database where name = ?", name);
            case "lookup" -> jdbc.update("delete from catalog_lookup where name = ?", name);
            default -> throw new IllegalArgumentException(kind);
        }
    }

    /** @return true the first time this entry of application.yml is seen */
    boolean markSeeded(String kind, String name) {
        return jdbc.update("insert into catalog_seeded (kind, name) values (?, ?) on conflict do nothing", kind, name) == 1;
    }

    /** @param before, after entries as the API shows them: never with a password */
    void record(String user, String kind, String name, String action, Object before, Object after) {
        record(user, kind, name, action, before, after, null);
    }

    /** @param request what the write asked beyond the entry ({@link #SNAPSHOT}, {@link #DROP_SLOT}), or null */
    void record(String user, String kind, String name, String action, Object before, Object after, String request) {
        jdbc.update("insert into catalog_change (username, kind, name, action, before, after, writer, request)"
                        + " values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)",
                user, kind, name, action, before == null ? null : JSON.writeValueAsString(before),
                after == null ? null : JSON.writeValueAsString(after), WRITER, request);
    }

    static final String SNAPSHOT = "snapshot";
    static final String DROP_SLOT = "drop-slot";
    /** This process among the instances sharing the catalog: what it wrote, it has applied already. */
    static final String WRITER = java.util.UUID.randomUUID().toString();

    /** A change as another instance follows it: which entry, and what the write asked beyond it. */
    record Written(long id, String kind, String name, String writer, String request) {
        boolean mine() {
            return WRITER.equals(writer);
        }
    }

    /** The changes with an id above {@code afterId}, oldest first. */
    List<Written> writtenSince(long afterId) {
        return jdbc.query("select id, kind, name, writer, request from catalog_change where id > ? order by id",
                (rs, n) -> new Written(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)), afterId);
    }

    long lastChangeId() {
        Long id = jdbc.queryForObject("select max(id) from catalog_change", Long.class);
        return id == null ? 0 : id;
    }

    List<Change> changes(int limit) {
        return jdbc.query("select id, at, username, kind, name, action, before::text, after::text from catalog_change order by id desc limit ?",
                (rs, n) -> new Change(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7) == null ? null : JSON.readTree(rs.getString(7)),
                        rs.getString(8) == null ? null : JSON.readTree(rs.getString(8))), limit);
    }
}
