package io.recon.release;

import io.recon.authoring.UnknownVersionException;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * Promotion between environments: a version leaves one Recon as a self-contained document (its
 * registry entry and kjar, with the kjar's SHA-256) and enters another as an IMPORTED version, which
 * is then activated like any other (with all of activation's checks).
 */
@Component
public class ReleaseTransfer {

    public static final String FORMAT = "recon-release/1";

    private final ReleaseRegistry registry;
    private final ReleasedKjars kjars;

    ReleaseTransfer(ReleaseRegistry registry, ReleasedKjars kjars) {
        this.registry = registry;
        this.kjars = kjars;
    }

    /** @param kjar base64 of the kjar's bytes */
    public record Export(String format, ReleaseRegistry.Release release, String kjar) {
    }

    public static final class ImportRefusedException extends RuntimeException {
        ImportRefusedException(String message) {
            super(message);
        }
    }

    public Export export(String version) {
        ReleaseRegistry.Release release = registry.find(version)
                .orElseThrow(() -> new UnknownVersionException("There is no rules version " + version + " in the release registry."));
        return new Export(FORMAT, release, Base64.getEncoder().encodeToString(registry.kjarBytes(version)));
    }

    /** @return the registered version, or the existing one when the very same kjar is already here */
    public ReleaseRegistry.Release importRelease(Export export, String user) {
        if (export == null || !FORMAT.equals(export.format()) || export.release() == null || export.kjar() == null) {
            throw new ImportRefusedException("This is not an exported Recon release: expected {\"format\": \"" + FORMAT
                    + "\", \"release\": {...}, \"kjar\": \"<base64>\"} as GET /api/releases/{version}/export gives it.");
        }
        byte[] kjar;
        try {
            kjar = Base64.getMimeDecoder().decode(export.kjar());
        } catch (IllegalArgumentException e) {
            throw new ImportRefusedException("The kjar of the export is not valid base64.");
        }
        io.recon.system.security.ZipGuard.check(kjar, "The kjar of the export");
        String version = export.release().version();
        String sha = ReleaseRegistry.sha256(kjar);
        if (!sha.equals(export.release().kjarSha256())) {
            throw new ImportRefusedException("The kjar of " + version + " does not match its SHA-256 (" + export.release().kjarSha256()
                    + "): the export was changed or damaged on the way; export it again.");
        }
        String inside = kjarVersion(kjar);
        if (!version.equals(inside)) {
            throw new ImportRefusedException("The export says version " + version + " but its kjar is version " + inside + ".");
        }
        var existing = registry.find(version);
        if (existing.isPresent()) {
            if (existing.get().kjarSha256().equals(sha)) {
                return existing.get();
            }
            throw new ImportRefusedException("Version " + version + " exists here with different rules; versions never change."
                    + " Publish the rules under a new version where they were made.");
        }
        // The rules are rebuilt from their sources and checked before the version exists here.
        java.util.List<io.recon.authoring.RuleProblem> problems;
        try {
            problems = kjars.verifyImport(version, kjar);
        } catch (io.recon.authoring.KjarSources.RefusedKjarException e) {
            throw new ImportRefusedException("Version " + version + " was not imported: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ImportRefusedException("Version " + version + " was not imported: " + String.join(" ",
                    problems.stream().map(io.recon.authoring.RuleProblem::message).toList()));
        }
        String notes = (export.release().notes() == null ? "" : export.release().notes() + " ") + "(imported by " + user + ")";
        return registry.register(version, export.release().taskGroups(), export.release().author(), notes, "RELEASED", "IMPORTED", kjar, true);
    }

    private static String kjarVersion(byte[] kjar) {
        String pom = KjarFiles.read(kjar, "pom.properties").values().stream().findFirst().orElse("");
        Properties properties = new Properties();
        try {
            properties.load(new java.io.StringReader(pom));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return properties.getProperty("version", "(none)");
    }

}
