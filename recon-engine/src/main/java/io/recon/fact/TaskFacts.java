package io.recon.fact;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.recon.rules.Remember;
import org.kie.api.KieBase;
import org.drools.base.rule.TypeDeclaration;
import org.drools.core.impl.InternalRuleBase;
import org.kie.api.definition.type.FactField;
import org.kie.api.definition.type.FactType;
import org.kie.api.definition.type.Role;

/**
 * The fact types one task group's rules declare, with the mapping for each bound type. Built from a
 * KieBase, so a new rules version brings its own field list.
 */
public final class TaskFacts {

    private final Map<String, FactMapper> mappersByType = new HashMap<>();
    private final Map<Class<?>, Identity> identityByClass = new HashMap<>();

    private record Identity(FactType type, String idField, long expiresAfter, List<String> remembered) {
    }


    public TaskFacts(KieBase kieBase, List<FactSpec> specs) {
        for (FactSpec spec : specs) {
            FactType type = factType(kieBase, spec.type());
            mappersByType.put(spec.type(), new FactMapper(type, spec.keyField(), spec.idOrKey(), spec.eventTimeField()));
            identityByClass.put(type.getFactClass(), new Identity(type, spec.idOrKey(), expiresAfter(kieBase, type),
                    remembered(type)));
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

    /** How long (event time) a fact of this class lives in a session: its type's @expires. */
    public long expiresAfter(Class<?> factClass) {
        Identity identity = identityByClass.get(factClass);
        return identity == null ? Long.MAX_VALUE : identity.expiresAfter();
    }

    /**
     * Every bound type must be an event that expires: sessions run for months, and a type that
     * never expires grows without bound.
     */
    private static long expiresAfter(KieBase kieBase, FactType type) {
        if (!(kieBase instanceof InternalRuleBase ruleBase)) {
            return Long.MAX_VALUE;
        }
        TypeDeclaration declaration = ruleBase.getTypeDeclaration(type.getFactClass());
        if (declaration == null || declaration.getRole() != Role.Type.EVENT) {
            throw new IllegalArgumentException("fact type " + type.getName() + " is not declared as an event: add @role( event ),"
                    + " @timestamp( <field> ) and @expires( <duration> ) to its declare");
        }
        long offset = declaration.getExpirationOffset();
        if (offset < 0 || offset == Long.MAX_VALUE || offset == TypeDeclaration.NEVER_EXPIRES) {
            throw new IllegalArgumentException("fact type " + type.getName() + " never expires: add @expires( <duration> ) to its"
                    + " declare so that sessions keep bounded state");
        }
        return offset;
    }

    /** The fields of this class's type declared {@code @Remember}, in declaration order; empty for most types. */
    public List<String> rememberedFields(Class<?> factClass) {
        Identity identity = identityByClass.get(factClass);
        return identity == null ? List.of() : identity.remembered();
    }

    private static List<String> remembered(FactType type) {
        return type.getFields().stream()
                .map(FactField::getName)
                .filter(name -> isRemembered(type.getFactClass(), name))
                .toList();
    }

    private static boolean isRemembered(Class<?> factClass, String field) {
        try {
            return factClass.getDeclaredField(field).isAnnotationPresent(Remember.class);
        } catch (NoSuchFieldException e) {
            return false; // inherited from a declared supertype: remembered where it is declared
        }
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
