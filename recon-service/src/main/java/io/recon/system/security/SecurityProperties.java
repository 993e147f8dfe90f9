package io.recon.system.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code recon.security}: who may use Recon outside the embedded demo (the demo brings its own six users).
 * <ul>
 *   <li>{@code users.<name>}: a bcrypt hash ({@code {bcrypt}$2a$...}), roles (ANALYST, RELEASER, OPERATOR,
 *       HANDLER, VIEWER, and SOURCE for systems that push events), task groups ({@code tasks: [trade]},
 *       default every task) and groups whose roles and tasks the user takes on;</li>
 *   <li>{@code groups.<name>}: roles and tasks shared by the users that name the group;</li>
 *   <li>{@code limits}: the largest request bodies.</li>
 * </ul>
 */
@ConfigurationProperties("recon.security")
public record SecurityProperties(Map<String, User> users, Map<String, Group> groups, @DefaultValue Limits limits) {

    public SecurityProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
        groups = groups == null ? Map.of() : Map.copyOf(groups);
    }

    /**
     * Request bodies, refused with 413 beyond these sizes ({@code /api/events} sets its own).
     *
     * @param uploads rule files and kjars, base64 in JSON: {@code /api/rules/**}, {@code /api/releases/**}
     * @param requests every other request
     * @param statements statement files for offline runs: {@code POST /api/runs/files}
     */
    public record Limits(@DefaultValue("32MB") DataSize uploads, @DefaultValue("1MB") DataSize requests,
                         @DefaultValue("256MB") DataSize statements) {
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
