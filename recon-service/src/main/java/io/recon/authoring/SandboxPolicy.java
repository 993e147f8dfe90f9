package io.recon.authoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What analyst rules may not touch. Rules run inside the service's sessions, so a rule that calls
 * {@code System.exit}, opens a file or starts a thread hurts every task group. The policy reads the
 * DRL text (decision tables and DSLR after expansion) as tokens, outside comments and string
 * literals, and refuses:
 * <ul>
 *   <li>names of dangerous classes and methods (System, Runtime, ProcessBuilder, threads, reflection,
 *       class loading, files, network, the session's own runtime), whatever the import;</li>
 *   <li>any qualified name, import included, outside an allow-list of packages: the rules vocabulary
 *       ({@code io.recon.rules}), {@code java.math}, {@code java.time}, {@code java.util} (not its
 *       concurrency, logging, zip, jar, spi parts), a few {@code java.lang} value classes, and the
 *       rule set's own packages.</li>
 * </ul>
 * A token scan is deliberately strict: an analyst who needs more asks a developer for a helper in
 * {@code io.recon.rules}, which is reviewed Java.
 */
public final class SandboxPolicy {

    /** Forbidden identifier, and the sentence that says why. */
    private static final Map<String, String> FORBIDDEN = forbidden();

    private static final List<String> ALLOWED_PREFIXES = List.of("io.recon.rules.", "java.math.", "java.time.", "java.util.");
    private static final List<String> REFUSED_PREFIXES = List.of("java.util.concurrent", "java.util.logging", "java.util.zip",
            "java.util.jar", "java.util.prefs", "java.util.spi", "java.util.ServiceLoader", "java.util.Timer");
    private static final Set<String> ALLOWED_JAVA_LANG = Set.of("String", "Math", "StrictMath", "Integer", "Long", "Double",
            "Float", "Short", "Byte", "Boolean", "Character", "Number", "Comparable", "CharSequence", "Object");
    private static final Set<String> PACKAGE_ROOTS = Set.of("java", "javax", "jakarta", "jdk", "sun", "com", "org", "io", "net",
            "kotlin", "groovy", "scala", "lombok");

    private static Map<String, String> forbidden() {
        Map<String, String> m = new java.util.HashMap<>();
        String system = "rules may not use the JVM's System or Runtime (exit, environment, properties, processes)";
        for (String s : List.of("System", "Runtime", "getRuntime", "exit", "getenv", "halt", "loadLibrary", "Shutdown")) {
            m.put(s, system);
        }
        String process = "rules may not start operating-system processes";
        for (String s : List.of("ProcessBuilder", "Process", "ProcessHandle", "exec")) {
            m.put(s, process);
        }
        String threads = "rules may not start threads or schedule work: a session runs on one thread, in event time";
        for (String s : List.of("Thread", "ThreadGroup", "ThreadLocal", "Runnable", "Executors", "ExecutorService", "Executor",
                "ScheduledExecutorService", "ForkJoinPool", "CompletableFuture", "Timer", "TimerTask", "VirtualThread", "sleep", "wait",
                "notify", "notifyAll", "synchronized")) {
            m.put(s, threads);
        }
        String reflection = "rules may not use reflection";
        for (String s : List.of("getClass", "forName", "getDeclaredMethod", "getDeclaredMethods", "getMethod", "getMethods",
                "getDeclaredField", "getDeclaredFields", "getField", "getFields", "getDeclaredConstructor", "getDeclaredConstructors",
                "getConstructor", "getConstructors", "setAccessible", "invoke", "newInstance", "Method", "Field", "Constructor",
                "MethodHandles", "MethodHandle", "Proxy", "Unsafe", "VarHandle")) {
            m.put(s, reflection);
        }
        String loading = "rules may not load classes or code";
        for (String s : List.of("ClassLoader", "getClassLoader", "getContextClassLoader", "URLClassLoader", "defineClass", "loadClass",
                "Class", "ScriptEngine", "ScriptEngineManager", "ServiceLoader", "Compiler")) {
            m.put(s, loading);
        }
        String files = "rules may not read or write files";
        for (String s : List.of("File", "Files", "Path", "Paths", "FileSystem", "FileSystems", "FileInputStream", "FileOutputStream",
                "FileReader", "FileWriter", "RandomAccessFile", "FileChannel", "PrintWriter", "PrintStream")) {
            m.put(s, files);
        }
        String network = "rules may not use the network";
        for (String s : List.of("Socket", "ServerSocket", "DatagramSocket", "SocketChannel", "URL", "URI", "URLConnection",
                "HttpURLConnection", "HttpClient", "HttpRequest", "InetAddress", "InetSocketAddress")) {
            m.put(s, network);
        }
        String session = "rules may not reach into the session or the engine; insert a Mismatch and let the service act";
        for (String s : List.of("kcontext", "getKieRuntime", "getKnowledgeRuntime", "getWorkingMemory", "getEntryPoint",
                "getChannels", "getKieBase", "getKieSession")) {
            m.put(s, session);
        }
        return Map.copyOf(m);
    }

    /**
     * @param file         the analyst's file name, for the refusal
     * @param drl          DRL text (for a table or DSLR: the generated or expanded DRL)
     * @param ownPackages  the rule set's own packages (declared types live there)
     * @param locate       turns a position in {@code drl} into a position the analyst recognises
     */
    public List<RuleProblem> check(String file, String drl, Set<String> ownPackages, Locator locate) {
        List<RuleProblem> problems = new ArrayList<>();
        List<DrlTokens.Chain> chains = DrlTokens.chains(drl);
        for (int i = 0; i < chains.size(); i++) {
            DrlTokens.Chain chain = chains.get(i);
            if (i > 0 && chains.get(i - 1).text().equals("import") && Set.of("static", "function", "accumulate").contains(chain.text())) {
                continue; // a modifier of the import, not the imported name
            }
            boolean imported = i > 0 && chains.get(i - 1).text().equals("import")
                    || i > 1 && chains.get(i - 1).text().equals("static") && chains.get(i - 2).text().equals("import")
                    || i > 1 && chains.get(i - 1).text().equals("function") && chains.get(i - 2).text().equals("import")
                    || i > 1 && chains.get(i - 1).text().equals("accumulate") && chains.get(i - 2).text().equals("import");
            String refusal = refusal(chain, imported, ownPackages);
            if (refusal != null) {
                problems.add(locate.problem(file, chain.line(), chain.column(), refusal));
            }
        }
        return problems;
    }

    private String refusal(DrlTokens.Chain chain, boolean imported, Set<String> ownPackages) {
        for (String segment : chain.segments()) {
            String why = FORBIDDEN.get(segment);
            if (why != null) {
                return "'" + chain.text() + "' is not allowed: " + why + ".";
            }
        }
        List<String> segments = chain.segments();
        boolean qualified = segments.size() > 1 && PACKAGE_ROOTS.contains(segments.get(0));
        if (!qualified && !imported) {
            return null;
        }
        String name = chain.text();
        if (allowed(name, ownPackages)) {
            return null;
        }
        return (imported ? "import " + name : "'" + name + "'") + " is outside the packages analyst rules may use"
                + " (io.recon.rules, java.math, java.time, java.util, String, Math and the number classes of java.lang, and the rule set's"
                + " own packages); ask a developer for a helper in io.recon.rules if you need more.";
    }

    private static boolean allowed(String name, Set<String> ownPackages) {
        for (String refused : REFUSED_PREFIXES) {
            if (name.equals(refused) || name.startsWith(refused + ".")) {
                return false;
            }
        }
        for (String prefix : ALLOWED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        if (name.startsWith("java.lang.")) {
            String rest = name.substring("java.lang.".length());
            return ALLOWED_JAVA_LANG.contains(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
        }
        for (String own : ownPackages) {
            if (name.startsWith(own + ".") || name.equals(own)) {
                return true;
            }
        }
        return false;
    }

    /** Maps a position in the scanned DRL to the analyst's file (a table cell, a DSLR line). */
    @FunctionalInterface
    public interface Locator {
        RuleProblem problem(String file, int line, int column, String message);

        Locator SAME = (file, line, column, message) -> new RuleProblem(file, line, column, RuleProblem.Kind.SANDBOX, message, null);
    }
}
