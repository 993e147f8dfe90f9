package io.recon.catalog;

import java.util.List;
import java.util.Map;

/**
 * One lookup of the catalog (反查): when a fact of type {@code when} arrives on {@code task}, after {@code delay} ask
 * another system and publish its answer as a fact of type {@code answer} on the same correlation key.
 *
 * @param when      the triggering fact type, with its package (e.g. {@code recon.trade.Payment})
 * @param delay     how long after the trigger arrives to ask (5s, 2m); also added to its event time for the answer's
 * @param kind      SQL (a SELECT on a catalog database) or HTTP (a GET answering JSON)
 * @param database  SQL: the catalog database asked (read-only)
 * @param sql       SQL: one SELECT; {@code :field} binds a field of the trigger ({@code :key} its correlation key); the first
 *                  row's columns fill the answer's fields of the same name (order_id fills orderId)
 * @param url       HTTP: the GET's URL; {@code {field}} is a field of the trigger ({@code {key}} its correlation key), URL-encoded
 * @param fields    the answer's field to the column (SQL) or JSON path ({@code $.a.b}, HTTP) it is filled from
 * @param answer    the answer's fact type; it carries {@code found} (a row or a 2xx answer came back) and {@code lookupFailed}
 *                  (the retries ran out; {@code lookupError} then says why) where it declares them
 * @param key       the answer's field holding the correlation key (default: the trigger's field of that name)
 * @param eventTime the answer's event-time field: the trigger's event time plus {@code delay}
 * @param target    what the rate limit counts: SQL the database; HTTP by default the URL's host and port
 * @param rate      questions per second on the target (shared with second checks on it: the lowest rate wins)
 * @param cacheTtl  an answer is reused this long for the same question
 * @param retry     waits after a failed question, one per retry; afterwards the answer says lookupFailed
 */
public record CatalogLookup(String name, String task, String when, String delay, Kind kind, String database, String sql, String url,
                            Map<String, String> fields, String answer, String key, String eventTime, String target, Integer rate,
                            String cacheTtl, List<String> retry, Boolean enabled, String origin) {

    public enum Kind { SQL, HTTP }

    public CatalogLookup {
        delay = delay == null || delay.isBlank() ? "5s" : delay;
        kind = kind == null ? Kind.SQL : kind;
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        rate = rate == null || rate <= 0 ? 20 : rate;
        cacheTtl = cacheTtl == null || cacheTtl.isBlank() ? "2s" : cacheTtl;
        retry = retry == null ? List.of("1s", "5s", "30s") : List.copyOf(retry);
        enabled = enabled == null || enabled;
        if (kind == Kind.SQL) {
            target = database;
        } else if ((target == null || target.isBlank()) && url != null) {
            target = hostOf(url);
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public CatalogLookup named(String newName, String newOrigin) {
        return new CatalogLookup(newName, task, when, delay, kind, database, sql, url, fields, answer, key, eventTime, target, rate,
                cacheTtl, retry, enabled, newOrigin);
    }

    private static String hostOf(String url) {
        try {
            java.net.URI uri = java.net.URI.create(url.replaceAll("\\{[^}]*}", "x"));
            return uri.getHost() == null ? url : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
