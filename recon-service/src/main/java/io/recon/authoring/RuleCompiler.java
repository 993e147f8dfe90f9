package io.recon.authoring;

import io.recon.session.UpdatableKieModule;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.recon.authoring.sandbox.MemberPolicy;
import io.recon.authoring.sandbox.SandboxCheck;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.model.codegen.ExecutableModelProject;
import java.util.concurrent.atomic.AtomicLong;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.drools.drl.parser.lang.dsl.DSLTokenizedMappingFile;
import org.drools.drl.parser.lang.dsl.DefaultExpander;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.model.KieBaseModel;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.runtime.KieContainer;

/**
 * Builds a rule set from an analyst's files with Drools' executable model, so every constraint,
 * consequence, function and accumulate is plain bytecode at build time; checks those classes with the
 * {@link SandboxCheck} before any of them is defined, and only then creates a container. One KieBase per
 * task group, event-time stream mode. Every problem comes back with file, line and column. There is no
 * other way into the service for rules: published, imported and released versions are rebuilt here from
 * their sources ({@link KjarSources}). drools-mvel is not on the class path, so no container can ever be
 * built in the classic, interpreted mode.
 */
@org.springframework.stereotype.Component
public final class RuleCompiler {

    private static final String RESOURCES = "src/main/resources/";
    private static final AtomicLong DRAFTS = new AtomicLong();

    private final SandboxCheck sandbox = new SandboxCheck(MemberPolicy.standard());

    /**
     * The outcome of a build.
     *
     * @param problems   empty when the rule set is usable
     * @param container  the built rules (null when there are problems or only checking was asked)
     * @param kjar       the kjar's bytes, sources only (null unless asked for and built)
     * @param checkNanos time the bytecode check took (0 when it did not run)
     */
    public record Build(List<RuleProblem> problems, KieContainer container, byte[] kjar, ReleaseId releaseId, long checkNanos) {
        public Build(List<RuleProblem> problems, KieContainer container, byte[] kjar, ReleaseId releaseId) {
            this(problems, container, kjar, releaseId, 0);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Checks and compiles; the container is released to the caller, who disposes it. */
    /**
     * The task groups a draft builds when it names none: those the catalog knows, and those whose packages the draft
     * declares ({@code package recon.refunds} starts task group {@code refunds}), so mock test, publish and activation
     * agree on them.
     */
    public static Set<String> taskGroups(Set<String> known, List<RuleFile> files) {
        Set<String> all = new java.util.TreeSet<>(known);
        all.addAll(TaskPackages.declaredBy(files));
        return all;
    }

    public Build build(List<RuleFile> files, Set<String> tasks, ReleaseId releaseId, boolean keepKjar) {
        KieServices ks = KieServices.get();
        boolean draft = releaseId == null;
        ReleaseId id = draft ? ks.newReleaseId("io.recon", "rules-draft", "0.0." + DRAFTS.incrementAndGet()) : releaseId;
        Build compiled = compile(files, tasks, id);
        if (!compiled.ok()) {
            return compiled;
        }
        KieContainer container = ks.newKieContainer(id);
        byte[] kjar = keepKjar ? KjarSources.write(id, kmodule(ks, tasks).toXML(), files) : null;
        if (draft) {
            ks.getRepository().removeKieModule(id); // drafts are throw-away: keep the repository small
        }
        return new Build(List.of(), container, kjar, id, compiled.checkNanos());
    }

    /**
     * Compiles and checks into the in-memory KIE repository under {@code id}, without loading anything:
     * on any problem the module is removed again. {@code KieContainer}s of that release id (and
     * {@code updateToVersion} to it) then find it there.
     */
    public Build compile(List<RuleFile> files, Set<String> tasks, ReleaseId id) {
        Prepared prepared = prepare(files);
        List<RuleProblem> problems = new ArrayList<>(prepared.problems());
        prepared.drlByFile().forEach((name, drl) -> TaskPackages.refusal(name, drl, tasks).ifPresent(problems::add));
        if (!problems.isEmpty()) {
            return new Build(problems, null, null, null);
        }
        KieServices ks = KieServices.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(id);
        kfs.writeKModuleXML(kmodule(ks, tasks).toXML());
        // Tables and DSLR go in as the DRL they amount to (the builder does not take tables on its own here);
        // their compile errors are mapped back to the analyst's file below.
        prepared.drlByFile().forEach((name, drl) -> kfs.write(RESOURCES + name + (name.endsWith(".drl") ? "" : ".drl"), drl));
        // Scenario files travel in the kjar: activation runs them again.
        files.stream().filter(f -> f.kind() == RuleFile.Kind.SCENARIO).forEach(f -> kfs.write(RESOURCES + f.name(), f.text()));
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        for (Message message : builder.getResults().getMessages(Message.Level.ERROR)) {
            if (!"Parser returned a null Package".equals(message.getText())) { // follows every syntax error; says nothing more
                problems.add(backToSource(DroolsMessages.problem(message, files), files, prepared));
            }
        }
        if (!problems.isEmpty()) {
            ks.getRepository().removeKieModule(id);
            return new Build(problems, null, null, null);
        }
        long start = System.nanoTime();
        InternalKieModule module = (InternalKieModule) builder.getKieModule();
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String name : module.getFileNames()) {
            if (name.endsWith(".class")) {
                classes.put(name, module.getBytes(name));
            }
        }
        Map<String, RuleFile.Kind> kinds = new LinkedHashMap<>();
        files.forEach(f -> kinds.put(f.name(), f.kind()));
        SandboxLocator locator = new SandboxLocator(prepared.drlByFile(), kinds);
        sandbox.check(classes).forEach(finding -> problems.add(locator.problem(finding)));
        long checkNanos = System.nanoTime() - start;
        if (!problems.isEmpty()) {
            ks.getRepository().removeKieModule(id); // refused: nothing of it may be loaded later by its id
            return new Build(problems, null, null, null, checkNanos);
        }
        // Declared types are the generated classes that implement GeneratedFact; the rest is code.
        java.util.Set<String> declared = new java.util.HashSet<>();
        classes.forEach((name, bytes) -> {
            if (java.util.Arrays.asList(new org.objectweb.asm.ClassReader(bytes).getInterfaces()).contains("org/drools/base/factmodel/GeneratedFact")) {
                declared.add(name);
            }
        });
        ks.getRepository().addKieModule(new UpdatableKieModule((org.drools.modelcompiler.CanonicalKieModule) module, declared));
        return new Build(List.of(), null, null, id, checkNanos);
    }

