package io.recon.authoring.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Checks the classes a rule module compiled to, before any of them is defined: every class, method and
 * field they reference (calls, field access, {@code new}, class literals, casts, super types,
 * invokedynamic bootstraps and method handles) must be one of the module's own or on the
 * {@link MemberPolicy}; consequences, functions and fact types may not loop (no backward branch) and the
 * module's own methods may not call each other in a cycle. Each finding says which rule, function or
 * declared type it belongs to, from the shape of the executable model's output.
 */
public final class SandboxCheck {

    private final MemberPolicy policy;

    public SandboxCheck(MemberPolicy policy) {
        this.policy = policy;
    }

    /** Where generated code came from. */
    public enum OriginKind { RULE, FUNCTION, TYPE, GENERATED }

    public record Origin(OriginKind kind, String pkg, String name) {
        static final Origin GENERATED = new Origin(OriginKind.GENERATED, "", "");
    }

    /**
     * @param symbol the simple names to look for in the analyst's text (to find the line), {@code |}-separated, in
     *               order of preference; may be null
     */
    public record Finding(Origin origin, String what, String reason, String symbol) {
    }

    /** @param classes internal name (or path, with or without {@code .class}) to bytes */
    public List<Finding> check(Map<String, byte[]> classes) {
        Map<String, ClassInfo> own = new LinkedHashMap<>();
        for (byte[] bytes : classes.values()) {
            ClassInfo info = read(bytes);
            own.put(info.name, info);
        }
        Map<String, Origin> classOrigin = origins(own);
        List<Finding> findings = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (ClassInfo info : own.values()) {
            Origin origin = classOrigin.getOrDefault(info.name, Origin.GENERATED);
            for (String type : info.superTypes()) {
                if (!own.containsKey(type) && !policy.allowsClass(type)) {
                    add(findings, reported, new Finding(origin, "extends or implements " + dotted(type), MemberPolicy.why(type, null), simple(type)));
                }
            }
            for (MethodInfo method : info.methods.values()) {
                Origin where = method.function != null ? method.function : method.origin != null ? method.origin : origin;
                for (Ref ref : method.refs) {
                    String refusal = refusal(ref, own);
                    if (refusal != null) {
                        String owner = elementType(ref.owner) == null ? ref.owner : elementType(ref.owner);
                        add(findings, reported, new Finding(where, describe(ref), refusal, ref.member == null || ref.member.equals("<init>")
                                ? simple(owner) : simple(owner) + "|" + ref.member));
                    }
                }
                if (method.backwardBranch && where.kind() != OriginKind.GENERATED) {
                    add(findings, reported, new Finding(where, "a loop", "rules must terminate, so consequences and functions may not"
                            + " loop (for, while, do); work on collections with java.util's methods or streams instead", null));
                }
            }
        }
        for (List<String> cycle : cycles(own)) {
            String first = cycle.get(0);
            ClassInfo info = own.get(first.substring(0, first.indexOf('.')));
            MethodInfo method = info.methods.get(first.substring(first.indexOf('.') + 1));
            Origin where = method.function != null ? method.function : method.origin != null ? method.origin
                    : classOrigin.getOrDefault(info.name, Origin.GENERATED);
            String names = String.join(" -> ", cycle.stream().map(n -> n.substring(n.indexOf('.') + 1, n.indexOf('('))).toList());
            add(findings, reported, new Finding(where, "recursion (" + names + ")", "rules must terminate, so functions may not call"
                    + " themselves, directly or through others", where.name()));
        }
        return findings;
    }

    private static void add(List<Finding> findings, Set<String> reported, Finding finding) {
        if (reported.add(finding.origin() + "|" + finding.what())) {
            findings.add(finding);
        }
    }

    private String refusal(Ref ref, Map<String, ClassInfo> own) {
        String owner = elementType(ref.owner);
        if (owner == null) {
            return null; // a primitive array
        }
        if (ref.member == null) {
            return own.containsKey(owner) || policy.allowsClass(owner) ? null : MemberPolicy.why(owner, null);
        }
        // A member of an own class: declared there (and so checked itself), or inherited from an allowed super type.
        Deque<String> types = new ArrayDeque<>(List.of(owner));
        Set<String> seen = new HashSet<>();
        String firstOutside = null;
        while (!types.isEmpty()) {
            String type = types.poll();
            if (!seen.add(type)) {
                continue;
            }
            ClassInfo info = own.get(type);
            if (info == null) {
                if (policy.allows(type, ref.member)) {
                    return null;
                }
                firstOutside = firstOutside == null ? type : firstOutside;
                continue;
            }
            if (info.declares(ref.member)) {
                return null;
            }
            types.addAll(info.superTypes());
        }
        return MemberPolicy.why(firstOutside == null ? owner : firstOutside, ref.member);
    }

