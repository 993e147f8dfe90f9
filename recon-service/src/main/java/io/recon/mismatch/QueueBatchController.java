package io.recon.mismatch;

import java.security.Principal;
import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/mismatches/batch/recheck} and {@code .../batch/repair}: the second check or the
 * repair of every mismatch the list's filters select (role HANDLER, within the caller's tasks);
 * {@code dryRun=true} only counts. The literal paths take precedence over the case actions' {@code batch/{action}}.
 */
@RestController
class QueueBatchController {

    private final QueueBatches batches;

    QueueBatchController(QueueBatches batches) {
        this.batches = batches;
    }

    @PostMapping("/api/mismatches/batch/recheck")
    ResponseEntity<QueueBatches.Outcome> recheck(@RequestParam(required = false) String task, @RequestParam(required = false) String type,
                                                 @RequestParam(required = false) String status, @RequestParam(required = false) String key,
                                                 @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
                                                 @RequestParam(defaultValue = "false") boolean dryRun, Principal user) {
        return run("recheck", Filters.of(task, type, status, key, from, to), dryRun, user);
    }

    @PostMapping("/api/mismatches/batch/repair")
    ResponseEntity<QueueBatches.Outcome> repair(@RequestParam(required = false) String task, @RequestParam(required = false) String type,
                                                @RequestParam(required = false) String status, @RequestParam(required = false) String key,
                                                @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
                                                @RequestParam(defaultValue = "false") boolean dryRun, Principal user) {
        return run("repair", Filters.of(task, type, status, key, from, to), dryRun, user);
    }

    /** At least one filter, as for the case actions: a batch never touches the whole queue by accident. */
    private ResponseEntity<QueueBatches.Outcome> run(String verb, MismatchQueries.Filter filter, boolean dryRun, Principal user) {
        if (filter.isEmpty()) {
            throw new CaseRefused(CaseRefused.Kind.BAD_REQUEST, "a batch " + verb
                    + " needs at least one filter (task, type, status, key, from, to) as query parameters");
        }
        QueueBatches.Outcome outcome = batches.run(verb, filter, dryRun, user.getName());
        // the checks and repairs themselves run after the answer, on the recheck runner and the outbox
        return dryRun ? ResponseEntity.ok(outcome) : ResponseEntity.accepted().body(outcome);
    }
}
