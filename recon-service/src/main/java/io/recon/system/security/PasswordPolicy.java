package io.recon.system.security;

import java.util.Locale;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Outside the embedded demo, a password must be a bcrypt hash and must not be one of the demo's
 * published passwords: a service that starts with {@code operator:operator} is open to anyone who read the README.
 */
final class PasswordPolicy {

    static final String HOW_TO_SET_USERS = "Set users with hashed passwords in configuration, e.g. "
            + "RECON_SECURITY_USERS_ALICE_PASSWORD='{bcrypt}<hash>' and RECON_SECURITY_USERS_ALICE_ROLES=HANDLER "
            + "(`htpasswd -bnBC 10 \"\" 'a new password' | tr -d ':\\n'` prints a hash), "
            + "or insert them into table recon_user; see 'Users and roles' in the README.";

    private static final java.util.regex.Pattern BCRYPT = java.util.regex.Pattern.compile("\\$2[abxy]?\\$\\d{2}\\$[./0-9A-Za-z]{53}");

    private final PasswordEncoder encoder;

    PasswordPolicy(PasswordEncoder encoder) {
        this.encoder = encoder;
    }

    /** @throws IllegalStateException naming the user and where it is defined, when its password is refused */
    void check(String name, String definedIn, String password) {
        String problem = problem(password);
        if (problem != null) {
            throw new IllegalStateException("Recon does not start: user '" + name + "' (" + definedIn + ") " + problem
                    + ", and the embedded demo is not running. " + HOW_TO_SET_USERS);
        }
    }

    private String problem(String password) {
        if (password == null || password.isBlank()) {
            return "has no password";
        }
        if (!password.toLowerCase(Locale.ROOT).startsWith("{bcrypt}")) {
            return password.toLowerCase(Locale.ROOT).startsWith("{noop}") ? "has a plain-text ({noop}) password"
                    : "has a password that is not a bcrypt hash ({bcrypt}$2a$...)";
        }
        if (!BCRYPT.matcher(password.substring("{bcrypt}".length())).matches()) {
            return "has a malformed bcrypt hash (expected {bcrypt}$2a$10$ and 53 characters)";
        }
        for (String demo : DemoUsers.ROLES.keySet()) {
            if (matches(demo, password)) {
                return "has one of the demo's published passwords";
            }
        }
        return null;
    }

    private boolean matches(String raw, String encoded) {
        try {
            return encoder.matches(raw, encoded);
        } catch (IllegalArgumentException e) {
            return false; // a malformed hash matches nothing; signing in with it fails the same way
        }
    }

}
