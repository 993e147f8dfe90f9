package io.recon.catalog;

/**
 * A feature's checks of a catalog entry before it is stored; a check refuses with {@link CatalogRefusal#invalid}.
 * The catalog knows no feature: features bring their checks (the source binding against the rules and the table).
 */
public interface CatalogCheck {

    default void checkSource(CatalogSource source) {
    }

    default void checkLookup(CatalogLookup lookup) {
    }

    default void checkTask(CatalogTask before, CatalogTask after) {
    }

    default void checkDatabase(CatalogDatabase database, DatabaseAccess access) {
    }
}
