package io.recon.offline;

import io.recon.fact.FactEnvelope;
import io.recon.source.SourceRecords;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A statement file standing in for a source in a run: each row is mapped onto the source's fact type through the
 * source's file mapping (field to column); a row that cannot be is reported with its row number and reason, and the
 * run goes on. A file is in no particular order, so its facts of the period are staged ({@link StagedRecords}) and
 * read back ordered by event time, never sorted in memory.
 */
final class FileRecords implements RecordStream {

    private final StagedRecords staged;

    FileRecords(long runId, String source, StatementFiles.StatementFile file, StatementFiles files, FileMappings.FileMapping mapping,
                Instant from, Instant to, SourceRecords sources, JdbcTemplate jdbc, RunProgress progress) throws Exception {
        this.staged = new StagedRecords(runId, source, jdbc);
        try {
            List<String> header = StatementRows.read(files.path(file.id()), file.kind(), (number, cells) -> {
                if (progress.cancelled) {
                    return;
                }
                SourceRecords.Mapped mapped = map(mapping, cells, sources);
                if (mapped.reason() != null) {
                    progress.reject(source, file.name() + " row " + number, mapped.reason());
                    return;
                }
                if (mapped.skipped()) {
                    return;
                }
                FactEnvelope envelope = mapped.envelope();
                long time = envelope.fact().eventTime();
                if (time >= from.toEpochMilli() && time < to.toEpochMilli()) {
                    staged.add(envelope, number);
                }
            });
            if (header.isEmpty()) {
                throw new RunRefusal("The file " + file.name() + " has no header row");
            }
            staged.seal();
        } catch (Exception | Error e) {
            staged.close();
            throw e;
        }
    }

    /** The row's cells by field, through the mapping; a column the mapping names but the file lacks refuses the run. */
    private static SourceRecords.Mapped map(FileMappings.FileMapping mapping, Map<String, String> cells, SourceRecords sources) {
        Map<String, Object> values = new LinkedHashMap<>();
        mapping.columns().forEach((field, column) -> {
            if (!cells.containsKey(column)) {
                throw new RunRefusal("The file has no column '" + column + "' (mapped to field " + field + "); its columns are "
                        + cells.keySet());
            }
            String cell = cells.get(column);
            values.put(field, cell == null || cell.isEmpty() ? null : cell);
        });
        return sources.upsertFields(mapping.source(), values);
    }

    @Override
    public SourceRecord next() throws SQLException {
        return staged.next();
    }

    @Override
    public long estimatedTotal() {
        return staged.staged();
    }

    @Override
    public void close() {
        staged.close();
    }
}
