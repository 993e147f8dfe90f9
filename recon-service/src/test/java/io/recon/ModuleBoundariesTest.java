package io.recon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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

    @Test
    void theCatalogAndTheFactFormatDependOnNoFeature() {
        noClasses().that().resideInAnyPackage("io.recon.catalog..", "io.recon.fact..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                .because("every feature reads the catalog and the facts' format; they must not reach back up")
                .check(SERVICE);
    }
}
