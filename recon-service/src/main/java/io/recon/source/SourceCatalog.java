package io.recon.source;

import io.recon.fact.FactMapper;
import io.recon.fact.TaskFacts;
import io.recon.release.ActiveRules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * The bound sources and, per task group, the fact types the rules declare for them. Refuses at start
 * a binding whose type or fields the rules do not declare, so a mistake shows before data flows.
 */
@Component
public class SourceCatalog {

    private final Map<String, SourceBinding> bindings;
    private final Map<String, TaskFacts> factsByTask = new HashMap<>();

    SourceCatalog(SourcesProperties properties, ActiveRules rules) {
        this.bindings = properties.sources();
        Map<String, List<SourceBinding>> byTask = new HashMap<>();
        bindings.values().forEach(b -> byTask.computeIfAbsent(b.task(), t -> new java.util.ArrayList<>()).add(b));
        byTask.forEach((task, list) -> {
            try {
                factsByTask.put(task, new TaskFacts(rules.kieBase(task), list.stream().map(SourceBinding::factSpec).distinct().toList()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("source bindings of task '" + task + "' do not fit rules " + rules.version() + ": " + e.getMessage(), e);
            }
        });
    }

    public SourceBinding binding(String source) {
        return bindings.get(source);
    }

    public Map<String, SourceBinding> bindings() {
        return bindings;
    }

    public Set<String> tasks() {
        return new TreeSet<>(factsByTask.keySet());
    }

    public TaskFacts taskFacts(String task) {
        return factsByTask.get(task);
    }

    /** How records of each bound type of a task are identified (one spec per type). */
    public List<io.recon.fact.FactSpec> factSpecs(String task) {
        return bindings.values().stream().filter(b -> b.task().equals(task)).map(SourceBinding::factSpec).distinct().toList();
    }

    public FactMapper mapper(String source) {
        SourceBinding binding = bindings.get(source);
        return factsByTask.get(binding.task()).mapper(binding.type());
    }

    public List<String> sourcesOf(String task) {
        return bindings.entrySet().stream().filter(e -> e.getValue().task().equals(task)).map(Map.Entry::getKey).sorted().toList();
    }
}
