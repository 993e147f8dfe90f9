package io.recon.source;

import io.recon.catalog.CatalogDatabase;
import io.recon.catalog.CatalogSource;
import io.recon.catalog.CatalogStatus;
import io.recon.source.cdc.CdcSource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** How the catalog's sources and databases run: the capture's state and problems, the last record seen. */
@Component
class SourceStatuses implements CatalogStatus {

    private final CdcSources cdc;
    private final SourceClocks clocks;

    SourceStatuses(@org.springframework.context.annotation.Lazy CdcSources cdc, SourceClocks clocks) {
        this.cdc = cdc;
        this.clocks = clocks;
    }

    @Override
    public Status source(CatalogSource source) {
        SourceClocks.Reading reading = clocks.reading(source.name());
        Instant last = reading == null ? null : Instant.ofEpochMilli(reading.lastSeenWall());
        if (!source.isEnabled()) {
            return new Status("STOPPED", "switched off (enabled: false); PUT it with enabled: true to read it again", last);
        }
        if (source.kind() != CatalogSource.Kind.TABLE) {
            return new Status("RUNNING", null, last);
        }
        Status capture = capture(source.database());
        return new Status(capture.status(), capture.reason(), last);
    }

    @Override
    public Status database(CatalogDatabase database) {
        return capture(database.name());
    }

    private Status capture(String database) {
        List<String> problems = cdc.problems().get(database);
        if (problems != null && !problems.isEmpty()) {
            return new Status("FAILED", String.join("; ", problems), null);
        }
        Optional<CdcSource> engine = cdc.engine(database);
        if (engine.isEmpty()) {
            return new Status("STOPPED", "no enabled source reads database " + database, null);
        }
        CdcSource.State state = engine.get().state();
        if (state == CdcSource.State.FAILED || state == CdcSource.State.STOPPED) {
            return new Status("FAILED", "the capture stopped: " + engine.get().lastError().map(Throwable::getMessage).orElse("no error given")
                    + "; it is restarted with back-off", null);
        }
        return new Status("RUNNING", null, null);
    }
}
