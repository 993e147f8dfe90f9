package io.recon.fact;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.KieBase;
import org.kie.api.definition.type.FactType;

/**
 * The fact types one task group's rules declare, with the mapping for each bound type. Built from a
 * KieBase, so a new rules version brings its own field list.
 */
public final class TaskFacts {

    private final Map<String, FactMapper> mappersByType = new HashMap<>();
    private final Map<Class<?>, Identity> identityByClass = new HashMap<>();

    private record Identity(FactType type, String idField) {
    }

    public TaskFacts(KieBase kieBase, List<FactSpec> specs) {
        for (FactSpec spec : specs) {
            FactType type = factType(kieBase, spec.type());
            mappersByType.put(spec.type(), new FactMapper(type, spec.keyField(), spec.idOrKey(), spec.eventTimeField()));
            identityByClass.put(type.getFactClass(), new Identity(type, spec.idOrKey()));
        }
    }

    public FactMapper mapper(String type) {
        FactMapper mapper = mappersByType.get(type);
        if (mapper == null) {
            throw new MappingException("no source binding maps onto fact type " + type);
        }
        return mapper;
    }

    /** "type|id" for a declared fact of a bound type, null for anything else. */
    public String identityOf(Object fact) {
        Identity identity = identityByClass.get(fact.getClass());
        if (identity == null) {
            return null;
        }
        return identity(identity.type().getName(), String.valueOf(identity.type().get(fact, identity.idField())));
    }

    public static String identity(String type, String id) {
        return type + "|" + id;
    }

    public Map<String, Object> fieldsOf(Object fact) {
        Identity identity = identityByClass.get(fact.getClass());
        return identity == null ? Map.of() : identity.type().getAsMap(fact);
    }

    private static FactType factType(KieBase kieBase, String fullName) {
        int dot = fullName.lastIndexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("fact type '" + fullName + "' must be named with its package, e.g. recon.trade.Order");
        }
        FactType type = kieBase.getFactType(fullName.substring(0, dot), fullName.substring(dot + 1));
        if (type == null) {
            throw new IllegalArgumentException("the rules declare no fact type " + fullName
                    + "; a source binding needs a type declared with 'declare' in the kjar's DRL");
        }
        return type;
    }
}
