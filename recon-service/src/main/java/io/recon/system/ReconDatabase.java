package io.recon.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Connection settings of Recon's own PostgreSQL database. */
public record ReconDatabase(String jdbcUrl, String username, String password) {

    /** Signs in on a connection of its own with 2 s timeouts; empty when the database answers, else why not (no secret in it). */
    public java.util.Optional<String> problem() {
        return problem(jdbcUrl, username, password);
    }

    /** The same for any PostgreSQL (a source database): empty when it lets this user in and answers. */
    public static java.util.Optional<String> problem(String jdbcUrl, String username, String password) {
        Properties props = new Properties();
        props.setProperty("user", username == null ? "" : username);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "2");
        props.setProperty("socketTimeout", "2");
        try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
            return c.isValid(2) ? java.util.Optional.empty() : java.util.Optional.of("it did not answer a check within 2 s");
        } catch (SQLException e) {
            return java.util.Optional.of(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public String toString() {
        return "ReconDatabase[" + jdbcUrl + ", user=" + username + ", password=****]";
    }
}
