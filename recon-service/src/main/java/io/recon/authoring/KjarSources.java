package io.recon.authoring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.drools.compiler.kproject.models.KieModuleModelImpl;
import org.kie.api.builder.ReleaseId;

/**
 * A stored rules version is its sources only: the analyst's files (DRL, tables, DSL/DSLR, scenarios),
 * the kmodule and the Maven coordinates. The service builds every version itself from these with
 * {@link RuleCompiler}, so the bytecode check sees all the code that will run; compiled code inside a
 * kjar is never loaded.
 */
public final class KjarSources {

    private KjarSources() {
    }

    /** What a kjar amounts to: its rule files and its task groups (KieBase names). */
    public record Sources(List<RuleFile> files, Set<String> tasks) {
    }

    /** A kjar carries something the service cannot check; the message says what, in a sentence. */
    public static final class RefusedKjarException extends RuntimeException {
        public RefusedKjarException(String message) {
            super(message);
        }
    }

    public static byte[] write(ReleaseId id, String kmoduleXml, List<RuleFile> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            String maven = "META-INF/maven/" + id.getGroupId() + "/" + id.getArtifactId() + "/";
            entry(zip, "META-INF/kmodule.xml", kmoduleXml.getBytes(StandardCharsets.UTF_8));
            entry(zip, maven + "pom.properties", ("groupId=" + id.getGroupId() + "\nartifactId=" + id.getArtifactId() + "\nversion="
                    + id.getVersion() + "\n").getBytes(StandardCharsets.UTF_8));
            entry(zip, maven + "pom.xml", ("<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion><groupId>"
                    + id.getGroupId() + "</groupId><artifactId>" + id.getArtifactId() + "</artifactId><version>" + id.getVersion()
                    + "</version><packaging>kjar</packaging></project>\n").getBytes(StandardCharsets.UTF_8));
            for (RuleFile file : files) {
                if (file.kind() != null) {
                    entry(zip, file.name(), file.bytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /**
     * @param refuseClasses true at import: a kjar with {@code .class} files is refused. False for the
     *                      released sample built by the kie-maven-plugin (it writes classes for declared
     *                      types): those are skipped, never loaded, and rebuilt from the DRL.
     */
    public static Sources read(byte[] kjar, boolean refuseClasses) {
        List<RuleFile> files = new ArrayList<>();
        Set<String> tasks = new TreeSet<>();
        boolean any = false;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(kjar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                any = true;
                String name = entry.getName().startsWith("src/main/resources/") ? entry.getName().substring("src/main/resources/".length())
                        : entry.getName();
                String lower = name.toLowerCase(Locale.ROOT);
                byte[] bytes = zip.readAllBytes();
                if (entry.isDirectory() || lower.equals("meta-inf/manifest.mf") || lower.equals("meta-inf/kmodule.info")
                        || lower.startsWith("meta-inf/maven/") || lower.startsWith("meta-inf/kie/")) {
                    continue; // descriptions of the module, not code
                }
                if (lower.equals("meta-inf/kmodule.xml")) {
                    tasks.addAll(KieModuleModelImpl.fromXML(new String(bytes, StandardCharsets.UTF_8)).getKieBaseModels().keySet());
                    continue;
                }
                if (lower.endsWith(".class")) {
                    if (refuseClasses) {
                        throw new RefusedKjarException("The kjar carries compiled code (" + name + "): Recon builds rules from their sources"
                                + " and checks what it compiled, so it cannot run classes built elsewhere. Export the version from a Recon,"
                                + " or build the kjar from its DRL, table, DSL and scenario files only.");
                    }
                    continue;
                }
                RuleFile file = new RuleFile(name, "");
                if (file.kind() == null) {
                    throw new RefusedKjarException("The kjar carries " + name + ", which is not a rule file Recon can check (.drl, .xlsx,"
                            + " .csv, .dsl, .dslr, .scenario.json): remove it and build the kjar again.");
                }
                String content = file.kind() == RuleFile.Kind.XLSX ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8);
                files.add(new RuleFile(name, content));
            }
        } catch (IOException e) {
            throw new RefusedKjarException("The kjar cannot be read as a zip file: " + e.getMessage() + ".");
        }
        if (!any) {
            throw new RefusedKjarException("The kjar is empty or not a zip file.");
        }
        if (tasks.isEmpty()) {
            throw new RefusedKjarException("The kjar has no META-INF/kmodule.xml naming its task groups (KieBases).");
        }
        return new Sources(files, tasks);
    }
}