    private static String elementType(String owner) {
        if (!owner.startsWith("[")) {
            return owner;
        }
        Type element = Type.getType(owner).getElementType();
        return element.getSort() == Type.OBJECT ? element.getInternalName() : null;
    }

    private static String describe(Ref ref) {
        String owner = dotted(elementType(ref.owner) == null ? ref.owner : elementType(ref.owner));
        if (ref.member == null) {
            return owner;
        }
        return ref.member.equals("<init>") ? "new " + owner : owner + "." + ref.member;
    }

    static String dotted(String internal) {
        return internal.replace('/', '.').replace('$', '.');
    }

    private static String simple(String internal) {
        String name = internal.substring(internal.lastIndexOf('/') + 1);
        return name.substring(name.lastIndexOf('$') + 1);
    }

    /** Rule of each lambda class (from the rule method that uses it), function of each function method, fact types. */
    private static Map<String, Origin> origins(Map<String, ClassInfo> own) {
        Map<String, Origin> origins = new HashMap<>();
        for (ClassInfo info : own.values()) {
            if (info.interfaces.contains("org/drools/base/factmodel/GeneratedFact")) {
                origins.put(info.name, new Origin(OriginKind.TYPE, info.pkg(), simple(info.name)));
            }
            if (info.interfaces.contains("org/drools/model/Model")) {
                for (MethodInfo method : info.methods.values()) {
                    if ((method.access & Opcodes.ACC_STATIC) != 0 && !method.name.equals("<clinit>") && !method.name.startsWith("lambda$")
                            && !method.name.startsWith("rule_") && !method.name.startsWith("query_")) {
                        method.function = new Origin(OriginKind.FUNCTION, info.pkg(), method.name);
                    }
                }
            }
        }
        for (ClassInfo info : own.values()) {
            for (MethodInfo method : info.methods.values()) {
                if (method.ruleName != null) {
                    Origin rule = new Origin(OriginKind.RULE, method.rulePackage, method.ruleName);
                    origins.putIfAbsent(info.name, rule);
                    method.origin = rule;
                    for (Ref ref : method.refs) {
                        String owner = elementType(ref.owner);
                        // a lambda the compiler left in the rule method's own class (eval, for one) belongs to this rule
                        MethodInfo local = owner != null && owner.equals(info.name) && ref.descriptor != null
                                ? info.methods.get(ref.member + ref.descriptor) : null;
                        if (local != null && local != method && local.origin == null && local.ruleName == null) {
                            local.origin = rule;
                        }
                        if (owner != null && own.containsKey(owner) && !origins.containsKey(owner)) {
                            origins.put(owner, rule);
                        }
                    }
                }
            }
        }
        for (ClassInfo info : own.values()) {
            if (!origins.containsKey(info.name) && info.predicateRule != null) {
                origins.put(info.name, new Origin(OriginKind.RULE, info.pkg(), info.predicateRule));
            }
        }
        return origins;
    }

