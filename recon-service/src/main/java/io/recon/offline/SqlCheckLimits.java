package io.recon.offline;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How long an SQL check may run ({@code recon.offline.sql-check.timeout}, default 60 s, PostgreSQL's statement_timeout)
 * and how many rows it may return ({@code recon.offline.sql-check.max-rows}, default 10000): a wrong join must neither
 * hold Recon's database nor fill its findings.
 */
@Component
class SqlCheckLimits {

    private final Duration timeout;
    private final int rows;

    SqlCheckLimits(@Value("${recon.offline.sql-check.timeout:60s}") Duration timeout, @Value("${recon.offline.sql-check.max-rows:10000}") int rows) {
        this.timeout = timeout;
        this.rows = rows;
    }

    Duration timeout() {
        return timeout;
    }

    int rows() {
        return rows;
    }
}
