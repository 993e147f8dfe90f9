package io.recon.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.drools.model.codegen.ExecutableModelProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.definition.type.FactType;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The sandbox corpus: snippets that try every known route out of a rule (issue 7, section 1) are
 * refused with the rule, file and line, and are harmless (their effect, a system property or a marker
 * file, does not happen when the service builds them); the sample rules and the README examples build.
 * A control build without the check runs the same snippets and shows that their effects are real.
 * Refused snippets go in a few builds (one per route) to keep the corpus fast.
 */
class SandboxCorpusTest {

    private static final RuleCompiler COMPILER = new RuleCompiler();
    private static String types;

    @TempDir
    static Path marks;

    /** One refused snippet: a consequence (or, with {@code when}, a condition) and whether its effect is safe to run in the control. */
    private record Probe(String route, String when, String then, boolean control) {
    }

    private static final List<Probe> PROBES = new ArrayList<>();

    private static void then(String route, String body, boolean control) {
        PROBES.add(new Probe(route, null, body, control));
    }

    private static void when(String route, String condition) {
        PROBES.add(new Probe(route, condition, null, false));
    }

    static {
        // the plain forbidden names
        then("System", "System.setProperty(PROP, \"ran\");", true);
        then("qualified", "java.lang.System.setProperty(PROP, \"ran\");", true);
        then("split over a newline", "java.lang.\n        System.setProperty(PROP, \"ran\");", true);
        then("split by a block comment", "java.lang./* hidden */System.setProperty(PROP, \"ran\");", true);
        then("split by a line comment", "java.lang. // hidden\n        System.setProperty(PROP, \"ran\");", true);
        then("spaces around dots", "java . lang . System . setProperty(PROP, \"ran\");", true);
        then("exec", "Runtime.getRuntime().exec(new String[] {\"touch\", MARK}).waitFor();", true);
        then("ProcessBuilder", "new ProcessBuilder(\"touch\", MARK).start().waitFor();", true);
        then("exit", "System.exit(3);", false);
        then("halt", "Runtime.getRuntime().halt(3);", false);
        then("getenv", "String home = System.getenv(\"HOME\");", false);
        // reflection and class loading by string name
        then("Class.forName", "Class.forName(\"java.lang.System\").getMethod(\"setProperty\", String.class, String.class).invoke(null, PROP, \"ran\");", true);
        then("getClass", "\"x\".getClass().forName(\"java.lang.System\").getMethod(\"setProperty\", String.class, String.class).invoke(null, PROP, \"ran\");", true);
        then("a class literal's methods", "System.class.getMethod(\"setProperty\", String.class, String.class).invoke(null, PROP, \"ran\");", true);
        then("Object.class reflection", "Object.class.getDeclaredFields();", false);
        then("method handles", "try { java.lang.invoke.MethodHandles.lookup().findStatic(Class.forName(\"java.lang.System\"), \"setProperty\","
                + " java.lang.invoke.MethodType.methodType(String.class, String.class, String.class)).invokeWithArguments(PROP, \"ran\");"
                + " } catch (Throwable t) { throw new IllegalStateException(t); }", true);
        then("context class loader", "Thread.currentThread().getContextClassLoader().loadClass(\"java.lang.System\")"
                + ".getMethod(\"setProperty\", String.class, String.class).invoke(null, PROP, \"ran\");", true);
        then("system class loader", "ClassLoader.getSystemClassLoader().loadClass(\"java.lang.System\")"
                + ".getMethod(\"setProperty\", String.class, String.class).invoke(null, PROP, \"ran\");", true);
        then("reflect.Array", "java.lang.reflect.Array.newInstance(String.class, 1);", false);
        then("Enum.valueOf of a class by name", "Enum.valueOf((Class) Class.forName(\"java.lang.Thread$State\"), \"NEW\");", false);
        then("Unsafe", "String name = sun.misc.Unsafe.class.getName();", false);
        then("script engine", "new javax.script.ScriptEngineManager().getEngineByName(\"js\");", false);
        // through allowed packages, by string name
        then("Integer.getInteger", "Integer.getInteger(\"user.dir\");", false);
        then("Boolean.getBoolean", "Boolean.getBoolean(\"x\");", false);
        then("Long.getLong", "Long.getLong(\"x\");", false);
        then("java.util.Formatter writes a file", "new java.util.Formatter(MARK).close();", true);
        then("java.util.Scanner reads a file", "new java.util.Scanner(new java.io.File(\"/etc/hostname\")).close();", false);
        then("java.util.Properties loads a file", "new java.util.Properties().load(new java.io.FileReader(\"/etc/hostname\"));", false);
        then("ServiceLoader", "java.util.ServiceLoader.load(java.sql.Driver.class).iterator().hasNext();", false);
        then("ResourceBundle", "java.util.ResourceBundle.getBundle(\"messages\");", false);
        then("prefs", "java.util.prefs.Preferences.userRoot().get(PROP, \"x\");", false);
        then("logging", "java.util.logging.Logger.getLogger(\"x\").severe(\"ran\");", false);
        then("a method reference to System", "java.util.Map.of(PROP, \"ran\").forEach(System::setProperty);", true);
        then("a lambda typed as a function", "java.util.function.BiFunction<String, String, String> f = System::setProperty; f.apply(PROP, \"ran\");", true);
        // files and network
        then("Files", "java.nio.file.Files.writeString(java.nio.file.Path.of(MARK), \"x\");", true);
        then("FileOutputStream", "new java.io.FileOutputStream(MARK).close();", true);
        then("File", "new java.io.File(MARK).createNewFile();", true);
        then("PrintWriter", "new java.io.PrintWriter(MARK).close();", true);
        then("RandomAccessFile", "new java.io.RandomAccessFile(MARK, \"rw\").close();", true);
        then("a library's file helper", "org.springframework.util.FileCopyUtils.copy(new byte[0], new java.io.File(MARK));", true);
        then("a library's name split over a newline", "org.\n        springframework.util.FileCopyUtils.copy(new byte[0], new java.io.File(MARK));", true);
        then("Socket", "new java.net.Socket(\"127.0.0.1\", 9).close();", false);
        then("URL", "new java.net.URL(\"http://127.0.0.1:9/\").openStream();", false);
        then("HttpClient", "java.net.http.HttpClient.newHttpClient();", false);
        then("InetAddress", "java.net.InetAddress.getByName(\"localhost\");", false);
        // threads and unbounded work
        then("Thread", "new Thread(\"probe\").start();", false);
        then("sleep", "Thread.sleep(1);", false);
        then("executors", "java.util.concurrent.Executors.newSingleThreadExecutor().shutdown();", false);
        then("Timer", "new java.util.Timer().cancel();", false);
        then("ForkJoinPool", "java.util.concurrent.ForkJoinPool.commonPool();", false);
        then("parallel stream", "java.util.List.of(1, 2).parallelStream().count();", false);
        then("unbounded stream", "java.util.stream.Stream.iterate(1, i -> i + 1).forEach(i -> { });", false);
        then("wait", "$o.wait(1);", false);
        then("notifyAll", "$o.notifyAll();", false);
        // the engine
        then("the runtime behind drools", "drools.getRuntime(org.kie.api.runtime.KieRuntime.class).halt();", false);
        then("the knowledge helper", "((org.drools.modelcompiler.consequence.DroolsImpl) drools).asKnowledgeHelper().getKieRuntime().halt();", false);
        // termination
        then("for loop", "for (int i = 0; i < 3; i++) { $o.getOrderId(); }", true);
        then("while loop", "int i = 0; while (i < 3) { i++; }", true);
        then("do loop", "int i = 0; do { i++; } while (i < 3);", true);
        then("for each", "for (String s : java.util.List.of(\"a\", \"b\")) { s.length(); }", true);
        then("endless loop", "while (true) { }", false);
        // conditions, eval, from, accumulate
        when("a constraint", "$o : Order( System.getProperty(\"user.home\") != null )");
        when("a constraint by name through Integer", "$o : Order( orderId != null, Integer.getInteger(\"x\") == null )");
        when("eval", "$o : Order()\n    eval( new java.io.File(\"/\").exists() )");
        when("from", "$o : Order()\n    $h : String() from System.getenv(\"HOME\")");
        when("inside an accumulate", "$o : Order()\n    accumulate( $x : Order( System.getenv(\"HOME\") != null ); $n : count( $x ) )");
    }

