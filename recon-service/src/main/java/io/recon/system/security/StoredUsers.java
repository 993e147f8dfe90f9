package io.recon.system.security;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Users kept in Recon's database (table {@code recon_user}), for sites that manage users with SQL rather than configuration. */
final class StoredUsers {

    private static final String COLUMNS = "name, password, roles, tasks";

    private final JdbcTemplate jdbc;

    StoredUsers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ReconUser> find(String name) {
        return jdbc.query("select " + COLUMNS + " from recon_user where name = ? and enabled", (rs, n) -> user(rs), name).stream().findFirst();
    }

    List<ReconUser> all() {
        return jdbc.query("select " + COLUMNS + " from recon_user where enabled order by name", (rs, n) -> user(rs));
    }

    private static ReconUser user(ResultSet rs) throws SQLException {
        return new ReconUser(rs.getString(1), rs.getString(2), strings(rs.getArray(3)), strings(rs.getArray(4)));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
