package io.recon.release;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code recon.rules}: which released kjar the service runs, and where released versions live.
 *
 * @param repository a Maven-layout directory of released kjars (the project's rules-repo/repository)
 *             (a plain string: Spring's Path conversion resolves "../x" as a resource and fails)
 */
@ConfigurationProperties("recon.rules")
public record RulesProperties(@DefaultValue("rules-repo/repository") String repository,
                              @DefaultValue("io.recon") String groupId,
                              @DefaultValue("rules-kjar") String artifactId,
                              @DefaultValue("1.0.0") String version) {
}