    private static String prop(int i) {
        return "sandbox.probe." + i;
    }

    private static String mark(int i) {
        return marks.resolve("probe-" + i).toString();
    }

    private static String probesDrl(boolean controlOnly) {
        StringBuilder drl = new StringBuilder("package recon.trade\nimport io.recon.rules.Mismatch\n\n");
        for (int i = 0; i < PROBES.size(); i++) {
            Probe p = PROBES.get(i);
            if (controlOnly && !p.control()) {
                continue;
            }
            drl.append("rule \"probe ").append(i).append(": ").append(p.route()).append("\"\nwhen\n    ")
                    .append(p.when() == null ? "$o : Order()" : p.when()).append("\nthen\n    ")
                    .append(p.then() == null ? "" : p.then().replace("PROP", "\"" + prop(i) + "\"").replace("MARK", "\"" + mark(i) + "\""))
                    .append("\nend\n\n");
        }
        return drl.toString();
    }

    private static final String FUNCTIONS = """
            package recon.trade

            function int countDown(int n) { return n <= 0 ? 0 : countDown(n - 1); }
            function int ping(int n) { return n <= 0 ? 0 : pong(n - 1); }
            function int pong(int n) { return ping(n); }
            function String home() { return System.getenv("HOME"); }
            function int sum(int n) { int s = 0; for (int i = 0; i < n; i++) { s += i; } return s; }

            rule "uses the functions"
            when
                $o : Order()
            then
                int x = countDown(3) + ping(2) + home().length() + sum(2);
            end
            """;

