package io.recon.system.security;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Where Recon finds a user: configuration first, then (only while the embedded demo runs) the demo's six,
 * then table {@code recon_user}. Hands out a copy, as Spring erases the password of what it authenticated.
 */
final class ReconUsers implements UserDetailsService {

    private static final Logger log = LoggerFactory.getLogger(ReconUsers.class);

    private final ConfiguredUsers configured;
    private final StoredUsers stored;
    private final DemoUsers demo;

    /** @param demo null unless the embedded demo runs */
    ReconUsers(ConfiguredUsers configured, StoredUsers stored, DemoUsers demo) {
        this.configured = configured;
        this.stored = stored;
        this.demo = demo;
    }

    /** Outside the demo, refuses to start with a plain-text or demo password, naming the user. */
    ReconUsers checked(PasswordPolicy policy) {
        if (demo != null) {
            log.info("the embedded demo runs: its users {} sign in with password = name", DemoUsers.ROLES.keySet());
            return this;
        }
        configured.all().forEach((name, user) -> policy.check(name, "recon.security.users." + name, user.getPassword()));
        var inDatabase = stored.all();
        inDatabase.forEach(user -> policy.check(user.getUsername(), "table recon_user", user.getPassword()));
        if (configured.all().isEmpty() && inDatabase.isEmpty()) {
            log.warn("no users: every request but health and the sign-in page is refused. {}", PasswordPolicy.HOW_TO_SET_USERS);
        }
        return this;
    }

    @Override
    public UserDetails loadUserByUsername(String name) {
        // The demo's users before the table: they never need the database, so an operator can still sign in and
        // watch health while it is down (a lookup in the table would wait for the pool's connection timeout and fail).
        Optional<ReconUser> user = configured.find(name).or(() -> demo == null ? Optional.empty() : demo.find(name))
                .or(() -> stored.find(name));
        return user.map(ReconUsers::copy).orElseThrow(() -> new UsernameNotFoundException("no user " + name));
    }

    private static ReconUser copy(ReconUser user) {
        return new ReconUser(user.getUsername(), user.getPassword(), user.roles(), user.tasks());
    }
}