    /** Cycles in the call graph of the module's own methods (each reported once, by its first member). */
    private static List<List<String>> cycles(Map<String, ClassInfo> own) {
        Map<String, Set<String>> edges = new HashMap<>();
        for (ClassInfo info : own.values()) {
            for (MethodInfo method : info.methods.values()) {
                Set<String> out = new LinkedHashSet<>();
                for (Ref ref : method.refs) {
                    if (ref.descriptor != null && ref.descriptor.startsWith("(") && own.containsKey(ref.owner)
                            && own.get(ref.owner).methods.containsKey(ref.member + ref.descriptor)) {
                        out.add(ref.owner + "." + ref.member + ref.descriptor);
                    }
                }
                edges.put(info.name + "." + method.name + method.descriptor, out);
            }
        }
        List<List<String>> cycles = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : edges.keySet()) {
            if (!done.contains(start)) {
                walk(start, edges, new ArrayList<>(), new HashSet<>(), done, cycles);
            }
        }
        return cycles;
    }

    private static void walk(String node, Map<String, Set<String>> edges, List<String> path, Set<String> onPath, Set<String> done,
            List<List<String>> cycles) {
        path.add(node);
        onPath.add(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            if (onPath.contains(next)) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                cycle.add(next);
                cycles.add(cycle);
            } else if (!done.contains(next)) {
                walk(next, edges, path, onPath, done, cycles);
            }
        }
        onPath.remove(node);
        path.remove(path.size() - 1);
        done.add(node);
    }

    // ---- reading a class

    private record Ref(String owner, String member, String descriptor) {
    }

    private static final class MethodInfo {
        final int access;
        final String name;
        final String descriptor;
        final List<Ref> refs = new ArrayList<>();
        boolean backwardBranch;
        String ruleName;
        String rulePackage;
        Origin function;
        Origin origin;

        MethodInfo(int access, String name, String descriptor) {
            this.access = access;
            this.name = name;
            this.descriptor = descriptor;
        }
    }

    private static final class ClassInfo {
        String name;
        String superName;
        List<String> interfaces = List.of();
        final Map<String, MethodInfo> methods = new LinkedHashMap<>();
        final Set<String> fields = new HashSet<>();
        final List<Ref> classRefs = new ArrayList<>();
        String predicateRule;

        List<String> superTypes() {
            List<String> types = new ArrayList<>();
            if (superName != null) {
                types.add(superName);
            }
            types.addAll(interfaces);
            return types;
        }

        boolean declares(String member) {
            if (fields.contains(member)) {
                return true;
            }
            for (MethodInfo method : methods.values()) {
                if (method.name.equals(member)) {
                    return true;
                }
            }
            return false;
        }

        String pkg() {
            return name.contains("/") ? name.substring(0, name.lastIndexOf('/')).replace('/', '.') : "";
        }
    }

    private static ClassInfo read(byte[] bytes) {
        ClassInfo info = new ClassInfo();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                info.name = name;
                info.superName = superName;
                info.interfaces = interfaces == null ? List.of() : List.of(interfaces);
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                info.fields.add(name);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodInfo method = new MethodInfo(access, name, descriptor);
                info.methods.put(name + descriptor, method);
                return new MethodReader(info, method);
            }
        }, ClassReader.SKIP_FRAMES);
        return info;
    }

    private static final class MethodReader extends MethodVisitor {
        private final ClassInfo info;
        private final MethodInfo method;
        private final Set<Label> seen = new HashSet<>();
        private final Deque<String> strings = new ArrayDeque<>();

        MethodReader(ClassInfo info, MethodInfo method) {
            super(Opcodes.ASM9);
            this.info = info;
            this.method = method;
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            method.backwardBranch |= seen.contains(label);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            branches(dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            branches(dflt, labels);
        }

        private void branches(Label dflt, Label[] labels) {
            method.backwardBranch |= seen.contains(dflt);
            for (Label label : labels) {
                method.backwardBranch |= seen.contains(label);
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            method.refs.add(new Ref(owner, name, descriptor));
            // The rule methods call D.rule(package, name): the two strings just before it name the rule.
            if (name.equals("rule") && owner.startsWith("org/drools/") && strings.size() >= 2) {
                method.ruleName = strings.pop();
                method.rulePackage = strings.pop();
            }
            if (name.equals("addRuleNames") && !strings.isEmpty()) {
                String last = strings.pop();
                info.predicateRule = strings.isEmpty() ? last : strings.pop();
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            method.refs.add(new Ref(owner, name, descriptor));
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            method.refs.add(new Ref(type, null, null));
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            method.refs.add(new Ref(descriptor, null, null));
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (value instanceof String s) {
                strings.push(s);
            } else {
                constant(value);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            handle(bootstrap);
            for (Object argument : arguments) {
                constant(argument);
            }
        }

        private void constant(Object value) {
            if (value instanceof Type type) {
                if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) {
                    method.refs.add(new Ref(type.getSort() == Type.OBJECT ? type.getInternalName() : type.getDescriptor(), null, null));
                }
            } else if (value instanceof Handle handle) {
                handle(handle);
            } else if (value instanceof ConstantDynamic dynamic) {
                handle(dynamic.getBootstrapMethod());
                for (int i = 0; i < dynamic.getBootstrapMethodArgumentCount(); i++) {
                    constant(dynamic.getBootstrapMethodArgument(i));
                }
            }
        }

        private void handle(Handle handle) {
            method.refs.add(new Ref(handle.getOwner(), handle.getName(), handle.getDesc()));
        }
    }
}