    /**
     * The warnings of a rule set that builds ({@link RuleWarnings}): partners that expire before the facts they guard,
     * windows longer than their task group's replay horizon. Read from the DRL the files amount to (tables and DSLR
     * as they compile); never a reason to refuse.
     */
    public List<RuleProblem> warnings(List<RuleFile> files, Set<String> tasks, java.util.function.Function<String, java.time.Duration> horizonOfTask) {
        Prepared prepared = prepare(files);
        Map<String, RuleFile.Kind> kinds = new LinkedHashMap<>();
        files.forEach(f -> kinds.put(f.name(), f.kind()));
        return new RuleWarnings(prepared.drlByFile(), kinds, tasks, horizonOfTask).warnings();
    }

    /** File-kind problems and those of the DRL the files amount to, before compiling (the sandbox needs the build). */
    public List<RuleProblem> check(List<RuleFile> files) {
        return prepare(files).problems();
    }

    /** The DRL each rule file amounts to (tables generated, DSLR expanded), and the problems found on the way. */
    private record Prepared(List<RuleProblem> problems, Map<String, String> drlByFile) {
    }

    private Prepared prepare(List<RuleFile> files) {
        List<RuleProblem> problems = new ArrayList<>();
        Map<String, String> drlByFile = new LinkedHashMap<>();
        if (files == null || files.isEmpty()) {
            problems.add(new RuleProblem("", 0, 0, RuleProblem.Kind.COMPILE, "The rule set has no files: send at least one .drl, .xlsx, .csv or .dslr file.", null));
            return new Prepared(problems, drlByFile);
        }
        for (RuleFile file : files) {
            if (file.kind() == null) {
                problems.add(new RuleProblem(file.name(), 0, 0, RuleProblem.Kind.COMPILE, "File " + file.name()
                        + " is not a rule file: name it .drl (rules), .xlsx or .csv (decision table), .dsl and .dslr (DSL), or"
                        + " .scenario.json (a scenario test).", null));
                continue;
            }
            try {
                String drl = switch (file.kind()) {
                    case DRL -> file.text();
                    case XLSX -> new SpreadsheetCompiler().compile(new ByteArrayInputStream(file.bytes()), InputType.XLS);
                    case CSV -> new SpreadsheetCompiler().compile(new ByteArrayInputStream(file.bytes()), InputType.CSV);
                    case DSLR -> expand(file, files);
                    case DSL, SCENARIO -> null;
                };
                if (drl != null) {
                    drlByFile.put(file.name(), drl);
                }
            } catch (RuntimeException e) {
                problems.add(new RuleProblem(file.name(), 0, 0, RuleProblem.Kind.COMPILE, "File " + file.name() + " cannot be read as a "
                        + file.kind().name().toLowerCase() + " file: " + DroolsMessages.firstLine(e) + ".", e.toString()));
            }
        }
        return new Prepared(problems, drlByFile);
    }