    @BeforeAll
    static void readTypes() throws IOException {
        types = Files.readString(Path.of("../rules-kjar/src/main/resources/recon/trade/types.drl"));
    }

    @AfterEach
    void noEffect() {
        for (int i = 0; i < PROBES.size() + 20; i++) {
            assertThat(System.getProperty(prop(i))).as("effect of probe " + i).isNull();
            assertThat(Files.exists(Path.of(mark(i)))).as("marker of probe " + i).isFalse();
        }
        assertThat(System.getProperty("sandbox.clinit")).isNull();
    }

    private static RuleCompiler.Build build(RuleFile... files) {
        List<RuleFile> all = new ArrayList<>(List.of(new RuleFile("recon/trade/types.drl", types)));
        all.addAll(List.of(files));
        return COMPILER.build(all, Set.of("trade"), null, false);
    }

    // ---- refused

    @Test
    void everyDrlRouteIsRefusedWithItsRuleFileAndLine() {
        assertThat(PROBES.size()).isGreaterThanOrEqualTo(60);
        String drl = probesDrl(false);
        RuleCompiler.Build build = build(new RuleFile("recon/trade/probes.drl", drl));

        assertThat(build.container()).isNull();
        assertThat(build.problems()).allSatisfy(p -> assertThat(p.kind()).as(p.toString()).isEqualTo(RuleProblem.Kind.SANDBOX));
        String[] lines = drl.split("\n");
        for (int i = 0; i < PROBES.size(); i++) {
            String rule = "Rule 'probe " + i + ": " + PROBES.get(i).route() + "'";
            List<RuleProblem> mine = build.problems().stream().filter(p -> p.message().startsWith(rule)).toList();
            assertThat(mine).as(rule + " is refused").isNotEmpty();
            RuleProblem first = mine.get(0);
            assertThat(first.file()).isEqualTo("recon/trade/probes.drl");
            int header = first.line() - 1;
            while (header > 0 && !lines[header].startsWith("rule \"")) {
                header--;
            }
            assertThat(lines[header]).as(rule + " points into its own rule: " + first).contains("\"probe " + i + ":");
            assertThat(first.message()).contains("(recon/trade/probes.drl line " + first.line() + ")").containsPattern("rules (may not|must terminate)|outside what");
        }
    }

