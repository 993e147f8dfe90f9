package io.recon.offline;

import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import io.recon.source.SourceRecords;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A statement file standing in for a source in a run: each row is mapped onto the source's fact type through the
 * source's file mapping (field to column); a row that cannot be is reported with its row number and reason, and the
 * run goes on. A file is in no particular order, so its facts of the period are staged in Recon's database
 * ({@code offline_staged}) and read back ordered by event time, never sorted in memory.
 */
final class FileRecords implements RecordStream {

    private static final int BATCH = 1_000;

    private final long runId;
    private final String source;
    private final JdbcTemplate jdbc;
    private final Connection connection;
    private final PreparedStatement query;
    private final ResultSet rows;
    private final long total;

    FileRecords(long runId, String source, StatementFiles.StatementFile file, StatementFiles files, FileMappings.FileMapping mapping,
                Instant from, Instant to, SourceRecords sources, JdbcTemplate jdbc, RunProgress progress) throws Exception {
        this.runId = runId;
        this.source = source;
        this.jdbc = jdbc;
        List<Object[]> batch = new ArrayList<>(BATCH);
        long[] staged = {0};
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
                batch.add(new Object[] {runId, source, time, number, FactCodec.encode(envelope)});
                staged[0]++;
                if (batch.size() == BATCH) {
                    flush(batch);
                }
            }
        });
        flush(batch);
        if (header.isEmpty()) {
            jdbc.update("delete from offline_staged where run_id = ? and source = ?", runId, source);
            throw new RunRefusal("The file " + file.name() + " has no header row");
        }
        this.total = staged[0];
        DataSource ds = jdbc.getDataSource();
        this.connection = ds.getConnection();
        connection.setAutoCommit(false); // a cursor needs a transaction
        this.query = connection.prepareStatement("select envelope from offline_staged where run_id = ? and source = ? order by event_time, seq");
        query.setFetchSize(BATCH);
        query.setLong(1, runId);
        query.setString(2, source);
        this.rows = query.executeQuery();
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

    private void flush(List<Object[]> batch) {
        if (!batch.isEmpty()) {
            jdbc.batchUpdate("insert into offline_staged (run_id, source, event_time, seq, envelope) values (?, ?, ?, ?, ?)", batch);
            batch.clear();
        }
    }

    @Override
    public SourceRecord next() throws SQLException {
        return rows.next() ? new SourceRecord(source, FactCodec.decode(rows.getBytes(1))) : null;
    }

    @Override
    public long estimatedTotal() {
        return total;
    }

    @Override
    public void close() {
        try (connection; query) {
            rows.close();
            connection.rollback();
        } catch (SQLException e) {
            // the staged rows go below either way
        }
        jdbc.update("delete from offline_staged where run_id = ? and source = ?", runId, source);
    }
}
