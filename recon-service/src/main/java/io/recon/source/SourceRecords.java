package io.recon.source;

import io.recon.fact.FactEnvelope;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A source's records as the live path would turn them into facts, without sending anything: for runs that
 * read a source's table or topic themselves (offline runs). Same binding, shape, filter, key selection and
 * checks as {@link FactRouter}, so a record maps alike on both paths.
 */
@Component
public class SourceRecords {

    private final FactRouter router;
    private final JsonRecords json;
    private final SourceCatalog catalog;

    SourceRecords(FactRouter router, JsonRecords json, SourceCatalog catalog) {
        this.router = router;
        this.json = json;
        this.catalog = catalog;
    }

    /**
     * One record's fate: a fact ({@code envelope}), a reason it cannot become one ({@code reason}), or neither
     * (left out on purpose by the binding's filter or the task's key selection).
     */
    public record Mapped(FactEnvelope envelope, String reason) {
        public boolean skipped() {
            return envelope == null && reason == null;
        }
    }

    public Mapped upsert(String source, Map<String, ?> values, long committedAt) {
        FactRouter.Prepared prepared = router.prepare(source, FactRouter.Change.UPSERT, values, committedAt);
        return new Mapped(prepared.reason() == null ? prepared.envelope() : null, prepared.reason());
    }

    /**
     * Values already named by the fact's fields (a statement file's columns, mapped): mapped, checked and selected like
     * any record, but without the binding's renames, derived fields and filter, which speak of the table's or topic's names.
     */
    public Mapped upsertFields(String source, Map<String, ?> fieldValues) {
        FactRouter.Prepared prepared = router.prepare(source, FactRouter.Change.UPSERT, fieldValues, 0, false);
        return new Mapped(prepared.reason() == null ? prepared.envelope() : null, prepared.reason());
    }

    /** A topic message's records (one JSON object or an array of them); @throws IllegalArgumentException with the reason */
    public List<Map<String, Object>> parseJson(byte[] message) {
        return json.parse(Utf8.decode(message == null ? new byte[0] : message));
    }

    /** The sources bound to a task, each with its binding. */
    public Map<String, SourceBinding> bindingsOf(String task) {
        Map<String, SourceBinding> out = new java.util.LinkedHashMap<>();
        catalog.sourcesOf(task).forEach(name -> out.put(name, catalog.binding(name)));
        return out;
    }
}
