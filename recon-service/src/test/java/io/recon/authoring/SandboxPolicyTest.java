package io.recon.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Analyst rules may not reach outside the session: every forbidden construct is refused, with where it is. */
class SandboxPolicyTest {

    private final SandboxPolicy policy = new SandboxPolicy();

    /** A rule whose consequence (or condition) is {@code snippet}, placed on line 6. */
    private static String rule(String snippet) {
        return """
                package recon.trade
                import io.recon.rules.Mismatch

                rule "Sandbox probe"
                when
                    $o : Order( %s )
                then
                end
                """.formatted(snippet);
    }

    static Stream<Arguments> forbidden() {
        return Stream.of(
                Arguments.of("System.exit(1)", "System"),
                Arguments.of("java.lang.System.getenv(\"HOME\") != null", "System"),
                Arguments.of("Runtime.getRuntime().exec(\"rm -rf /\")", "Runtime"),
                Arguments.of("new ProcessBuilder(\"sh\").start() != null", "ProcessBuilder"),
                Arguments.of("new Thread().start()", "Thread"),
                Arguments.of("Thread.sleep(1000)", "Thread"),
                Arguments.of("java.util.concurrent.Executors.newSingleThreadExecutor() != null", "java.util.concurrent"),
                Arguments.of("orderId.getClass().getName() == \"x\"", "getClass"),
                Arguments.of("Class.forName(\"java.lang.Runtime\") != null", "Class"),
                Arguments.of("String.class.getDeclaredMethod(\"x\") != null", "getDeclaredMethod"),
                Arguments.of("$m.setAccessible(true)", "setAccessible"),
                Arguments.of("java.lang.reflect.Array.getLength(x) > 0", "java.lang.reflect"),
                Arguments.of("Thread.currentThread().getContextClassLoader() != null", "Thread"),
                Arguments.of("new java.io.File(\"/etc/passwd\").exists()", "File"),
                Arguments.of("java.nio.file.Files.readString(p) != null", "Files"),
                Arguments.of("new java.io.FileOutputStream(\"/tmp/x\") != null", "FileOutputStream"),
                Arguments.of("new java.net.Socket(\"evil\", 80) != null", "Socket"),
                Arguments.of("new java.net.URL(\"http://x\").openStream() != null", "URL"),
                Arguments.of("java.net.http.HttpClient.newHttpClient() != null", "HttpClient"),
                Arguments.of("java.net.InetAddress.getByName(orderId) != null", "InetAddress"),
                Arguments.of("javax.script.ScriptEngineManager != null", "javax.script"),
                Arguments.of("kcontext.getKieRuntime().halt()", "kcontext"),
                Arguments.of("sun.misc.Unsafe.getUnsafe() != null", "Unsafe"),
                Arguments.of("java.lang.invoke.MethodHandles.lookup() != null", "MethodHandles"),
                Arguments.of("org.apache.commons.io.FileUtils.readFileToString(f) != null", "org.apache.commons.io.FileUtils"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forbidden")
    void forbiddenConstructsAreRefusedWithWhereTheyAre(String snippet, String construct) {
        List<RuleProblem> problems = policy.check("recon/trade/probe.drl", rule(snippet), Set.of("recon.trade"), SandboxPolicy.Locator.SAME);

        assertThat(problems).isNotEmpty();
        RuleProblem first = problems.get(0);
        assertThat(first.kind()).isEqualTo(RuleProblem.Kind.SANDBOX);
        assertThat(first.file()).isEqualTo("recon/trade/probe.drl");
        assertThat(first.line()).isEqualTo(6);
        assertThat(first.column()).isGreaterThanOrEqualTo(17); // inside "    $o : Order( ", never before the snippet
        assertThat(first.message()).contains(construct).containsAnyOf("is not allowed", "is outside the packages");
    }

    static Stream<Arguments> forbiddenImports() {
        return Stream.of(
                Arguments.of("import java.io.File", "java.io.File"),
                Arguments.of("import java.io.*", "import java.io"),
                Arguments.of("import static java.lang.System.exit", "System"),
                Arguments.of("import java.util.concurrent.ConcurrentHashMap", "import java.util.concurrent.ConcurrentHashMap"),
                Arguments.of("import org.slf4j.LoggerFactory", "import org.slf4j.LoggerFactory"),
                Arguments.of("import function java.nio.file.Files.delete", "Files"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forbiddenImports")
    void importsOutsideTheAllowListAreRefused(String importLine, String named) {
        String drl = "package recon.trade\n\n" + importLine + "\n";

        List<RuleProblem> problems = policy.check("probe.drl", drl, Set.of("recon.trade"), SandboxPolicy.Locator.SAME);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains(named);
        });
    }

    @Test
    void everySampleRuleOfTheKjarPasses() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("../rules-kjar/src/main/resources"))) {
            List<Path> drls = files.filter(p -> p.toString().endsWith(".drl")).toList();
            assertThat(drls).hasSizeGreaterThanOrEqualTo(3);
            for (Path drl : drls) {
                assertThat(policy.check(drl.toString(), Files.readString(drl), Set.of("recon.trade"), SandboxPolicy.Locator.SAME))
                        .as(drl.toString()).isEmpty();
            }
        }
    }

    @Test
    void forbiddenWordsInRuleNamesReasonsAndCommentsAreFine() {
        String drl = """
                package recon.trade
                import io.recon.rules.Mismatch
                import io.recon.rules.Severity
                import java.math.BigDecimal
                import java.time.Duration
                import java.util.List
                // System, Runtime and File are only words here
                rule "System of record: every File is reconciled"
                when
                    $o : Order( status != "Thread", $id : orderId )
                then
                    /* java.io.File in a comment */
                    insertLogical( Mismatch.of( "MISSING", Severity.P2, $id, "Runtime of " + $id + " in System.exit", $o ) );
                end
                """;

        assertThat(policy.check("ok.drl", drl, Set.of("recon.trade"), SandboxPolicy.Locator.SAME)).isEmpty();
    }
}
