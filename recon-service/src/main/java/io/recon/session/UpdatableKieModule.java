package io.recon.session;

import java.util.Map;
import java.util.Set;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.compiler.kie.util.KieJarChangeSet;
import org.drools.modelcompiler.CanonicalKieModule;

/**
 * A built rules version as the KIE repository holds it, so that {@code KieContainer.updateToVersion}
 * keeps the facts. With the executable model every generated class (lambdas, rule methods, metadata)
 * is a {@code .class} entry that differs between two builds; Drools 10.1 takes any such change for a
 * modified fact class, reloads every declared type and drops the live facts (and then rebuilds in the
 * classic, MVEL mode). A declared type's class changes only when its declaration does, and the release
 * check refuses that for the types live facts use; so the change set here keeps a class only when it is
 * a declared type whose bytes changed. (Drools also lists every declared type as changed, bytes equal or not.)
 */
public final class UpdatableKieModule extends CanonicalKieModule {

    /** One update at a time: each swaps a fresh module into the repository, then updates its container to it. */
    private static final Object UPDATES = new Object();

    private final Set<String> declaredTypes;

    public UpdatableKieModule(CanonicalKieModule built, Set<String> declaredTypes) {
        this(built.getInternalKieModule(), built.getGeneratedClassNames(), declaredTypes);
    }

    private UpdatableKieModule(InternalKieModule module, java.util.Collection<String> generatedClassNames, Set<String> declaredTypes) {
        super(module, generatedClassNames);
        this.declaredTypes = Set.copyOf(declaredTypes);
    }

    /**
     * Updates a container to a version in place. A module caches the packages (and so the classes) it built
     * for the first container that used it; a second container updating to it would get rules bound to that
     * container's fact classes, and its own facts would no longer match them. So every update gets a fresh
     * module of the same build.
     */
    public static org.kie.api.builder.Results updateToVersion(org.kie.api.runtime.KieContainer container, org.kie.api.builder.ReleaseId id) {
        synchronized (UPDATES) {
            refresh(id);
            return container.updateToVersion(id);
        }
    }

    /**
     * A container of its own on a fresh module of the version, for an owner that will update it in place: containers
     * made from one module share its packages, and the first in-place update of one would change the others' (the
     * next one to update then fails, e.g. when the new version adds a KieBase).
     */
    public static org.kie.api.runtime.KieContainer newContainer(org.kie.api.builder.ReleaseId id) {
        synchronized (UPDATES) {
            refresh(id);
            return org.kie.api.KieServices.get().newKieContainer(id);
        }
    }

    private static void refresh(org.kie.api.builder.ReleaseId id) {
        org.kie.api.builder.KieRepository repository = org.kie.api.KieServices.get().getRepository();
        if (repository.getKieModule(id) instanceof UpdatableKieModule current) {
            repository.addKieModule(new UpdatableKieModule(current.getInternalKieModule(), current.getGeneratedClassNames(), current.declaredTypes));
        }
    }

    @Override
    public KieJarChangeSet getChanges(InternalKieModule other) {
        KieJarChangeSet changes = super.getChanges(other);
        Set<String> theirs = other instanceof UpdatableKieModule updatable ? updatable.declaredTypes : Set.of();
        KieJarChangeSet kept = new KieJarChangeSet();
        for (Map.Entry<String, org.kie.internal.builder.ResourceChangeSet> change : changes.getChanges().entrySet()) {
            String name = change.getKey();
            if (name.endsWith(".class") && !declaredTypes.contains(name) && !theirs.contains(name)) {
                continue; // generated code, not a fact class
            }
            if (name.endsWith(".class") && java.util.Arrays.equals(getBytes(name), other.getBytes(name))) {
                continue; // Drools lists every declared type as changed; only a changed declaration changes the bytes
            }
            kept.registerChanges(name, change.getValue());
        }
        return kept;
    }
}