    @Test
    void refusalsSayWhatInWords() {
        RuleCompiler.Build build = build(new RuleFile("recon/trade/probes.drl", probesDrl(false)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("a class literal's methods", "uses java.lang.Class.getMethod: rules may not use reflection");
        expected.put("FileOutputStream", "uses new java.io.FileOutputStream: rules may not read or write files");
        expected.put("java.util.Formatter writes a file", "uses new java.util.Formatter: rules may not read or write files");
        expected.put("Integer.getInteger", "uses java.lang.Integer.getInteger: rules may not read the JVM's system properties");
        expected.put("for loop", "contains a loop: rules must terminate");
        expected.put("exec", "uses java.lang.Runtime.getRuntime: rules may not use the JVM's System or Runtime");
        expected.put("Socket", "uses new java.net.Socket: rules may not use the network");
        expected.put("the knowledge helper", "KnowledgeHelper.getKieRuntime: rules may not reach into the session or the engine");
        expected.forEach((route, words) -> {
            int i = PROBES.stream().map(Probe::route).toList().indexOf(route);
            assertThat(build.problems()).as(route).anySatisfy(p -> assertThat(p.message()).startsWith("Rule 'probe " + i + ": " + route + "'").contains(words));
        });
    }

    @Test
    void recursionLoopsAndForbiddenCallsInFunctionsAreRefused() {
        RuleCompiler.Build build = build(new RuleFile("recon/trade/functions.drl", FUNCTIONS));

        assertThat(build.problems()).anySatisfy(p -> assertThat(p.message()).startsWith("Function 'countDown' (recon/trade/functions.drl line 3)")
                .contains("recursion (countDown -> countDown)"));
        assertThat(build.problems()).anySatisfy(p -> assertThat(p.message()).startsWith("Function 'p").contains("recursion (p")
                .contains("ping").contains("pong"));
        assertThat(build.problems()).anySatisfy(p -> assertThat(p.message()).startsWith("Function 'home' (recon/trade/functions.drl line 6)")
                .contains("java.lang.System.getenv"));
        assertThat(build.problems()).anySatisfy(p -> assertThat(p.message()).startsWith("Function 'sum' (recon/trade/functions.drl line 7)")
                .contains("a loop"));
    }

    @Test
    void aRuleFileInAnotherPackageGainsNothing() {
        String spring = """
                package org.springframework.probe
                import recon.trade.Order

                rule "declares a library's package"
                when
                    $o : Order()
                then
                    org.springframework.util.FileCopyUtils.copy(new byte[0], new java.io.File("MARK"));
                end
                """.replace("MARK", mark(PROBES.size()));
        String com = """
                package com.probe
                import recon.trade.Order

                rule "declares com"
                when
                    $o : Order()
                then
                    java.lang.System.setProperty("PROP", "ran");
                end
                """.replace("PROP", prop(PROBES.size() + 1));
        RuleCompiler.Build build = build(new RuleFile("org/springframework/probe/spring.drl", spring), new RuleFile("com/probe/com.drl", com));

        // a package outside every task group is refused before anything compiles: such rules would never run
        assertThat(build.container()).isNull();
        assertThat(build.problems()).anySatisfy(p -> assertThat(p.toString()).startsWith("org/springframework/probe/spring.drl:1:")
                .contains("declares package org.springframework.probe, which belongs to no task group", "'trade' in package recon.trade"));
        assertThat(build.problems()).anySatisfy(p -> assertThat(p.toString()).startsWith("com/probe/com.drl:1:")
                .contains("declares package com.probe"));

        // inside the task group's package, under a library's name, the bytecode check still refuses what they do
        RuleCompiler.Build inside = build(
                new RuleFile("recon/trade/org/springframework/spring.drl", spring.replace("package org.springframework.probe", "package recon.trade.org.springframework")),
                new RuleFile("recon/trade/com/com.drl", com.replace("package com.probe", "package recon.trade.com")));
        assertThat(inside.problems()).anySatisfy(p -> assertThat(p.toString())
                .startsWith("recon/trade/org/springframework/spring.drl:8:").contains("Rule 'declares a library's package'").contains("FileCopyUtils"));
        assertThat(inside.problems()).anySatisfy(p -> assertThat(p.toString()).startsWith("recon/trade/com/com.drl:8:").contains("Rule 'declares com'")
                .contains("System.setProperty"));
    }

    @Test
    void unicodeEscapesAreRefusedOrHarmless() {
        int n = PROBES.size() + 2;
        List<String> bodies = List.of(
                "\\u0053ystem.setProperty(\"" + prop(n) + "\", \"ran\");",
                "// \\u000a System.setProperty(\"" + prop(n + 1) + "\", \"ran\");",
                "String s = \"\\u0022; System.setProperty(\\\"" + prop(n + 2) + "\\\", \\\"ran\\\"); //\";");
        for (String body : bodies) {
            String drl = "package recon.trade\n\nrule \"escaped\"\nwhen\n    $o : Order()\nthen\n    " + body + "\nend\n";
            RuleCompiler.Build build = build(new RuleFile("recon/trade/escaped.drl", drl));
            if (build.ok()) {
                fireOnAnOrder(build.container()); // whatever the escapes became, it may run: it must not reach System
                build.container().dispose();
            } else {
                assertThat(build.problems()).as(body).isNotEmpty();
            }
        }
    }

    @Test
    void dslExpansionsAreCheckedAfterExpansion() {
        String dsl = """
                [when]There is an order=$o : Order( Boolean.getBoolean("x") == false )
                [when]There is any order=$o : Order()
                [then]note it=System.setProperty("PROP", "ran");
                """.replace("PROP", prop(PROBES.size() + 5));
        String dslr = """
                package recon.trade

                expander probe.dsl

                rule "a DSL consequence"
                when
                    There is any order
                then
                    note it
                end

                rule "a DSL condition"
                when
                    There is an order
                then
                end
                """;
        RuleCompiler.Build build = build(new RuleFile("recon/trade/probe.dsl", dsl), new RuleFile("recon/trade/probe.dslr", dslr));

        assertThat(build.problems()).anySatisfy(p -> assertThat(p.toString())
                .startsWith("recon/trade/probe.dslr:9:").contains("Rule 'a DSL consequence'").contains("System.setProperty"));
        assertThat(build.problems()).anySatisfy(p -> assertThat(p.toString())
                .startsWith("recon/trade/probe.dslr:").contains("Rule 'a DSL condition'").contains("Boolean.getBoolean"));
    }

    @Test
    void decisionTableCellsAreCheckedAndPointAtTheirRow() {
        String csv = """
                RuleSet,recon.trade,,,
                ,,,,
                RuleTable Probe,,,,
                NAME,CONDITION,CONDITION,ACTION
                ,$o : Order,$o2 : Order,
                ,"status == ""$param""\","Integer.getInteger(""$param"") == null","System.setProperty(""$param"", ""ran"");"
                Check,status,property read,property set
                A cell that sets a property,CREATED,,PROP
                A cell that reads one,PAID,x,
                """.replace("PROP", prop(PROBES.size() + 6));
        RuleCompiler.Build build = build(new RuleFile("recon/trade/probe.csv", csv));

        assertThat(build.problems()).anySatisfy(p -> assertThat(p.file() + ":" + p.line() + " " + p.message())
                .startsWith("recon/trade/probe.csv:8 Rule 'A cell that sets a property'").contains("System.setProperty").contains("row 8"));
        assertThat(build.problems()).anySatisfy(p -> assertThat(p.file() + ":" + p.line() + " " + p.message())
                .startsWith("recon/trade/probe.csv:9 ").contains("Integer.getInteger"));
    }

    // ---- imported kjars

    private static byte[] kjar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            Map<String, byte[]> all = new LinkedHashMap<>();
            all.put("META-INF/kmodule.xml", ("<kmodule xmlns=\"http://www.drools.org/xsd/kmodule\"><kbase name=\"trade\" packages=\"*\""
                    + " eventProcessingMode=\"stream\"><ksession name=\"trade\"/></kbase></kmodule>").getBytes(StandardCharsets.UTF_8));
            all.put("META-INF/maven/io.recon/rules-kjar/pom.properties", "groupId=io.recon\nartifactId=rules-kjar\nversion=9.9.9\n".getBytes());
            all.put("recon/trade/types.drl", types.getBytes(StandardCharsets.UTF_8));
            all.putAll(entries);
            for (var e : all.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** A class whose static initialiser sets a property: what a hostile kjar would carry. */
    private static byte[] classWithStaticInitialiser(String name) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitLdcInsn("sandbox.clinit");
        mv.visitLdcInsn("ran");
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "setProperty", "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;", false);
        mv.visitInsn(Opcodes.POP);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** What ReleasedKjars does with a kjar: read its sources (refusing classes when it comes from outside), rebuild, check. */
    private static List<RuleProblem> importKjar(byte[] kjar) {
        KjarSources.Sources sources = KjarSources.read(kjar, true);
        return COMPILER.compile(sources.files(), sources.tasks(), KieServices.get().newReleaseId("io.recon", "rules-kjar", "9.9." + System.nanoTime()))
                .problems();
    }

    @Test
    void anImportedKjarWithClassFilesIsRefusedAndNoneOfItsCodeRuns() throws IOException {
        byte[] kjar = kjar(Map.of("recon/trade/Order.class", classWithStaticInitialiser("recon/trade/Order"),
                "recon/trade/Helper.class", classWithStaticInitialiser("recon/trade/Helper")));

        assertThatRefused(kjar, "carries compiled code (recon/trade/");
        // The released sample's route (classes of declared types written by the kie-maven-plugin) skips them: rebuilt, never defined.
        KjarSources.Sources lenient = KjarSources.read(kjar, false);
        RuleCompiler.Build build = COMPILER.build(lenient.files(), lenient.tasks(), null, false);
        assertThat(build.problems()).isEmpty();
        fireOnAnOrder(build.container());
        build.container().dispose();
    }

    @Test
    void anImportedKjarsDslAndDslrAndDrlAreChecked() throws IOException {
        byte[] dslKjar = kjar(Map.of(
                "recon/trade/probe.dsl", ("[then]note it=System.setProperty(\"" + prop(PROBES.size() + 7) + "\", \"ran\");\n").getBytes(),
                "recon/trade/probe.dslr", "package recon.trade\nexpander probe.dsl\nrule \"imported DSL\"\nwhen\n    $o : Order()\nthen\n    note it\nend\n".getBytes()));
        assertThat(importKjar(dslKjar)).anySatisfy(p -> assertThat(p.toString()).startsWith("recon/trade/probe.dslr:7:").contains("Rule 'imported DSL'")
                .contains("System.setProperty"));

        byte[] drlKjar = kjar(Map.of("recon/trade/evil.drl", ("package recon.trade\nrule \"imported DRL\"\nwhen\n    $o : Order()\nthen\n"
                + "    new java.io.File(\"" + mark(PROBES.size() + 8) + "\").createNewFile();\nend\n").getBytes()));
        assertThat(importKjar(drlKjar)).anySatisfy(p -> assertThat(p.toString()).startsWith("recon/trade/evil.drl:6:").contains("Rule 'imported DRL'")
                .contains("rules may not read or write files"));
    }

    @Test
    void anImportedKjarWithOtherCodeOrNoKmoduleIsRefused() throws IOException {
        assertThatRefused(kjar(Map.of("recon/trade/Evil.java", "class Evil {}".getBytes())), "Evil.java, which is not a rule file");
        assertThatRefused(kjar(Map.of("lib/evil.jar", new byte[] {1, 2, 3})), "lib/evil.jar, which is not a rule file");
        assertThatRefused(kjar(Map.of("recon/trade/flow.bpmn", "<x/>".getBytes())), "flow.bpmn, which is not a rule file");
        assertThatRefused("not a zip".getBytes(), "empty or not a zip");
    }

    private static void assertThatRefused(byte[] kjar, String words) {
        try {
            importKjar(kjar);
            throw new AssertionError("the kjar was not refused");
        } catch (KjarSources.RefusedKjarException e) {
            assertThat(e.getMessage()).contains(words);
        }
    }

    // ---- allowed

    static List<RuleFile> wholeSampleKjar() throws IOException {
        Path root = Path.of("../rules-kjar/src/main/resources");
        List<RuleFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(f -> !f.endsWith("kmodule.xml")).sorted().toList()) {
                files.add(new RuleFile(root.relativize(p).toString(), Files.readString(p)));
            }
        }
        return files;
    }

