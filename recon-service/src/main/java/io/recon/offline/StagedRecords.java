package io.recon.offline;

import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One source's facts of a run that arrive in no useful order (a statement file's rows, a topic's messages), put in
 * Recon's database ({@code offline_staged}, unlogged) and read back ordered by event time through a cursor: sorted by
 * PostgreSQL, never in memory, however many there are. Closing deletes them.
 */
final class StagedRecords implements AutoCloseable {

    private static final int BATCH = 1_000;

    private final long runId;
    private final String source;
    private final JdbcTemplate jdbc;
    private final List<Object[]> batch = new ArrayList<>(BATCH);
    private long staged;
    private long seq;
    private Connection connection;
    private PreparedStatement query;
    private ResultSet rows;

    StagedRecords(long runId, String source, JdbcTemplate jdbc) {
        this.runId = runId;
        this.source = source;
        this.jdbc = jdbc;
    }

    /** @param order where it came from (a row number, an offset): breaks ties of equal event time stably */
    void add(FactEnvelope envelope, long order) {
        batch.add(new Object[] {runId, source, envelope.fact().eventTime(), order, FactCodec.encode(envelope)});
        staged++;
        if (batch.size() == BATCH) {
            flush();
        }
    }

    /** Adds in arrival order. */
    void add(FactEnvelope envelope) {
        add(envelope, seq++);
    }

    long staged() {
        return staged;
    }

    /** Ends the staging and opens the ordered read. */
    void seal() throws SQLException {
        flush();
        connection = jdbc.getDataSource().getConnection();
        connection.setAutoCommit(false); // a cursor needs a transaction
        query = connection.prepareStatement("select envelope from offline_staged where run_id = ? and source = ? order by event_time, seq");
        query.setFetchSize(BATCH);
        query.setLong(1, runId);
        query.setString(2, source);
        rows = query.executeQuery();
    }

    SourceRecord next() throws SQLException {
        return rows.next() ? new SourceRecord(source, FactCodec.decode(rows.getBytes(1))) : null;
    }

    private void flush() {
        if (!batch.isEmpty()) {
            jdbc.batchUpdate("insert into offline_staged (run_id, source, event_time, seq, envelope) values (?, ?, ?, ?, ?)", batch);
            batch.clear();
        }
    }

    @Override
    public void close() {
        Connection c = connection;
        PreparedStatement q = query;
        if (c != null) {
            try (c; q) {
                if (rows != null) {
                    rows.close();
                }
                c.rollback();
            } catch (SQLException e) {
                // the staged rows go below either way
            }
        }
        batch.clear();
        jdbc.update("delete from offline_staged where run_id = ? and source = ?", runId, source);
    }
}
