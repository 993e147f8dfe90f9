package io.recon.source;

import io.recon.catalog.CatalogDatabase;
import io.recon.catalog.CatalogSeed;
import io.recon.catalog.CatalogSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code recon.sources} and {@code recon.databases} of application.yml, taken into the catalog at the first start that sees them. */
@Component
class YamlSourcesSeed implements CatalogSeed {

    private final SourcesProperties sources;
    private final SourceDatabasesProperties databases;

    YamlSourcesSeed(SourcesProperties sources, SourceDatabasesProperties databases) {
        this.sources = sources;
        this.databases = databases;
    }

    @Override
    public List<CatalogSource> sources() {
        return sources.sources().entrySet().stream().map(e -> e.getValue().toCatalog(e.getKey())).toList();
    }

    @Override
    public Map<CatalogDatabase, String> databases() {
        Map<CatalogDatabase, String> all = new LinkedHashMap<>();
        databases.databases().forEach((name, d) -> all.put(new CatalogDatabase(name, CatalogDatabase.Kind.POSTGRESQL, d.host(), d.port(),
                d.database(), d.username(), null, "yaml"), d.password()));
        return all;
    }
}
