package io.recon.lookup;

import io.recon.catalog.Catalog;
import io.recon.catalog.CatalogCheck;
import io.recon.catalog.CatalogLookup;
import io.recon.catalog.CatalogRefusal;
import io.recon.fact.FactSpec;
import io.recon.fact.TaskFacts;
import io.recon.catalog.RuleSet;
import io.recon.source.SourceCatalog;
import io.recon.targets.JsonPaths;
import io.recon.targets.SelectPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.kie.api.KieBase;
import org.kie.api.definition.type.FactField;
import org.kie.api.definition.type.FactType;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * What a lookup must be before the catalog takes it, each refusal a sentence that says what to fix: the task's active
 * rules declare the trigger and answer types; a source feeds the trigger; the SQL is one SELECT on a known database
 * (the shared {@link SelectPolicy}) or the URL an http(s) URL; every parameter names a field the trigger has; the
 * answer's key, event time and filled fields are declared.
 */
@Component
class LookupChecks implements CatalogCheck {

    private static final SelectPolicy POLICY = new SelectPolicy("The lookup's sql");
    private static final Set<Class<?>> TIME_TYPES = Set.of(long.class, Long.class, Instant.class);

    private final RuleSet rules;
    private final SourceCatalog sources;
    private final Catalog catalog;

    LookupChecks(RuleSet rules, SourceCatalog sources, Catalog catalog) {
        this.rules = rules;
        this.sources = sources;
        this.catalog = catalog;
    }

    @Override
    public void checkLookup(CatalogLookup l) {
        String what = "Lookup " + l.name();
        require(notBlank(l.task()), what + " needs the task group whose facts trigger it (\"task\", e.g. \"trade\").", "task");
        require(notBlank(l.when()), what + " needs the fact type that triggers it, with its package (\"when\", e.g. \"recon.trade.Payment\").", "when");
        require(notBlank(l.answer()), what + " needs the fact type its answer becomes (\"answer\", e.g. \"recon.trade.OrderLookup\").", "answer");
        require(!l.answer().equals(l.when()), what + ": the answer type must differ from the trigger type, or each answer would"
                + " trigger the lookup again.", "answer");
        require(notBlank(l.eventTime()), what + " needs the answer's event-time field (\"eventTime\"): it is set to the trigger's event"
                + " time plus the delay.", "eventTime");
        for (String[] d : new String[][] {{l.delay(), "delay"}, {l.cacheTtl(), "cacheTtl"}}) {
            duration(what, d[0], d[1]);
        }
        l.retry().forEach(r -> duration(what, r, "retry"));
        KieBase kieBase;
        try {
            kieBase = rules.kieBase(l.task());
        } catch (IllegalStateException e) {
            throw CatalogRefusal.invalid(what + ": " + e.getMessage() + "; a lookup belongs to a task group of the active rules.", "task");
        }
        FactType trigger = type(kieBase, l.when(), what, "when");
        FactType answer = type(kieBase, l.answer(), what, "answer");
        FactSpec triggerSpec = sources.specOf(l.task(), l.when());
        require(triggerSpec != null,
                what + ": no source of task " + l.task() + " feeds " + l.when() + ", so nothing would trigger it; bind a source to it"
                        + " first (GET /api/sources lists them).", "when");
        FactSpec answerSpec = SourceCatalog.answerSpec(l, triggerSpec);
        try {
            new TaskFacts(kieBase, List.of(answerSpec)).mapper(l.answer());
        } catch (IllegalArgumentException e) {
            throw CatalogRefusal.invalid(what + ": " + e.getMessage() + " (rules " + rules.version() + ").", l.key() == null ? "answer"
                    : e.getMessage().contains("correlation key") ? "key" : e.getMessage().contains("event time") ? "eventTime" : "answer");
        }
        Class<?> time = answer.getField(l.eventTime()).getType();
        require(TIME_TYPES.contains(time), what + ": the event time " + l.eventTime() + " of " + l.answer() + " is a " + time.getSimpleName()
                + "; it must be a long (epoch milliseconds) or an Instant.", "eventTime");
        List<String> declared = answer.getFields().stream().map(FactField::getName).toList();
        for (String field : l.fields().keySet()) {
            require(declared.contains(field), what + ": fields names " + field + ", which " + l.answer() + " does not declare; declared"
                    + " fields: " + declared + ".", "fields");
        }
        List<String> triggerFields = trigger.getFields().stream().map(FactField::getName).toList();
        if (l.kind() == CatalogLookup.Kind.SQL) {
            require(notBlank(l.database()) && catalog.database(l.database()).isPresent(), what + ": database '" + l.database()
                    + "' is not in the catalog; name one of " + catalog.databases().keySet() + " or register it (PUT /api/databases/{name}).",
                    "database");
            require(notBlank(l.sql()), what + " is an SQL lookup and needs one SELECT in \"sql\".", "sql");
            try {
                POLICY.vet(l.sql(), SelectPolicy.Tables.anyButSystem());
            } catch (SelectPolicy.Refused e) {
                throw CatalogRefusal.invalid(what + ": " + e.getMessage() + ".", "sql");
            }
        } else {
            require(notBlank(l.url()) && (l.url().startsWith("http://") || l.url().startsWith("https://")), what + " is an HTTP lookup"
                    + " and needs a \"url\" starting with http:// or https://.", "url");
            l.fields().forEach((field, path) -> {
                try {
                    JsonPaths.pointer(path);
                } catch (IllegalArgumentException e) {
                    throw CatalogRefusal.invalid(what + ": fields." + field + ": " + e.getMessage() + ".", "fields");
                }
            });
        }
        for (String parameter : LookupQuestion.parameters(l)) {
            require(parameter.equals("key") || triggerFields.contains(parameter), what + ": " + (l.kind() == CatalogLookup.Kind.SQL
                    ? ":" + parameter : "{" + parameter + "}") + " names no field of " + l.when() + "; its fields are " + triggerFields
                    + " (and key, the correlation key).", l.kind() == CatalogLookup.Kind.SQL ? "sql" : "url");
        }
    }

    private static FactType type(KieBase kieBase, String name, String what, String field) {
        int dot = name.lastIndexOf('.');
        FactType type = dot < 0 ? null : kieBase.getFactType(name.substring(0, dot), name.substring(dot + 1));
        require(type != null, what + ": the active rules declare no fact type " + name + " in this task group; declare it (with its"
                + " package) or name a declared one.", field);
        return type;
    }

    private static void duration(String what, String text, String field) {
        try {
            DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException e) {
            throw CatalogRefusal.invalid(what + ": " + field + " '" + text + "' is not a duration; write it like 5s, 2m or 500ms.", field);
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void require(boolean ok, String message, String field) {
        if (!ok) {
            throw CatalogRefusal.invalid(message, field);
        }
    }
}
