package io.recon.offline;

import io.recon.fact.FactEnvelope;

/** A source's record on its way into a run: the fact it maps to, ordered by its event time. */
record SourceRecord(String source, FactEnvelope envelope) {

    long eventTime() {
        return envelope.fact().eventTime();
    }
}
