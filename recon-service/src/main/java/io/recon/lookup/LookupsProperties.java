package io.recon.lookup;

import io.recon.catalog.CatalogLookup;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code recon.lookup.*}: how lookups run. {@code recon.lookups.<name>} (see {@link YamlLookupsSeed}) seeds the
 * catalog's lookups; afterwards {@code /api/lookups} holds them.
 *
 * @param poll    how often the runner looks for due lookups
 * @param threads lookups asked side by side at most (each target's rate still holds across them)
 */
@ConfigurationProperties("recon.lookup")
public record LookupsProperties(Duration poll, Integer threads) {

    public LookupsProperties {
        poll = poll == null ? Duration.ofMillis(100) : poll;
        threads = threads == null || threads <= 0 ? 4 : threads;
    }

    /** {@code recon.lookups}: entries taken into the catalog once. */
    @ConfigurationProperties("recon")
    public record Seed(Map<String, CatalogLookup> lookups) {
        public Seed {
            lookups = lookups == null ? Map.of() : Map.copyOf(lookups);
        }
    }
}
