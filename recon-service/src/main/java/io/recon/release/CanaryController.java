package io.recon.release;

import io.recon.authoring.UnknownVersionException;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Canary releases over HTTP: start one (RELEASER), watch its comparison (readers), end it (RELEASER); see {@link CanaryRelease}. */
@RestController
class CanaryController {

    private final CanaryRelease canary;
    private final ActiveRules active;

    CanaryController(CanaryRelease canary, ActiveRules active) {
        this.canary = canary;
        this.active = active;
    }

    /** @param partitions the task group's partitions that run the version, some but not all */
    record CanaryRequest(String task, List<Integer> partitions) {
    }

    @PostMapping("/api/releases/{version}/canary")
    ResponseEntity<CanaryRelease.Report> start(@PathVariable String version, @RequestBody CanaryRequest request, Principal user) {
        if (request.task() == null || request.partitions() == null) {
            throw new ReleaseActivator.RefusedException("Say which partitions of which task group run the canary, e.g."
                    + " {\"task\": \"trade\", \"partitions\": [0]}.", List.of());
        }
        Set<Integer> partitions = new TreeSet<>(request.partitions());
        return ResponseEntity.status(HttpStatus.CREATED).body(canary.start(version, request.task(), partitions, user.getName()));
    }

    @GetMapping("/api/releases/canary")
    ResponseEntity<CanaryRelease.Report> report() {
        return ResponseEntity.of(canary.report());
    }

    /** Rolls the canary back; @return its last comparison */
    @DeleteMapping("/api/releases/canary")
    CanaryRelease.Report end(Principal user) {
        return canary.end(user.getName());
    }

    @ExceptionHandler(ReleaseActivator.RefusedException.class)
    ResponseEntity<ReleasesController.Refusal> refused(ReleaseActivator.RefusedException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(new ReleasesController.Refusal(e.getMessage() + " The active version is still "
                + active.version() + ".", e.problems()));
    }

    @ExceptionHandler({UnknownVersionException.class, CanaryRelease.NoCanaryException.class})
    ResponseEntity<ReleasesController.Refusal> notFound(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ReleasesController.Refusal(e.getMessage(), List.of()));
    }
}
