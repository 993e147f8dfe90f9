package io.recon.release;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code recon.releases}: how candidate versions are tried before activation.
 *
 * @param shadowWindow how much of the recent facts stream (event time, per partition) a shadow run replays
 */
@ConfigurationProperties("recon.releases")
public record ReleasesProperties(@DefaultValue("10m") Duration shadowWindow) {
}
