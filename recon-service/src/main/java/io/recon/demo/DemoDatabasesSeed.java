package io.recon.demo;

import io.recon.catalog.CatalogDatabase;
import io.recon.catalog.CatalogSeed;
import io.recon.system.embedded.EmbeddedPostgres;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's shop, pay and wms databases as catalog entries (origin {@code demo}), so that they are listed, offered to
 * new table sources and changed like any other captured database. They live in the embedded PostgreSQL, which picks
 * a free port at each start: their host and port follow it (see {@link CatalogSeed#databasesFollowSeed()}).
 */
class DemoDatabasesSeed implements CatalogSeed {

    private final EmbeddedPostgres postgres;

    DemoDatabasesSeed(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    @Override
    public String origin() {
        return "demo";
    }

    @Override
    public boolean databasesFollowSeed() {
        return true;
    }

    @Override
    public Map<CatalogDatabase, String> databases() {
        Map<CatalogDatabase, String> all = new LinkedHashMap<>();
        for (String name : DemoSystems.DATABASES) {
            all.put(new CatalogDatabase(name, CatalogDatabase.Kind.POSTGRESQL, postgres.host(), postgres.port(), name, postgres.username(),
                    null, origin()), postgres.password());
        }
        return all;
    }
}
