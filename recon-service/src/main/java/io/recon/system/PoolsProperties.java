package io.recon.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code recon.pools.*}: Recon's own database is reached through two connection pools. {@code pipeline}
 * serves the sessions, the outbox dispatcher and every other background job; {@code api} serves HTTP
 * requests. However many clients are slow, they wait for api connections and never take a session's.
 */
@ConfigurationProperties("recon.pools")
public record PoolsProperties(@DefaultValue Pool api, @DefaultValue Pool pipeline) {

    /**
     * @param size              connections at most
     * @param connectionTimeout how long a caller waits for a free connection before it gets an error
     * @param statementTimeout  PostgreSQL cancels a statement (or a lock wait) that runs longer; 0 for none.
     *                          A session whose store hangs fails with it and is restarted.
     */
    public record Pool(@DefaultValue("10") int size, @DefaultValue("10s") Duration connectionTimeout,
                       @DefaultValue("60s") Duration statementTimeout) {
    }
}
