package io.recon.source.cdc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes passwords from text and exception chains before they reach a log or an API response.
 *
 * <p>Debezium's start-up failures print the whole connector configuration, passwords included.
 * Masking both the known secret values and anything written as {@code password=...} also covers
 * a password that reaches a message by another route (a JDBC URL, a driver message).
 */
public final class SecretMasker {

    static final String MASK = "****";
    private static final Pattern PASSWORD_ASSIGNMENT =
            Pattern.compile("(?i)(password[\"']?\\s*[=:]\\s*[\"']?)([^,;&}\\s\"']+)");

    private final List<String> secrets;

    public SecretMasker(Collection<String> secrets) {
        this.secrets = secrets.stream()
                .filter(s -> s != null && !s.isEmpty())
                .distinct()
                // Longest first, so a secret that contains another is masked whole.
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return PASSWORD_ASSIGNMENT.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /**
     * A copy of the chain with masked messages. The copies are plain exceptions carrying the
     * original class name, because the originals (and their fields) may hold the secret.
     */
    Throwable mask(Throwable t) {
        return copy(t, new IdentityHashMap<>());
    }

    private MaskedException copy(Throwable t, Map<Throwable, MaskedException> seen) {
        if (t == null) {
            return null;
        }
        MaskedException done = seen.get(t);
        if (done != null) {
            return done;
        }
        MaskedException m = new MaskedException(t.getClass().getName() + ": " + mask(t.getMessage()));
        seen.put(t, m);
        m.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t) {
            m.initCause(copy(t.getCause(), seen));
        }
        List<Throwable> suppressed = new ArrayList<>(List.of(t.getSuppressed()));
        for (Throwable s : suppressed) {
            m.addSuppressed(copy(s, seen));
        }
        return m;
    }

    /** Stands in for an exception whose message had to be masked. */
    static final class MaskedException extends RuntimeException {
        MaskedException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
