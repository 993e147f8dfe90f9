package io.recon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service is packaged by feature. Features may use each other one way only: a cycle (release and session
 * each calling the other, as activation once did) means neither can be read, tested or changed alone. The
 * catalog (databases, bindings, task groups, the rule set running now) and the facts' format are the ground floor
 * every feature reads, so they depend on no feature.
 */
class ModuleBoundariesTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.recon");

    private static final String[] FEATURES = {"io.recon.action..", "io.recon.authoring..", "io.recon.cluster..",
            "io.recon.deadletter..", "io.recon.demo..", "io.recon.lookup..", "io.recon.mismatch..", "io.recon.offline..",
            "io.recon.ops..", "io.recon.recheck..", "io.recon.release..", "io.recon.session..", "io.recon.source..",
            "io.recon.stats..", "io.recon.targets..", "io.recon.web.."};

    @Test
    void noTwoFeaturesDependOnEachOther() {
        slices().matching("io.recon.(*)..").namingSlices("feature $1").should().beFreeOfCycles().check(SERVICE);
    }

    /**
     * A mismatch's status and history change in the mismatch feature only (its store for the sessions, its
     * lifecycle for handlers, second checks and repairs): SQL elsewhere would skip the lock, the history or the
     * {@code resolved_at} stamp.
     */
    @Test
    void onlyTheMismatchFeatureChangesAMismatchsStatusOrHistory() throws IOException {
        Pattern write = Pattern.compile("(?i)(update\\s+mismatch\\s+set\\s+[^\"]*status|insert\\s+into\\s+mismatch_history)");
        Path sources = Path.of("src/main/java/io/recon");
        List<String> elsewhere;
        try (Stream<Path> files = Files.walk(sources)) {
            elsewhere = files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(sources.resolve("mismatch")))
                    .filter(f -> write.matcher(read(f)).find())
                    .map(f -> sources.relativize(f).toString())
                    .toList();
        }
        assertThat(elsewhere).as("files outside io.recon.mismatch that write a mismatch's status or history: use MismatchLifecycle").isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCatalogAndTheFactFormatDependOnNoFeature() {
        noClasses().that().resideInAnyPackage("io.recon.catalog..", "io.recon.fact..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                .because("every feature reads the catalog and the facts' format; they must not reach back up")
                .check(SERVICE);
    }
}
