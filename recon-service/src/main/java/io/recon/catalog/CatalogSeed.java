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

    default List<CatalogTask> tasks() {
        return List.of();
    }

    /** Databases with their plain-text passwords (null when none or given as passwordEnv). */
    default Map<CatalogDatabase, String> databases() {
        return Map.of();
    }
}
