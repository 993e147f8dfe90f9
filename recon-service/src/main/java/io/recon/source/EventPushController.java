package io.recon.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/events/{source}}: systems that cannot be captured or publish to Kafka push JSON
 * records (one object or an array). Answers 202 once every accepted record is on the facts topic;
 * records that cannot be mapped are kept as dead letters and listed in the answer.
 */
@RestController
class EventPushController {

    private final FactRouter router;
    private final SourceCatalog catalog;

    EventPushController(FactRouter router, SourceCatalog catalog) {
        this.router = router;
        this.catalog = catalog;
    }

    record Rejected(int index, String reason) {
    }

    record Answer(int accepted, List<Rejected> rejected) {
    }

    @PostMapping(path = "/api/events/{source}", consumes = "*/*")
    ResponseEntity<?> push(@PathVariable String source, @RequestBody(required = false) String body) throws InterruptedException {
        long received = System.currentTimeMillis();
        SourceBinding binding = catalog.binding(source);
        if (binding == null || binding.kind() == SourceBinding.Kind.TABLE) {
            String reason = binding == null
                    ? "no source named '" + source + "' is bound; bound sources are " + catalog.bindings().keySet()
                    : "source '" + source + "' is a captured table; its changes come from the database, not over HTTP";
            router.deadLetter(source, reason, body);
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", reason));
        }
        List<Map<String, Object>> records;
        try {
            records = JsonRecords.parse(body == null ? "" : body);
        } catch (IllegalArgumentException e) {
            router.deadLetter(source, e.getMessage(), body);
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage(), "keptAsDeadLetter", true));
        }
        List<Rejected> rejected = new ArrayList<>();
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> record = records.get(i);
            FactRouter.Routed routed = router.route(source, FactRouter.Change.UPSERT, record, received, () -> JsonRecords.toJson(record));
            if (routed.accepted()) {
                sent.add(routed.sent());
            } else {
                rejected.add(new Rejected(i, routed.deadLetterReason()));
            }
        }
        try {
            router.awaitAll(sent);
        } catch (ExecutionException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("error", "facts topic unavailable, retry: " + e.getCause().getMessage()));
        }
        HttpStatus status = sent.isEmpty() && !rejected.isEmpty() ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status).body(new Answer(sent.size(), rejected));
    }
}
