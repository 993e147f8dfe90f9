package io.recon.catalog;

import java.time.Instant;

/** What a feature knows about a running catalog entry, for the API's status, reason and lastEventAt. */
public interface CatalogStatus {

    record Status(String status, String reason, Instant lastEventAt) {
    }

    /** null when this feature does not run the source. */
    default Status source(CatalogSource source) {
        return null;
    }

    /** null when this feature does not run the database. */
    default Status database(CatalogDatabase database) {
        return null;
    }
}
