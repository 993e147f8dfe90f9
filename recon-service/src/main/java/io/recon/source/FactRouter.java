package io.recon.source;

import io.micrometer.core.instrument.MeterRegistry;
import io.recon.deadletter.DeadLetters;
import io.recon.fact.FactCodec;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactMapper;
import io.recon.fact.FactPublisher;
import io.recon.fact.MappedFact;
import io.recon.fact.MappingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.springframework.stereotype.Component;

/**
 * Every source adapter hands its records here: a record is mapped onto its declared fact type,
 * checked ({@link RecordChecks}) and published to its task group's facts topic, or, when it cannot
 * be, stored as a dead letter with the reason. Callers acknowledge their source only after
 * {@link #awaitAll} returned. Nothing a record holds may stop a source: whatever goes wrong with one
 * record is that record's dead letter.
 */
@Component
public class FactRouter {

    private final SourceCatalog catalog;
    private final FactPublisher publisher;
    private final DeadLetters deadLetters;
    private final SourceClocks clocks;
    private final MeterRegistry metrics;
    private final RecordChecks checks;

    FactRouter(SourceCatalog catalog, FactPublisher publisher, DeadLetters deadLetters, SourceClocks clocks, MeterRegistry metrics,
               InputLimits limits) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.clocks = clocks;
        this.metrics = metrics;
        this.checks = new RecordChecks(limits);
    }

    public enum Change { UPSERT, DELETE }

    /** A record mapped and checked, ready to send; or why it cannot become a fact; or (no envelope, no reason) left out on purpose. */
    record Prepared(String source, String task, FactEnvelope envelope, byte[] encoded, boolean toAllPartitions, String reason) {
    }

    /** What became of one record; {@link #sent} is empty for a dead letter. */
    public record Routed(List<Future<?>> sent, String deadLetterReason, Prepared prepared, Supplier<String> raw) {
        public boolean accepted() {
            return deadLetterReason == null;
        }
    }

    public Routed route(String source, Change change, Map<String, ?> values, long committedAt, Supplier<String> raw) {
        Prepared prepared = prepare(source, change, values, committedAt);
        if (prepared.reason() != null) {
            return reject(source, prepared.reason(), raw, change, committedAt);
        }
        return new Routed(send(prepared), null, prepared, raw);
    }

    /** Maps and checks without sending or recording anything (a re-drive decides what to do with a failure). */
    Prepared prepare(String source, Change change, Map<String, ?> values, long committedAt) {
        return prepare(source, change, values, committedAt, true);
    }

    /** @param shape false for values already named by fact field (a statement file's mapped columns): no renames, derived fields or filter */
    Prepared prepare(String source, Change change, Map<String, ?> values, long committedAt, boolean shape) {
        SourceBinding binding = catalog.binding(source);
        if (binding == null) {
            return failed(source, "no source named '" + source + "' is bound; bound sources are " + catalog.bindings().keySet());
        }
        try {
            FactMapper mapper = catalog.mapper(source);
            Map<String, ?> shaped = binding.plain() || !shape ? values : catalog.shape(source).apply(values, change == Change.UPSERT);
            if (shaped == null) {
                return skipped(source, binding, "filter");
            }
            Prepared prepared = change == Change.DELETE ? prepareDelete(source, binding, mapper, shaped, committedAt)
                    : prepareUpsert(source, binding, mapper, shaped, committedAt);
            if (prepared.reason() == null && !catalog.selection(binding.task()).takes(prepared.envelope().fact().key())) {
                return skipped(source, binding, "key");
            }
            return prepared;
        } catch (IllegalArgumentException e) {
            return failed(source, "cannot map to " + binding.type() + ": " + e.getMessage());
        } catch (MappingException e) {
            return failed(source, "cannot map to " + binding.type() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // a record must never stop its source, whatever it holds
            return failed(source, "cannot map to " + binding.type() + ": unexpected " + e);
        }
    }

    private Prepared prepareUpsert(String source, SourceBinding binding, FactMapper mapper, Map<String, ?> values, long committedAt) {
        MappedFact fact = mapper.map(values, committedAt);
        FactEnvelope envelope = FactEnvelope.upsert(source, fact, committedAt);
        byte[] encoded = FactCodec.encode(envelope);
        String reason = checks.check(mapper, fact, encoded, System.currentTimeMillis());
        if (reason != null) {
            return failed(source, "cannot take this " + binding.type() + " record: " + reason);
        }
        return new Prepared(source, binding.task(), envelope, encoded, false, null);
    }

    /**
     * A retraction needs only the record's id. Without its correlation key (a source that sends only
     * the primary key of a deleted row) it goes to every partition: the session holding the fact
     * retracts it, the others have nothing to do.
     */
    private Prepared prepareDelete(String source, SourceBinding binding, FactMapper mapper, Map<String, ?> values, long committedAt) {
        MappedFact identity;
        try {
            identity = mapper.identify(values, committedAt);
        } catch (MappingException e) {
            return failed(source, "cannot retract a " + binding.type() + ": " + e.getMessage() + " (the delete carries the fields "
                    + values.keySet() + "); the fact stays until it expires. For a captured table run ALTER TABLE "
                    + binding.table() + " REPLICA IDENTITY FULL so that deletes carry the old row");
        }
        long now = System.currentTimeMillis();
        long time = identity.eventTime();
        if (time < 0 || time > now + 60_000) {
            time = Math.max(0, Math.min(committedAt, now)); // a retraction must not refuse a time the fact itself could not have
        }
        MappedFact fact = new MappedFact(identity.type(), identity.id(), identity.key(), time, Map.of());
        FactEnvelope envelope = FactEnvelope.delete(source, fact, committedAt);
        return new Prepared(source, binding.task(), envelope, FactCodec.encode(envelope), identity.key() == null, null);
    }

    /** The correlation key the values carry, or null when they carry none that maps. */
    String keyOf(String source, Map<String, ?> values) {
        try {
            return catalog.binding(source) == null ? null : catalog.mapper(source).identify(values, 0).key();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A record the binding's filter or the task's key selection (allow, deny, sampling) leaves out: it becomes no fact
     * and no dead letter, and its source is acknowledged as for any other record.
     */
    private Prepared skipped(String source, SourceBinding binding, String why) {
        metrics.counter("recon.events.skipped", "source", source, "by", why).increment();
        return new Prepared(source, binding.task(), null, null, false, null);
    }

    List<Future<?>> send(Prepared prepared) {
        FactEnvelope envelope = prepared.envelope();
        if (envelope == null) {
            return List.of(); // skipped
        }
        metrics.counter("recon.events.in", "source", prepared.source()).increment();
        if (prepared.toAllPartitions()) {
            return publisher.publishToAll(prepared.task(), envelope, prepared.encoded());
        }
        return List.of(publisher.publish(prepared.task(), envelope, prepared.encoded()));
    }

    /**
     * Returns once every given send is on the facts topic: only then may a source be acknowledged.
     * A record Kafka refuses for what it holds becomes a dead letter here (its reason is returned at
     * its index); any other failure (the broker unreachable) is thrown, so that the source retries.
     */
    public List<String> awaitAll(List<Routed> routed) throws ExecutionException, InterruptedException {
        return awaitAll(routed, true);
    }

    /** @param keepRefused false for a re-drive: the dead letter being re-driven keeps the reason, no second one is made */
    List<String> awaitAll(List<Routed> routed, boolean keepRefused) throws ExecutionException, InterruptedException {
        publisher.flush();
        List<String> refused = new ArrayList<>(routed.size());
        for (Routed r : routed) {
            String reason = null;
            for (Future<?> future : r.sent()) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (!refusedForContent(e.getCause())) {
                        throw e;
                    }
                    reason = "Kafka refused the fact mapped from this record: " + e.getCause().getMessage();
                }
            }
            if (reason != null && keepRefused) {
                Prepared p = r.prepared();
                reject(p.source(), reason, r.raw(), p.envelope().kind() == FactEnvelope.Kind.DELETE ? Change.DELETE : Change.UPSERT,
                        p.envelope().committedAt());
            }
            refused.add(reason);
        }
        // The clocks hear of a batch only once all of it is on the facts topic, never fact by fact as each send
        // completes: after the broker returned, a batch to one partition could fail (the source then sends it again,
        // later) while one to another partition of the same batch was stored; counting that one moved the source's
        // clock past a fact not yet on the topic, and the watermark closed windows on it (MISSING that healed).
        for (int i = 0; i < routed.size(); i++) {
            Prepared p = routed.get(i).prepared();
            if (refused.get(i) == null && p != null && p.envelope() != null && p.envelope().kind() == FactEnvelope.Kind.UPSERT) {
                clocks.saw(p.source(), p.envelope().fact().eventTime());
            }
        }
        return refused;
    }

    private static boolean refusedForContent(Throwable cause) {
        return cause instanceof RecordTooLargeException || cause instanceof InvalidTimestampException
                || cause instanceof InvalidRecordException;
    }

    /** For adapters that cannot even split their input into records (malformed JSON). */
    public void deadLetter(String source, String reason, String payload) {
        count(source);
        deadLetters.record(source, reason, payload, DeadLetters.Kind.MESSAGE, null);
    }

    /** For input that is not even text: kept as the bytes received ({@code received} may exceed what is given). */
    public void deadLetter(String source, String reason, byte[] payload, long received, Long committedAt) {
        count(source);
        deadLetters.record(source, reason, payload, received, DeadLetters.Kind.MESSAGE, committedAt);
    }

    /** For a change that carries nothing to map but must be seen (a TRUNCATE). */
    void notice(String source, String reason, String payload, long committedAt) {
        count(source);
        deadLetters.record(source, reason, payload, DeadLetters.Kind.NOTICE, committedAt);
    }

    /** For a record an adapter refuses before mapping (a captured change that no longer fits its table's shape). */
    Routed deadLetterRecord(String source, String reason, Supplier<String> raw, Change change, long committedAt) {
        return reject(source, reason, raw, change, committedAt);
    }

    private Routed reject(String source, String reason, Supplier<String> raw, Change change, long committedAt) {
        count(source);
        deadLetters.record(source, reason, raw.get(), change == Change.DELETE ? DeadLetters.Kind.DELETE : DeadLetters.Kind.UPSERT, committedAt);
        return new Routed(List.of(), reason, null, raw);
    }

    private void count(String source) {
        // an unbound name is user input: one tag value for all of them keeps the metric bounded
        metrics.counter("recon.events.dead", "source", catalog.binding(source) == null ? "(unbound)" : source).increment();
    }

    private static Prepared failed(String source, String reason) {
        return new Prepared(source, null, null, null, false, reason);
    }
}
