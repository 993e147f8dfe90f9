package io.recon.system.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/**
 * A signed-in person or system: roles, and the task groups whose mismatches the user may see and work
 * ({@code *} for all). Kept in the HTTP session of the workbench, hence serializable like Spring's User.
 */
public final class ReconUser extends User {

    public static final String ALL_TASKS = "*";

    private final Set<String> tasks;

    ReconUser(String name, String password, Collection<String> roles, Collection<String> tasks) {
        super(name, password, roles.stream().map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r)).toList());
        this.tasks = tasks.isEmpty() || tasks.contains(ALL_TASKS) ? Set.of(ALL_TASKS) : Set.copyOf(new TreeSet<>(tasks));
    }

    /** Role names without Spring's prefix, sorted. */
    public List<String> roles() {
        return roles(getAuthorities());
    }

    static List<String> roles(Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream().map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_"))
                .map(a -> a.substring("ROLE_".length())).sorted().toList();
    }

    /** The task groups this user is scoped to, or {@code [*]}. */
    public List<String> tasks() {
        return List.copyOf(new TreeSet<>(tasks));
    }

    public boolean allTasks() {
        return tasks.contains(ALL_TASKS);
    }

    public boolean mayWork(String task) {
        return allTasks() || tasks.contains(task);
    }

    /** The user behind an authentication, or null when it is not one of Recon's. */
    public static ReconUser of(Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof ReconUser user ? user : null;
    }
}
