package io.recon.offline;

import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/runs}: start an offline run of a task over a period (ANALYST or OPERATOR), follow it, read its findings
 * and its comparison with the live mismatches (every reader), cancel it (ANALYST or OPERATOR).
 */
@RestController
@RequestMapping("/api/runs")
class RunsController {

    private final OfflineRuns runs;

    RunsController(OfflineRuns runs) {
        this.runs = runs;
    }

    /** @param from ISO instant, start of the period (inclusive); @param to its end (exclusive); @param version default: the active one */
    record RunRequest(String task, String from, String to, String version) {
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> start(@RequestBody RunRequest request, Principal user) {
        long id = runs.start(request.task(), instant(request.from(), "from"), instant(request.to(), "to"), request.version(),
                user.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", id, "status", "RUNNING", "self", "/api/runs/" + id));
    }

    @GetMapping
    List<OfflineRuns.RunView> list(@RequestParam(required = false) String task) {
        return runs.list(task);
    }

    @GetMapping("/{id}")
    ResponseEntity<OfflineRuns.RunView> get(@PathVariable long id) {
        return runs.find(id).map(ResponseEntity::ok).orElseThrow(() -> notFound(id));
    }

    @GetMapping("/{id}/findings")
    List<Finding> findings(@PathVariable long id) {
        runs.find(id).orElseThrow(() -> notFound(id));
        return runs.findings(id);
    }

    @PostMapping("/{id}/cancel")
    Map<String, Object> cancel(@PathVariable long id) {
        OfflineRuns.RunView run = runs.find(id).orElseThrow(() -> notFound(id));
        if (!runs.cancel(id)) {
            throw new RunRefusal("Run " + id + " is " + run.status() + ", not running: there is nothing to cancel");
        }
        return Map.of("id", id, "cancelling", true);
    }

    @ExceptionHandler(RunRefusal.class)
    ResponseEntity<Map<String, Object>> refused(RunRefusal e) {
        int status = e instanceof NotFound ? 404 : 400;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", HttpStatus.valueOf(status).getReasonPhrase());
        body.put("message", e.getMessage());
        return ResponseEntity.status(status).body(body);
    }

    private static Instant instant(String value, String field) {
        if (value == null) {
            throw new RunRefusal("'" + field + "' is missing: give an ISO instant such as 2026-12-01T00:00:00Z");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new RunRefusal("'" + field + "' is not an ISO instant: " + value + " (expected e.g. 2026-12-01T00:00:00Z)");
        }
    }

    private static NotFound notFound(long id) {
        return new NotFound("There is no run " + id + "; GET /api/runs lists them");
    }

    static final class NotFound extends RunRefusal {
        NotFound(String message) {
            super(message);
        }
    }
}
