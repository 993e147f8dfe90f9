package io.recon.source;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

@ConfigurationProperties("recon")
public record SourcesProperties(Map<String, SourceBinding> sources) {

    public SourcesProperties {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }
}
