package io.recon.catalog;

/**
 * What the catalog announces after a write has been stored: features listen and apply it. {@code before} is null
 * for a new entry, {@code after} null for a deleted one. Published in the writing thread, so that the write's
 * answer comes once every feature has applied it.
 */
public sealed interface CatalogChanged {

    String name();

    record SourceChanged(String name, CatalogSource before, CatalogSource after, boolean snapshot) implements CatalogChanged {
    }

    record LookupChanged(String name, CatalogLookup before, CatalogLookup after) implements CatalogChanged {
    }

    record TaskChanged(String name, CatalogTask before, CatalogTask after) implements CatalogChanged {
    }

    /**
     * @param dropSlot     a deleted database's replication slot is to be dropped too
     * @param beforeAccess how the database was reached before the change (to drop its slot); null for a new one
     */
    record DatabaseChanged(String name, CatalogDatabase before, CatalogDatabase after, boolean dropSlot, DatabaseAccess beforeAccess)
            implements CatalogChanged {
        @Override
        public String toString() {
            return "DatabaseChanged[" + name + ", dropSlot=" + dropSlot + "]";
        }
    }
}
