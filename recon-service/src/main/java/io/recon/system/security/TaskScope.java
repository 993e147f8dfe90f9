package io.recon.system.security;

import java.util.List;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The task groups the current request may see and work: all of them, or those of a user scoped with
 * {@code tasks: [trade]}. Requests without a Recon user (the service's own threads) see everything.
 */
public final class TaskScope {

    private static final TaskScope ALL = new TaskScope(null, null);

    private final Set<String> tasks;
    private final Authentication who;

    private TaskScope(Set<String> tasks, Authentication who) {
        this.tasks = tasks;
        this.who = who;
    }

    public static TaskScope current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        ReconUser user = ReconUser.of(authentication);
        return user == null || user.allTasks() ? ALL : new TaskScope(Set.copyOf(user.tasks()), authentication);
    }

    public boolean all() {
        return tasks == null;
    }

    /** The tasks in scope, sorted; null when every task is. */
    public List<String> tasksOrNull() {
        return tasks == null ? null : tasks.stream().sorted().toList();
    }

    public boolean includes(String task) {
        return tasks == null || tasks.contains(task);
    }

    /** "You are signed in as trader (HANDLER; tasks trade); this needs task refunds." */
    String refusal(String why) {
        return SecurityErrors.youAre(who).replaceFirst("\\)$", "; tasks " + String.join(", ", tasksOrNull()) + ")") + "; " + why + ".";
    }
}
