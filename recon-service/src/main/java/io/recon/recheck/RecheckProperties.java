package io.recon.recheck;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code recon.recheck.*}: second checks. A mismatch of a task and type that has a check is not
 * alerted at once: after {@code delay} the check reads the source's current state, and the mismatch
 * becomes CONFIRMED (and alerts) or AUTO_RESOLVED (with the evidence in its history).
 *
 * @param retrySchedule waits after a failed lookup, one per retry; when they are used up the mismatch is
 *                      confirmed with the failure noted
 * @param cacheTtl      a lookup's answer is reused this long (SQL: for the same check and key; HTTP: for the same URL)
 * @param poll          how often the checker looks for due checks
 * @param threads       lookups run side by side at most (each target's rate still holds across them)
 * @param checks        named checks
 */
@ConfigurationProperties("recon.recheck")
public record RecheckProperties(List<Duration> retrySchedule, Duration cacheTtl, Duration poll, Integer threads, Map<String, Check> checks) {

    /** How a check reads the source's current state. */
    public enum Kind { SQL, HTTP }

    /** When an HTTP check's value (picked by {@code path}) says the mismatch still holds. */
    public enum Holds {
        /** the path has a value (not null) */
        PRESENT,
        /** the path has no value, or null */
        ABSENT,
        /** the value is the boolean true (or the text "true") */
        TRUE,
        /** the value is the boolean false (or the text "false") */
        FALSE,
        /** the value equals {@code value} (numbers by value: 100 = 100.00) */
        EQUALS,
        /** the value is absent or differs from {@code value} */
        DIFFERS
    }

    /**
     * @param task           the task group
     * @param type           the mismatch type (MISSING, AMOUNT, …)
     * @param delay          how long after detection to check
     * @param kind           {@code sql} (the default) or {@code http}
     * @param database       SQL: a captured database ({@code recon.databases.<name>}, or the embedded demo's shop, pay, wms)
     * @param sql            SQL: one row, one boolean column: true when the mismatch still holds; {@code :key} is the correlation key
     * @param url            HTTP: the GET's URL; {@code {key}} is the correlation key and {@code {Type.field}} a field of the
     *                       mismatch's fact of that type (e.g. {@code {Payment.paymentId}}), each URL-encoded
     * @param path           HTTP: where the compared value is in the JSON answer: {@code $.a.b[0]} (as in source bindings) or a
     *                       JSON Pointer {@code /a/b/0}
     * @param holds          HTTP: when the value says the mismatch still holds
     * @param value          HTTP, for {@code equals} and {@code differs}: the expected value, a constant or a template as in {@code url}
     * @param headers        HTTP: request headers (e.g. {@code Authorization: "Bearer ${LEDGER_TOKEN}"}); their values never
     *                       appear in a log line or an API answer
     * @param target         what the rate limit counts: SQL the database; HTTP a name, by default the URL's host and port
     * @param rate           lookups per second allowed on the target (shared by every check on it: the lowest rate wins)
     * @param connectTimeout HTTP: to open the connection
     * @param readTimeout    HTTP: for the whole answer
     */
    public record Check(String task, String type, Duration delay, Kind kind, String database, String sql, String url, String path,
                        Holds holds, String value, Map<String, String> headers, String target, Integer rate,
                        Duration connectTimeout, Duration readTimeout) {
        public Check {
            type = type == null ? null : type.toUpperCase(Locale.ROOT);
            delay = delay == null ? Duration.ofSeconds(30) : delay;
            kind = kind == null ? Kind.SQL : kind;
            rate = rate == null || rate <= 0 ? 20 : rate;
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(5) : readTimeout;
            if (kind == Kind.SQL) {
                target = database;
            } else if ((target == null || target.isBlank()) && url != null) {
                target = hostOf(url);
            }
        }

        private static String hostOf(String url) {
            try {
                URI uri = URI.create(url.replaceAll("\\{[^}]*}", "x"));
                return uri.getHost() == null ? url : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            } catch (IllegalArgumentException e) {
                return url;
            }
        }
    }

    public RecheckProperties {
        retrySchedule = retrySchedule == null ? List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60)) : List.copyOf(retrySchedule);
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(2) : cacheTtl;
        poll = poll == null ? Duration.ofMillis(200) : poll;
        threads = threads == null || threads <= 0 ? 4 : threads;
        checks = checks == null ? Map.of() : Map.copyOf(checks);
        checks.forEach((name, c) -> {
            String where = "recon.recheck.checks." + name;
            if (c.task() == null || c.type() == null) {
                throw new IllegalArgumentException(where + " needs task and type");
            }
            if (c.kind() == Kind.SQL) {
                if (c.database() == null || c.sql() == null || c.sql().isBlank()) {
                    throw new IllegalArgumentException(where + " needs database and sql (or kind: http with url, path and holds)");
                }
                if (!c.sql().contains(":key")) {
                    throw new IllegalArgumentException(where + ".sql must use :key (the mismatch's correlation key)");
                }
            } else {
                HttpCheck.validate(where, c);
            }
        });
    }

    /** The check for this task and type, if any (the first by name when several match). */
    Optional<Map.Entry<String, Check>> checkFor(String task, String type) {
        return checks.entrySet().stream().filter(e -> e.getValue().task().equals(task) && e.getValue().type().equalsIgnoreCase(type))
                .sorted(Map.Entry.comparingByKey()).findFirst();
    }

    /** The rate of a target: the lowest of the checks on it, so that no check's setting is exceeded. */
    int rateOf(String target) {
        return checks.values().stream().filter(c -> target.equals(c.target())).mapToInt(Check::rate).min().orElse(20);
    }
}
