package io.recon.system.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The users of {@code recon.security.users}, with the roles and tasks of their groups folded in. */
final class ConfiguredUsers {

    private final Map<String, ReconUser> users = new TreeMap<>();

    ConfiguredUsers(SecurityProperties properties) {
        properties.users().forEach((name, user) -> users.put(name, resolve(name, user, properties.groups())));
    }

    private static ReconUser resolve(String name, SecurityProperties.User user, Map<String, SecurityProperties.Group> groups) {
        Set<String> roles = new LinkedHashSet<>(user.roles());
        List<String> tasks = new ArrayList<>(user.tasks());
        for (String groupName : user.groups()) {
            SecurityProperties.Group group = groups.get(groupName);
            if (group == null) {
                throw new IllegalStateException("recon.security.users." + name + " is in group '" + groupName
                        + "', which is not defined; add recon.security.groups." + groupName + " (roles, tasks) or remove it from the user");
            }
            roles.addAll(group.roles());
            tasks.addAll(group.tasks());
        }
        if (user.password() == null || user.password().isBlank()) {
            throw new IllegalStateException("recon.security.users." + name + " has no password; set recon.security.users." + name
                    + ".password to a bcrypt hash ({bcrypt}$2a$10$...)");
        }
        return new ReconUser(name, user.password(), roles, tasks);
    }

    Optional<ReconUser> find(String name) {
        return Optional.ofNullable(users.get(name));
    }

    Map<String, ReconUser> all() {
        return users;
    }
}
