package io.recon.catalog;

import java.util.List;
import java.util.Map;

/**
 * Entries a feature brings from application.yml. Taken once each, at the first start that sees them; afterwards the
 * catalog in the database wins.
 */
public interface CatalogSeed {

    default List<CatalogSource> sources() {
        return List.of();
    }

    default List<CatalogLookup> lookups() {
        return List.of();
    }

    default List<CatalogTask> tasks() {
        return List.of();
    }

    /** The origin the entries of this seed are listed with ({@code yaml} for application.yml). */
    default String origin() {
        return "yaml";
    }

    /**
     * Whether this seed's databases follow it at every start: an entry still of this seed's origin takes the seed's
     * host and port again. The embedded demo's databases do, because the embedded PostgreSQL picks its port anew at
     * each start; application.yml entries do not (the catalog wins).
     */
    default boolean databasesFollowSeed() {
        return false;
    }

    /** Databases with their plain-text passwords (null when none or given as passwordEnv). */
    default Map<CatalogDatabase, String> databases() {
        return Map.of();
    }
}
