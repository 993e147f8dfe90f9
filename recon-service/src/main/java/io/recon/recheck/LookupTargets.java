package io.recon.recheck;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.recon.catalog.SourceDatabasePools;
import io.recon.targets.TargetRateLimit;
import io.recon.targets.Targets;
import java.net.URI;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What second checks read: a database (a small read-only pool each) or an HTTP endpoint. Each target (a database,
 * or an HTTP host and port or named target) has its own rate limit, so that checks never crowd out the system
 * they ask; answers are cached briefly (SQL per check and key, HTTP per URL, so checks reading the same document
 * share it; a lookup of a key already in flight waits for that one's answer). Every lookup is counted in {@code recon.recheck.lookups} by check, target and result: {@code hit}
 * (answered from the cache), {@code miss} (asked the target) or {@code failed} (asked, no usable answer).
 */
@Component
class LookupTargets {

    private final SourceDatabasePools pools;
    private final RecheckProperties config;
    private final MeterRegistry meters;
    private final HttpCheck http = new HttpCheck();
    private final Targets targets;

    /** The outcome of a lookup: whether the mismatch holds and, for HTTP, what decided it. */
    record Outcome(boolean holds, String detail, boolean fromCache) {
    }

    LookupTargets(SourceDatabasePools pools, RecheckProperties config, MeterRegistry meters, Targets targets) {
        this.targets = targets;
        this.pools = pools;
        this.config = config;
        this.meters = meters;
    }

    /** @return whether the mismatch still holds according to the source's current state */
    Outcome lookup(String checkName, RecheckProperties.Check check, String key, JsonNode facts) throws InterruptedException {
        return check.kind() == RecheckProperties.Kind.HTTP ? viaHttp(checkName, check, key, facts) : viaSql(checkName, check, key);
    }

    private Outcome viaSql(String checkName, RecheckProperties.Check check, String key) throws InterruptedException {
        Targets.Answer answer;
        try {
            answer = answer("sql\u0000" + checkName + "\u0000" + key, () -> {
                try (TargetRateLimit.Permit permit = limiter(check).acquire()) {
                    Boolean holds = new NamedParameterJdbcTemplate(pools.pool(check.database(), "recheck", true))
                            .queryForObject(check.sql(), new MapSqlParameterSource("key", key), Boolean.class);
                    if (holds == null) {
                        throw new IllegalStateException("the check's SQL answered null for key " + key + "; it must answer true or false");
                    }
                    return holds;
                }
            });
        } catch (RuntimeException e) {
            count(checkName, check, "failed");
            throw e;
        }
        count(checkName, check, answer.hit() ? "hit" : "miss");
        return new Outcome((Boolean) answer.value(), null, answer.hit());
    }

    private Outcome viaHttp(String checkName, RecheckProperties.Check check, String key, JsonNode facts) throws InterruptedException {
        URI uri;
        String expected;
        try {
            uri = uri(HttpCheck.fill(check.url(), key, facts, true), key);
            expected = check.value() == null ? null : HttpCheck.fill(check.value(), key, facts, false);
        } catch (RuntimeException e) {
            count(checkName, check, "failed");
            throw e;
        }
        // the same document asked with other headers may be another answer
        String cacheKey = "http\u0000" + check.target() + "\u0000" + uri + "\u0000" + check.headers().hashCode();
        Targets.Answer answer;
        HttpCheck.Verdict verdict;
        try {
            answer = answer(cacheKey, () -> {
                try (TargetRateLimit.Permit permit = limiter(check).acquire()) {
                    return http.fetch(checkName, check, uri);
                }
            });
            verdict = HttpCheck.judge(check, (JsonNode) answer.value(), expected);
        } catch (RuntimeException e) {
            count(checkName, check, "failed");
            throw e;
        }
        count(checkName, check, answer.hit() ? "hit" : "miss");
        return new Outcome(verdict.holds(), "GET " + HttpCheck.shown(uri) + (answer.hit() ? " (cached)" : "") + ": " + verdict.evidence(),
                answer.hit());
    }

    private static URI uri(String url, String key) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            // the message would repeat the whole URL, query string included
            throw new io.recon.targets.TargetFailed("the check's url, filled for key " + key + ", is not a valid URL");
        }
    }

    private TargetRateLimit limiter(RecheckProperties.Check check) {
        return targets.limiter(check.target(), config.rateOf(check.target()));
    }

    private Targets.Answer answer(String cacheKey, Targets.Fetch fetch) throws InterruptedException {
        return targets.answer(cacheKey, config.cacheTtl(), fetch);
    }

    private void count(String checkName, RecheckProperties.Check check, String result) {
        Counter.builder("recon.recheck.lookups").description("second-check lookups by result: hit (from the cache), miss (asked), failed")
                .tag("check", checkName).tag("target", check.target()).tag("result", result).register(meters).increment();
    }
}
