package io.recon.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code recon.supervision.*}: how a failed session or change-data capture is restarted.
 *
 * @param initialBackoff wait before the first restart; each further failure in a row doubles it (with 20 % jitter)
 * @param maxBackoff     the longest wait between two restarts
 * @param stableAfter    a restarted session that has run this long is recovered: the back-off starts over and
 *                       the recovery is alerted
 */
@ConfigurationProperties("recon.supervision")
public record SupervisionProperties(@DefaultValue("1s") Duration initialBackoff,
                                    @DefaultValue("1m") Duration maxBackoff,
                                    @DefaultValue("10s") Duration stableAfter) {
}
