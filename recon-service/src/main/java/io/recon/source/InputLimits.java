package io.recon.source;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code recon.input}: what a record may be and still become a fact. A record beyond a limit is kept
 * as a dead letter that names the field; the source and the sessions go on.
 *
 * @param maxFuture how far an event time may run ahead of this service's clock (default 5m). Beyond
 *                  it the record is a dead letter: a clock that far ahead would close every window
 *                  of its session early, and Kafka refuses record times more than an hour ahead.
 *                  A record refused for this can be retried once its time is near.
 * @param maxKey    longest correlation key in UTF-8 bytes (default 512): the mismatch store's unique
 *                  index (task, key, type) holds at most ~2.7 kB per entry
 * @param maxFact   largest mapped fact on the facts topic (default 900KB, under Kafka's 1 MB request size)
 * @param maxBody   largest body of {@code POST /api/events/{source}} (default 2MB); larger bodies are
 *                  answered 413 and their start kept as a dead letter
 * @param maxNesting deepest JSON nesting accepted (default 32): business events are flat
 */
@ConfigurationProperties("recon.input")
public record InputLimits(Duration maxFuture, DataSize maxKey, DataSize maxFact, DataSize maxBody, Integer maxNesting) {

    public InputLimits {
        maxFuture = maxFuture == null ? Duration.ofMinutes(5) : maxFuture;
        maxKey = maxKey == null ? DataSize.ofBytes(512) : maxKey;
        maxFact = maxFact == null ? DataSize.ofKilobytes(900) : maxFact;
        maxBody = maxBody == null ? DataSize.ofMegabytes(2) : maxBody;
        maxNesting = maxNesting == null ? 32 : maxNesting;
    }

    public static InputLimits defaults() {
        return new InputLimits(null, null, null, null, null);
    }

    int maxKeyBytes() {
        return (int) Math.min(Integer.MAX_VALUE, maxKey.toBytes());
    }

    int maxFactBytes() {
        return (int) Math.min(Integer.MAX_VALUE, maxFact.toBytes());
    }

    int maxBodyBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 8, maxBody.toBytes());
    }
}
