package io.recon.source;

import io.micrometer.core.instrument.MeterRegistry;
import io.recon.deadletter.DeadLetters;
import io.recon.fact.FactEnvelope;
import io.recon.fact.FactPublisher;
import io.recon.fact.MappedFact;
import io.recon.fact.MappingException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Every source adapter hands its records here: a record is mapped onto its declared fact type and
 * published to its task group's facts topic, or, when it cannot be mapped, stored as a dead letter
 * with the reason. Callers acknowledge their source only after the returned future completes.
 */
@Component
public class FactRouter {

    private final SourceCatalog catalog;
    private final FactPublisher publisher;
    private final DeadLetters deadLetters;
    private final SourceClocks clocks;
    private final MeterRegistry metrics;

    FactRouter(SourceCatalog catalog, FactPublisher publisher, DeadLetters deadLetters, SourceClocks clocks, MeterRegistry metrics) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.clocks = clocks;
        this.metrics = metrics;
    }

    public enum Change { UPSERT, DELETE }

    /** What became of one record. */
    public record Routed(Future<?> sent, String deadLetterReason) {
        public boolean accepted() {
            return deadLetterReason == null;
        }
    }

    public Routed route(String source, Change change, Map<String, ?> values, long committedAt, Supplier<String> raw) {
        SourceBinding binding = catalog.binding(source);
        if (binding == null) {
            return reject(source, "no source named '" + source + "' is bound; bound sources are " + catalog.bindings().keySet(), raw);
        }
        MappedFact fact;
        try {
            fact = catalog.mapper(source).map(values, committedAt);
        } catch (MappingException e) {
            return reject(source, "cannot map to " + binding.type() + ": " + e.getMessage(), raw);
        }
        clocks.saw(source, fact.eventTime());
        metrics.counter("recon.events.in", "source", source).increment();
        FactEnvelope envelope = change == Change.DELETE
                ? FactEnvelope.delete(source, fact, committedAt)
                : FactEnvelope.upsert(source, fact, committedAt);
        return new Routed(publisher.publish(binding.task(), envelope), null);
    }

    /** Returns once every given send is on the facts topic: only then may a source be acknowledged. */
    public void awaitAll(List<Future<?>> sent) throws ExecutionException, InterruptedException {
        publisher.flush();
        for (Future<?> future : sent) {
            future.get();
        }
    }

    /** For adapters that cannot even split their input into records (malformed JSON). */
    public void deadLetter(String source, String reason, String payload) {
        reject(source, reason, () -> payload);
    }

    private Routed reject(String source, String reason, Supplier<String> raw) {
        // an unbound name is user input: one tag value for all of them keeps the metric bounded
        metrics.counter("recon.events.dead", "source", catalog.binding(source) == null ? "(unbound)" : source).increment();
        deadLetters.record(source, reason, raw.get());
        return new Routed(FactPublisher.done(), reason);
    }
}
