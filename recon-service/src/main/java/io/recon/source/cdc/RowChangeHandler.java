package io.recon.source.cdc;

import java.util.List;

/**
 * Receives the captured changes, one batch at a time, in commit order.
 *
 * <p>Returning normally means "safely handed on": only then are the batch's offsets recorded. A
 * thrown exception stops the {@link CdcSource} (see {@link CdcSource#lastError()}) and the same
 * changes are delivered again after the next start, so handlers must tolerate re-delivery.
 */
@FunctionalInterface
public interface RowChangeHandler {

    void handle(List<RowChange> batch) throws Exception;
}
