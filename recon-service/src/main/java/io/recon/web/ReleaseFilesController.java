package io.recon.web;

import io.recon.authoring.UnknownVersionException;
import io.recon.release.ReleaseRegistry;
import io.recon.release.ReleasedKjars;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The source files of any known rules version, so the workbench can start a draft from it. */
@RestController
class ReleaseFilesController {

    private final ReleaseRegistry registry;

    ReleaseFilesController(ReleaseRegistry registry) {
        this.registry = registry;
    }

    record VersionFiles(String version, List<Draft.File> files) {
    }

    @GetMapping("/api/releases/{version}/files")
    VersionFiles files(@PathVariable String version) {
        if (registry.find(version).isEmpty()) {
            throw new WebRefusal(HttpStatus.NOT_FOUND, "There is no rules version " + version + " in the release registry;"
                    + " GET /api/releases lists the known versions.");
        }
        try {
            return new VersionFiles(version, KjarSources.read(registry.kjarBytes(version)));
        } catch (UnknownVersionException e) {
            throw new WebRefusal(HttpStatus.NOT_FOUND, e.getMessage());
        }
    }
}
