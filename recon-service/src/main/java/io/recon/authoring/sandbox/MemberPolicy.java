package io.recon.authoring.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The allow-list of members compiled analyst code may reference ({@code sandbox/allowed-members.txt}),
 * and the sentence that says why anything else is refused. Members, not packages: a package is allowed
 * only where each of its classes is a value type (java.math, java.time) or a builder the executable
 * model emits; everything else is named class by class, and refusals (a {@code !} line) win.
 */
public final class MemberPolicy {

    private static final MemberPolicy DEFAULT = load("/sandbox/allowed-members.txt");

    private record Entry(String owner, String member, boolean refuse) {
        boolean matches(String className, String name) {
            boolean ownerMatches = owner.equals("*") || owner.equals(className)
                    || owner.endsWith("/*") && className.startsWith(owner.substring(0, owner.length() - 1))
                    && className.indexOf('/', owner.length() - 1) < 0;
            return ownerMatches && (member.equals("*") || member.equals(name));
        }
    }

    private final List<Entry> allowed;
    private final List<Entry> refused;

    private MemberPolicy(List<Entry> allowed, List<Entry> refused) {
        this.allowed = allowed;
        this.refused = refused;
    }

    public static MemberPolicy standard() {
        return DEFAULT;
    }

    static MemberPolicy load(String resource) {
        List<Entry> allowed = new ArrayList<>();
        List<Entry> refused = new ArrayList<>();
        try (InputStream in = MemberPolicy.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the sandbox allow-list " + resource + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                boolean refuse = line.startsWith("!");
                String rule = refuse ? line.substring(1) : line;
                int hash = rule.indexOf('#');
                Entry entry = new Entry(rule.substring(0, hash), rule.substring(hash + 1), refuse);
                (refuse ? refused : allowed).add(entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new MemberPolicy(List.copyOf(allowed), List.copyOf(refused));
    }

    /** @param owner internal class name; @param member method or field name ({@code <init>} for a constructor) */
    public boolean allows(String owner, String member) {
        for (Entry entry : refused) {
            if (entry.matches(owner, member)) {
                return false;
            }
        }
        for (Entry entry : allowed) {
            if (entry.matches(owner, member)) {
                return true;
            }
        }
        return false;
    }

    /** A class may be named (class literal, cast, array, super type) when some member of it is allowed. */
    public boolean allowsClass(String owner) {
        for (Entry entry : allowed) {
            if (entry.owner().equals(owner) || entry.owner().endsWith("/*") && entry.matches(owner, entry.member())) {
                return true;
            }
        }
        return false;
    }

    /** Why analyst rules may not use {@code owner} (internal name), in words an analyst understands. */
    public static String why(String owner, String member) {
        String o = owner.replace('/', '.');
        if (member != null && member.equals("getClass") || o.startsWith("java.lang.reflect.") || o.equals("java.lang.Class")
                || o.startsWith("java.lang.invoke.") || o.equals("java.lang.Module") || o.equals("java.lang.ModuleLayer")
                || o.startsWith("sun.misc.") || o.startsWith("jdk.internal.")) {
            return "rules may not use reflection";
        }
        if (o.equals("java.lang.System") || o.equals("java.lang.Runtime") || o.equals("java.lang.Shutdown")) {
            return "rules may not use the JVM's System or Runtime (exit, environment, properties, processes)";
        }
        if (member != null && (member.equals("getInteger") || member.equals("getLong") || member.equals("getBoolean"))) {
            return "rules may not read the JVM's system properties";
        }
        if (o.startsWith("java.lang.Process")) {
            return "rules may not start operating-system processes";
        }
        if (o.startsWith("java.util.stream.") && member != null && (member.equals("iterate") || member.equals("generate"))) {
            return "rules must terminate: an unbounded stream never ends";
        }
        if (o.startsWith("java.lang.Thread") || o.startsWith("java.util.concurrent.") || o.startsWith("java.util.Timer")
                || o.startsWith("java.lang.VirtualThread") || o.equals("java.lang.Runnable") || member != null
                && (member.startsWith("parallel") || member.equals("wait") || member.startsWith("notify"))) {
            return "rules may not start threads or schedule work: a session runs on one thread, in event time";
        }
        if (o.contains("ClassLoader") || o.equals("java.util.ServiceLoader") || o.startsWith("javax.script.") || o.startsWith("javax.tools.")
                || o.equals("java.util.ResourceBundle")) {
            return "rules may not load classes or code";
        }
        if (o.startsWith("java.io.") || o.startsWith("java.nio.") || o.startsWith("java.util.zip.") || o.startsWith("java.util.jar.")
                || o.equals("java.util.Scanner") || o.equals("java.util.Formatter") || o.equals("java.util.Properties")
                || o.startsWith("java.util.prefs.")) {
            return "rules may not read or write files";
        }
        if (o.startsWith("java.net.") || o.startsWith("javax.net.")) {
            return "rules may not use the network";
        }
        if (o.startsWith("org.kie.") || o.startsWith("org.drools.")) {
            return "rules may not reach into the session or the engine; insert a Mismatch and let the service act";
        }
        return "it is outside what analyst rules may use (io.recon.rules, String, Math and the number classes of java.lang,"
                + " java.math, java.time and the java.util collections); ask a developer for a helper in io.recon.rules if you need more";
    }
}
