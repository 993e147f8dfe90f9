package io.recon.system.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code recon.security.users.<name>}: who may use Recon and in which roles (ANALYST, RELEASER,
 * OPERATOR, HANDLER, VIEWER, and SOURCE for systems that push events). Passwords are stored as
 * given with a {@code {noop}}/{@code {bcrypt}} prefix, Spring Security's delegating format.
 */
@ConfigurationProperties("recon.security")
public record SecurityProperties(Map<String, User> users) {

    public SecurityProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    public record User(String password, List<String> roles) {
        @Override
        public String toString() {
            return "User[password=****, roles=" + roles + "]";
        }
    }
}
