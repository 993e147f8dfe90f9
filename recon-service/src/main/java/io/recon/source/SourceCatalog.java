package io.recon.source;

import io.recon.catalog.Catalog;
import io.recon.catalog.CatalogChanged;
import io.recon.fact.FactMapper;
import io.recon.fact.FactSpec;
import io.recon.fact.TaskFacts;
import io.recon.catalog.RuleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The enabled sources of the catalog and, per task group, the fact types the rules declare for them; rebuilt
 * whenever the catalog's sources change (before the adapters apply the change: {@link Order} 0). Refuses at start a
 * binding whose type or fields the rules do not declare, so a mistake shows before data flows.
 */
@Component
public class SourceCatalog {

    private final Catalog catalog;
    private final RuleSet rules;
    private volatile View view;

    private record View(Map<String, SourceBinding> bindings, Map<String, TaskFacts> factsByTask, Map<String, BindingShape> shapes,
                        Map<String, KeySelection> selections, Map<String, List<FactSpec>> answers) {
    }

    SourceCatalog(Catalog catalog, RuleSet rules) {
        this.catalog = catalog;
        this.rules = rules;
        this.view = build();
    }

    @EventListener
    @Order(0)
    synchronized void changed(CatalogChanged.SourceChanged change) {
        view = build();
    }

    @EventListener
    @Order(0)
    synchronized void changed(CatalogChanged.LookupChanged change) {
        view = build();
    }

    @EventListener
    @Order(0)
    synchronized void changed(CatalogChanged.TaskChanged change) {
        view = build();
    }

    /** A new rules version may give a bound type new fields: the mappers fill them from then on. */
    @EventListener
    @Order(0)
    synchronized void changed(io.recon.catalog.RuleSetChanged change) {
        view = build();
    }

    private View build() {
        Map<String, SourceBinding> bindings = new TreeMap<>();
        catalog.sources().values().stream().filter(s -> s.isEnabled()).forEach(s -> bindings.put(s.name(), SourceBinding.of(s)));
        Map<String, List<SourceBinding>> byTask = new HashMap<>();
        bindings.values().forEach(b -> byTask.computeIfAbsent(b.task(), t -> new ArrayList<>()).add(b));
        Map<String, TaskFacts> factsByTask = new HashMap<>();
        byTask.forEach((task, list) -> {
            try {
                factsByTask.put(task, new TaskFacts(rules.kieBase(task), list.stream().map(SourceBinding::factSpec).distinct().toList()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("source bindings of task '" + task + "' do not fit rules " + rules.version() + ": " + e.getMessage(), e);
            }
        });
        Map<String, BindingShape> shapes = new HashMap<>();
        bindings.forEach((name, b) -> shapes.put(name, new BindingShape(b)));
        Map<String, KeySelection> selections = new HashMap<>();
        byTask.keySet().forEach(task -> selections.put(task, KeySelection.of(catalog.task(task))));
        Map<String, List<FactSpec>> answers = new HashMap<>();
        for (io.recon.catalog.CatalogLookup l : catalog.lookups().values()) {
            FactSpec trigger = byTask.getOrDefault(l.task(), List.of()).stream().map(SourceBinding::factSpec)
                    .filter(f -> f.type().equals(l.when())).findFirst().orElse(null);
            if (l.isEnabled() && trigger != null) {
                answers.computeIfAbsent(l.task(), t -> new ArrayList<>()).add(answerSpec(l, trigger));
            }
        }
        return new View(Map.copyOf(bindings), Map.copyOf(factsByTask), Map.copyOf(shapes), Map.copyOf(selections), Map.copyOf(answers));
    }

    /** How a lookup's answers are identified: by the correlation key (one answer per key and lookup), at its event-time field. */
    public static FactSpec answerSpec(io.recon.catalog.CatalogLookup lookup, FactSpec trigger) {
        String key = lookup.key() == null || lookup.key().isBlank() ? trigger.keyField() : lookup.key();
        return new FactSpec(lookup.answer(), key, null, lookup.eventTime());
    }

    /** The trigger type's spec on a task, as its source bindings identify it; null when no source feeds it. */
    public FactSpec specOf(String task, String type) {
        return factSpecs(task).stream().filter(f -> f.type().equals(type)).findFirst().orElse(null);
    }

    public SourceBinding binding(String source) {
        return view.bindings().get(source);
    }

    public Map<String, SourceBinding> bindings() {
        return view.bindings();
    }

    public Set<String> tasks() {
        return new TreeSet<>(view.factsByTask().keySet());
    }

    /**
     * The task groups a rule set is built for when a draft names none: those sources feed, and those the catalog lists
     * without a source yet (a new task group gets its KieBase before its first binding, which needs it).
     */
    public Set<String> taskGroups() {
        Set<String> all = new TreeSet<>(tasks());
        all.addAll(catalog.tasks().keySet());
        return all;
    }

    public TaskFacts taskFacts(String task) {
        return view.factsByTask().get(task);
    }

    /** How records of each bound type of a task are identified (one spec per type). */
    public List<FactSpec> factSpecs(String task) {
        List<FactSpec> specs = new ArrayList<>(view.bindings().values().stream().filter(b -> b.task().equals(task))
                .map(SourceBinding::factSpec).distinct().toList());
        for (FactSpec answer : view.answers().getOrDefault(task, List.of())) {
            if (specs.stream().noneMatch(f -> f.type().equals(answer.type()))) {
                specs.add(answer); // a type both bound and looked up is identified as its binding says
            }
        }
        return List.copyOf(specs);
    }

    /** How records of each bound type of a task are identified, lookups' answers left out. */
    List<FactSpec> boundSpecs(String task) {
        return view.bindings().values().stream().filter(b -> b.task().equals(task)).map(SourceBinding::factSpec).distinct().toList();
    }

    public FactMapper mapper(String source) {
        View v = view;
        SourceBinding binding = v.bindings().get(source);
        return v.factsByTask().get(binding.task()).mapper(binding.type());
    }

    BindingShape shape(String source) {
        return view.shapes().get(source);
    }

    /** Which correlation keys the task takes (allow, deny, sampling). */
    KeySelection selection(String task) {
        KeySelection selection = view.selections().get(task);
        return selection != null ? selection : KeySelection.of(catalog.task(task));
    }

    public List<String> sourcesOf(String task) {
        return view.bindings().entrySet().stream().filter(e -> e.getValue().task().equals(task)).map(Map.Entry::getKey).sorted().toList();
    }
}
