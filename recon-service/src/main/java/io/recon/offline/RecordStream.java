package io.recon.offline;

/**
 * One source's records over a run's period, in event-time order. Records that cannot become facts are counted
 * with their reason ({@link RunProgress#rejected}) and left out of the stream.
 */
interface RecordStream extends AutoCloseable {

    /** @return the next record, or null at the end */
    SourceRecord next() throws Exception;

    /** How many records the stream will read at most (for progress), or -1 when unknown. */
    long estimatedTotal();

    @Override
    void close();
}
