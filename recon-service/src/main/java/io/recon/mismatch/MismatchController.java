package io.recon.mismatch;

import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
class MismatchController {

    private final MismatchQueries queries;

    MismatchController(MismatchQueries queries) {
        this.queries = queries;
    }

    /**
     * Filters combine; {@code from}/{@code to} bound first detection (ISO-8601 instants). {@code sort} is one of
     * firstSeen (the default, newest first), severity, type, key, status, task; {@code dir} asc or desc.
     */
    @GetMapping("/api/mismatches")
    MismatchQueries.Page list(@RequestParam(required = false) String task,
                              @RequestParam(required = false) String type,
                              @RequestParam(required = false) String status,
                              @RequestParam(required = false) String key,
                              @RequestParam(required = false) Instant from,
                              @RequestParam(required = false) Instant to,
                              @RequestParam(required = false) String sort,
                              @RequestParam(required = false) String dir,
                              @RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "50") int size) {
        return queries.find(Filters.of(task, type, status, key, from, to), QueueOrder.of(sort, dir),
                Math.max(0, page), Math.max(1, Math.min(size, 500)));
    }

    @GetMapping("/api/mismatches/{id}")
    MismatchQueries.Detail get(@PathVariable long id) {
        return queries.get(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no mismatch " + id));
    }
}
