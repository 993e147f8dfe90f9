package io.recon.stats;

import java.time.Duration;
import java.util.Arrays;

/** The bucket sizes stats come in: 5-minute buckets, rolled up to hours and days (UTC). */
enum Granularity {
    FIVE_MINUTES("5m", "5 minutes", Duration.ofMinutes(5)),
    HOUR("1h", "1 hour", Duration.ofHours(1)),
    DAY("1d", "1 day", Duration.ofDays(1));

    final String code;
    final String sqlInterval;
    final Duration length;

    Granularity(String code, String sqlInterval, Duration length) {
        this.code = code;
        this.sqlInterval = sqlInterval;
        this.length = length;
    }

    static Granularity parse(String code) {
        return Arrays.stream(values()).filter(g -> g.code.equalsIgnoreCase(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown granularity '" + code + "'; use 5m, 1h or 1d"));
    }
}