    @Test
    void theWholeSampleKjarIsAllowed() throws IOException {
        RuleCompiler.Build build = COMPILER.build(wholeSampleKjar(), Set.of("trade"), null, false);

        assertThat(build.problems()).isEmpty();
        assertThat(build.container().getKieBase("trade").getKiePackage("recon.trade").getRules()).hasSizeGreaterThanOrEqualTo(10);
        build.container().dispose();
    }

    @Test
    void everyReadmeExampleIsAllowed() throws IOException {
        try (Stream<Path> examples = Files.list(Path.of("../rules-kjar/src/test/resources/readme"))) {
            List<RuleFile> files = new ArrayList<>();
            for (Path example : examples.sorted().toList()) {
                files.add(new RuleFile("recon/trade/readme-" + example.getFileName(), Files.readString(example)));
            }
            assertThat(files).hasSizeGreaterThanOrEqualTo(7);
            for (RuleFile file : files) {
                RuleCompiler.Build build = build(file);
                assertThat(build.problems()).as(file.name()).isEmpty();
                build.container().dispose();
            }
        }
    }

    @Test
    void valueCodeThatOnlyLooksDangerousIsAllowed() {
        String drl = """
                package recon.trade
                import io.recon.rules.Mismatch
                import io.recon.rules.Severity

                rule "System check: Runtime.getRuntime() in a string is text"
                when
                    $o : Order( orderId != null, amount != null, amount.compareTo(new java.math.BigDecimal("1.5")) > 0 )
                then
                    // System.exit(1) in a comment is nothing
                    String why = String.format("%s is %s", $o.getOrderId(), "Runtime.getRuntime().exec()");
                    long ms = java.time.Duration.ofSeconds(5).toMillis() + Math.max(1, 2);
                    java.math.BigDecimal rounded = $o.getAmount().setScale(2, java.math.RoundingMode.HALF_UP);
                    java.util.List<String> ids = new java.util.ArrayList<>(java.util.List.of($o.getOrderId()));
                    java.util.Collections.sort(ids);
                    insertLogical(Mismatch.of("PROBE", Severity.P3, $o.getOrderId(), why + ids + ms + rounded, $o));
                end
                """;
        RuleCompiler.Build build = build(new RuleFile("recon/trade/fine.drl", drl));

        assertThat(build.problems()).isEmpty();
        build.container().dispose();
    }

