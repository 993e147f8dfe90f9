package io.recon.lookup;

import io.micrometer.core.instrument.MeterRegistry;
import io.recon.catalog.CatalogLookup;
import io.recon.catalog.SourceDatabasePools;
import io.recon.targets.HttpGet;
import io.recon.targets.TargetFailed;
import io.recon.targets.TargetRateLimit;
import io.recon.targets.Targets;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Asks a lookup's target, through the shared {@link Targets} (the target's rate limit, whoever else asks it, and the
 * brief cache) on a read-only pool of its own: SQL takes the first row, HTTP the JSON answer (404: nothing found).
 * Counted in {@code recon.lookup.asked} by lookup and result: hit (from the cache), miss (asked) or failed.
 */
@Component
class LookupAsking {

    /** What the target said: the values found, or none (no row, HTTP 404). */
    record Found(Map<String, Object> values, boolean found, boolean fromCache) {
    }

    private static final Map<String, Object> NOTHING = Map.of();

    private final SourceDatabasePools pools;
    private final Targets targets;
    private final MeterRegistry meters;
    private final HttpGet http = new HttpGet();

    LookupAsking(SourceDatabasePools pools, Targets targets, MeterRegistry meters) {
        this.pools = pools;
        this.targets = targets;
        this.meters = meters;
    }

    @SuppressWarnings("unchecked")
    Found ask(CatalogLookup lookup, String key, Map<String, Object> trigger) throws InterruptedException {
        Duration ttl = DurationStyle.detectAndParse(lookup.cacheTtl());
        try {
            Targets.Answer answer;
            if (lookup.kind() == CatalogLookup.Kind.SQL) {
                MapSqlParameterSource params = LookupQuestion.bind(lookup, key, trigger);
                answer = targets.answer("lookup-sql\u0000" + lookup.name() + "\u0000" + params.getValues(), ttl, () -> {
                    try (TargetRateLimit.Permit permit = targets.limiter(lookup.target(), lookup.rate()).acquire()) {
                        JdbcTemplate jdbc = new JdbcTemplate(pools.pool(lookup.database(), "lookup", true));
                        jdbc.setMaxRows(1);
                        jdbc.setQueryTimeout(10);
                        List<Map<String, Object>> rows = new NamedParameterJdbcTemplate(jdbc).queryForList(lookup.sql(), params);
                        return rows.isEmpty() ? NOTHING : new LinkedHashMap<>(rows.get(0));
                    }
                });
            } else {
                URI uri = uri(LookupQuestion.url(lookup, key, trigger));
                answer = targets.answer("lookup-http\u0000" + lookup.target() + "\u0000" + uri, ttl, () -> {
                    try (TargetRateLimit.Permit permit = targets.limiter(lookup.target(), lookup.rate()).acquire()) {
                        return http.fetch("lookup-" + lookup.name(), uri, Map.of(), Duration.ofSeconds(2), Duration.ofSeconds(5));
                    } catch (TargetFailed e) {
                        if (e.status() == 404) {
                            return NOTHING;
                        }
                        throw e;
                    }
                });
            }
            count(lookup, answer.hit() ? "hit" : "miss");
            Object value = answer.value();
            if (value == NOTHING) {
                return new Found(Map.of(), false, answer.hit());
            }
            Map<String, Object> values = value instanceof JsonNode json ? LookupQuestion.pick(lookup, json)
                    : LookupQuestion.fromRow(lookup, (Map<String, Object>) value);
            return new Found(values, true, answer.hit());
        } catch (RuntimeException e) {
            count(lookup, "failed");
            throw e;
        }
    }

    private static URI uri(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            // the message would repeat the whole URL, query string included
            throw new TargetFailed("the lookup's url, filled from its trigger, is not a valid URL");
        }
    }

    private void count(CatalogLookup lookup, String result) {
        meters.counter("recon.lookup.asked", "lookup", lookup.name(), "target", String.valueOf(lookup.target()), "result", result).increment();
    }
}