    private static RuleProblem backToSource(RuleProblem problem, List<RuleFile> files, Prepared prepared) {
        if (prepared.drlByFile().containsKey(problem.file()) || !problem.file().endsWith(".drl")) {
            return problem;
        }
        String source = problem.file().substring(0, problem.file().length() - ".drl".length());
        RuleFile file = files.stream().filter(f -> f.name().equals(source)).findFirst().orElse(null);
        if (file == null) {
            return problem;
        }
        if (file.kind() == RuleFile.Kind.DSLR) {
            return new RuleProblem(source, problem.line(), problem.column(), problem.kind(), problem.message(), problem.detail());
        }
        RuleProblem located = new TableLocator(prepared.drlByFile().get(source)).problem(source, problem.line(), problem.column(),
                problem.message().replace(" (The line is in the DRL generated from the table; check the cells of that rule's row.)", ""));
        return new RuleProblem(located.file(), located.line(), located.column(), problem.kind(), located.message(), problem.detail());
    }

    /** A DSLR file with the .dsl files of the rule set: the DRL it stands for (line numbers kept). */
    private static String expand(RuleFile dslr, List<RuleFile> files) {
        DefaultExpander expander = new DefaultExpander();
        for (RuleFile file : files) {
            if (file.kind() == RuleFile.Kind.DSL) {
                DSLTokenizedMappingFile mapping = new DSLTokenizedMappingFile();
                try {
                    if (!mapping.parseAndLoad(new StringReader(file.text()))) {
                        throw new IllegalArgumentException("the DSL " + file.name() + " has errors: " + mapping.getErrors());
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                expander.addDSLMapping(mapping.getMapping());
            }
        }
        try {
            return expander.expand(new StringReader(dslr.text()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KieModuleModel kmodule(KieServices ks, Set<String> tasks) {
        KieModuleModel module = ks.newKieModuleModel();
        boolean first = true;
        for (String task : tasks) {
            // each task group's KieBase holds its own packages only: without them every KieBase got every package,
            // and one group's sessions ran the other groups' rules
            KieBaseModel kbase = module.newKieBaseModel(task).setEventProcessingMode(EventProcessingOption.STREAM).setDefault(first)
                    .addPackage(TaskPackages.of(task)).addPackage(TaskPackages.of(task) + ".*");
            kbase.newKieSessionModel(task).setDefault(first);
            first = false;
        }
        return module;
    }

    /** For a decision table: the cell a generated rule came from, from the comment Drools writes above it. */
    record TableLocator(String drl) {
        RuleProblem problem(String file, int line, int column, String message) {
            String[] lines = drl.split("\n", -1);
            String cell = null;
            for (int i = Math.min(line, lines.length) - 1; i >= 0 && cell == null; i--) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("rule values at ([A-Z]+[0-9]+)").matcher(lines[i]);
                if (m.find()) {
                    cell = m.group(1);
                }
            }
            String where = cell == null ? "in the table's header (RuleSet, Import, Functions)" : "in the rule of row " + cell.replaceAll("[A-Z]", "")
                    + " (cell " + cell + ")";
            return new RuleProblem(file, cell == null ? 0 : Integer.parseInt(cell.replaceAll("[A-Z]", "")), column(cell),
                    RuleProblem.Kind.SANDBOX, message + " Found " + where + ".", "generated DRL line " + line + ":" + column);
        }

        private static int column(String cell) {
            if (cell == null) {
                return 0;
            }
            int col = 0;
            for (char c : cell.replaceAll("[0-9]", "").toCharArray()) {
                col = col * 26 + (c - 'A' + 1);
            }
            return col;
        }
    }
}
