package io.recon.system.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code recon.security}: who may use Recon outside the embedded demo (the demo brings its own six users).
 * <ul>
 *   <li>{@code users.<name>}: a bcrypt hash ({@code {bcrypt}$2a$...}), roles (ANALYST, RELEASER, OPERATOR,
 *       HANDLER, VIEWER, and SOURCE for systems that push events), task groups ({@code tasks: [trade]},
 *       default every task) and groups whose roles and tasks the user takes on;</li>
 *   <li>{@code groups.<name>}: roles and tasks shared by the users that name the group.</li>
 * </ul>
 */
@ConfigurationProperties("recon.security")
public record SecurityProperties(Map<String, User> users, Map<String, Group> groups) {

    public SecurityProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
        groups = groups == null ? Map.of() : Map.copyOf(groups);
    }

    public record User(String password, List<String> roles, List<String> tasks, List<String> groups) {

        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
            groups = groups == null ? List.of() : List.copyOf(groups);
        }

        @Override
        public String toString() {
            return "User[password=****, roles=" + roles + ", tasks=" + tasks + ", groups=" + groups + "]";
        }
    }

    public record Group(List<String> roles, List<String> tasks) {

        public Group {
            roles = roles == null ? List.of() : List.copyOf(roles);
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
        }
    }
}