    // ---- the control: without the check, the snippets do what they say

    @Test
    void withoutTheCheckTheSnippetsHaveTheirEffect() {
        KieServices ks = KieServices.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        var id = ks.newReleaseId("io.recon", "sandbox-control", "1.0." + System.nanoTime());
        kfs.generateAndWritePomXML(id);
        kfs.write("src/main/resources/recon/trade/types.drl", types);
        kfs.write("src/main/resources/recon/trade/probes.drl", probesDrl(true));
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        assertThat(builder.getResults().getMessages(Message.Level.ERROR)).isEmpty();
        KieContainer container = ks.newKieContainer(id);
        List<Integer> ran = new ArrayList<>();
        try {
            fireOnAnOrder(container);
            for (int i = 0; i < PROBES.size(); i++) {
                if (System.getProperty(prop(i)) != null || Files.exists(Path.of(mark(i)))) {
                    ran.add(i);
                }
            }
            long effects = PROBES.stream().filter(p -> p.control() && !p.route().contains("loop") && !p.route().equals("for each")).count();
            assertThat(ran).as("probes whose effect happened without the check").hasSize((int) effects);
        } finally {
            container.dispose();
            ks.getRepository().removeKieModule(id);
            for (int i = 0; i < PROBES.size(); i++) {
                System.clearProperty(prop(i));
                try {
                    Files.deleteIfExists(Path.of(mark(i)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void fireOnAnOrder(KieContainer container) {
        KieBase base = container.getKieBase(container.getKieBaseNames().iterator().next());
        KieSession session = base.newKieSession();
        try {
            FactType order = base.getFactType("recon.trade", "Order");
            Object o = order.newInstance();
            order.set(o, "orderId", "O-1");
            order.set(o, "status", "CREATED");
            order.set(o, "amount", java.math.BigDecimal.TEN);
            session.insert(o);
            session.fireAllRules(1000);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        } finally {
            session.dispose();
        }
    }
}
