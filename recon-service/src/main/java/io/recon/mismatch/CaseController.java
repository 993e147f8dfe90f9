package io.recon.mismatch;

import java.security.Principal;
import java.time.Instant;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The case handler's actions: {@code POST /api/mismatches/{id}/{action}} for one mismatch and
 * {@code POST /api/mismatches/batch/{action}} for every mismatch the list's filters select. Actions
 * are assign, comment, resolve and ignore; the body says to whom, what, or why (see {@link CaseRequest}).
 */
@RestController
class CaseController {

    private final CaseWorkflow workflow;

    CaseController(CaseWorkflow workflow) {
        this.workflow = workflow;
    }

    @PostMapping("/api/mismatches/{id:\\d+}/{action}")
    CaseWorkflow.Outcome one(@PathVariable long id, @PathVariable String action, @RequestBody(required = false) CaseRequest body,
                             Principal user) {
        return workflow.apply(id, CaseAction.parse(action), body == null ? CaseRequest.empty() : body, user.getName());
    }

    /** At least one filter is required, so that a batch never touches the whole queue by accident. */
    @PostMapping("/api/mismatches/batch/{action}")
    CaseWorkflow.BatchOutcome batch(@PathVariable String action,
                                    @RequestParam(required = false) String task,
                                    @RequestParam(required = false) String type,
                                    @RequestParam(required = false) String status,
                                    @RequestParam(required = false) String key,
                                    @RequestParam(required = false) Instant from,
                                    @RequestParam(required = false) Instant to,
                                    @RequestBody(required = false) CaseRequest body, Principal user) {
        CaseAction caseAction = CaseAction.parse(action);
        MismatchQueries.Filter filter = Filters.of(task, type, status, key, from, to);
        if (filter.isEmpty()) {
            throw new CaseRefused(CaseRefused.Kind.BAD_REQUEST, "a batch " + caseAction.verb()
                    + " needs at least one filter (task, type, status, key, from, to) as query parameters");
        }
        return workflow.applyAll(filter, caseAction, body == null ? CaseRequest.empty() : body, user.getName());
    }
}
