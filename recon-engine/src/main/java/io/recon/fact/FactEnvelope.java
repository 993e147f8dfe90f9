package io.recon.fact;

/**
 * One record on a task group's facts topic: a fact change or a watermark. Watermarks travel in
 * the same partitions as facts so that a session's input, clock included, is one replayable log.
 *
 * @param kind        UPSERT, DELETE or WATERMARK
 * @param source      the source binding the change came from (null for watermarks)
 * @param fact        the mapped fact (null for watermarks)
 * @param committedAt when the source committed the change (epoch millis), for latency figures
 * @param watermark   for WATERMARK: the event time up to which the session clock may advance
 */
public record FactEnvelope(Kind kind, String source, MappedFact fact, long committedAt, long watermark) {

    public enum Kind { UPSERT, DELETE, WATERMARK }

    public static FactEnvelope upsert(String source, MappedFact fact, long committedAt) {
        return new FactEnvelope(Kind.UPSERT, source, fact, committedAt, 0);
    }

    public static FactEnvelope delete(String source, MappedFact fact, long committedAt) {
        return new FactEnvelope(Kind.DELETE, source, fact, committedAt, 0);
    }

    public static FactEnvelope watermark(long time) {
        return new FactEnvelope(Kind.WATERMARK, null, null, 0, time);
    }

    /** The Kafka record timestamp: event time for facts, so a partition can be searched by time. */
    public long timestamp() {
        return kind == Kind.WATERMARK ? watermark : fact.eventTime();
    }
}
