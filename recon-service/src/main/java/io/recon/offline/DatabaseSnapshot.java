package io.recon.offline;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One captured database as a run sees it: a read-only REPEATABLE READ transaction, so that every table of the
 * database is read as of one moment, however long the run takes. Tables are streamed from it (cursor, fetch size),
 * never loaded whole.
 */
final class DatabaseSnapshot implements AutoCloseable {

    private final String name;
    private final Connection connection;

    DatabaseSnapshot(String name, DataSource pool) throws SQLException {
        this.name = name;
        this.connection = pool.getConnection();
        try {
            connection.setAutoCommit(false); // a cursor (fetch size) needs a transaction
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try (connection) {
            connection.rollback(); // read only: nothing to keep
        } catch (SQLException e) {
            // the connection goes back to its pool either way
        }
    }
}
