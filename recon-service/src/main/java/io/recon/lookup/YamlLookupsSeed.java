package io.recon.lookup;

import io.recon.catalog.CatalogLookup;
import io.recon.catalog.CatalogSeed;
import java.util.List;
import org.springframework.stereotype.Component;

/** {@code recon.lookups} of application.yml, taken into the catalog at the first start that sees them. */
@Component
class YamlLookupsSeed implements CatalogSeed {

    private final LookupsProperties.Seed seed;

    YamlLookupsSeed(LookupsProperties.Seed seed) {
        this.seed = seed;
    }

    @Override
    public List<CatalogLookup> lookups() {
        return seed.lookups().entrySet().stream().map(e -> e.getValue().named(e.getKey(), "yaml")).toList();
    }
}
