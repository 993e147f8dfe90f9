package io.recon.deadletter;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/dead-letters}: the records that could not become facts, filtered by source, reason text
 * and status, and their re-drive after a binding or rules fix.
 */
@RestController
class DeadLetterController {

    /** One batch retry re-drives at most this many, oldest first; call again for the rest. */
    private static final int BATCH_LIMIT = 1000;

    private final DeadLetters deadLetters;
    private final Redrive redrive;

    DeadLetterController(DeadLetters deadLetters, Redrive redrive) {
        this.deadLetters = deadLetters;
        this.redrive = redrive;
    }

    record Page(List<DeadLetters.DeadLetter> items, long total, int page, int size) {
    }

    record Retried(long id, String status, String reason) {
    }

    record BatchRetried(int redriven, int stillFailing, int matched, List<Retried> items) {
    }

    @GetMapping("/api/dead-letters")
    Page list(@RequestParam(required = false) String source,
              @RequestParam(required = false) String reason,
              @RequestParam(required = false) DeadLetters.Status status,
              @RequestParam(defaultValue = "0") int page,
              @RequestParam(defaultValue = "50") int size) {
        int limit = Math.max(1, Math.min(size, 500));
        DeadLetters.Filter filter = new DeadLetters.Filter(source, reason, status);
        return new Page(deadLetters.find(filter, limit, (long) Math.max(0, page) * limit), deadLetters.count(filter), Math.max(0, page), limit);
    }

    @GetMapping("/api/dead-letters/{id}")
    ResponseEntity<?> one(@PathVariable long id) {
        return deadLetters.get(id).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no dead letter " + id)));
    }

    /** Sends one dead letter through mapping again: 200 when it became a fact, 422 with the reason when it still fails. */
    @PostMapping("/api/dead-letters/{id}/retry")
    ResponseEntity<?> retry(@PathVariable long id) throws InterruptedException {
        DeadLetters.DeadLetter letter = deadLetters.get(id).orElse(null);
        if (letter == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no dead letter " + id));
        }
        if (letter.status() == DeadLetters.Status.REDRIVEN) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "dead letter " + id + " was already re-driven at "
                    + letter.redrivenAt() + "; its facts are on the facts topic"));
        }
        Retried result = retryOne(letter);
        return ResponseEntity.status("REDRIVEN".equals(result.status()) ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_CONTENT).body(result);
    }

    /** Re-drives every NEW dead letter matching the filters (at most 1000 per call, oldest first). */
    @PostMapping("/api/dead-letters/retry")
    BatchRetried retryAll(@RequestParam(required = false) String source, @RequestParam(required = false) String reason)
            throws InterruptedException {
        List<Long> ids = deadLetters.ids(new DeadLetters.Filter(source, reason, DeadLetters.Status.NEW), BATCH_LIMIT);
        List<Retried> items = new java.util.ArrayList<>();
        int redriven = 0;
        for (long id : ids) {
            DeadLetters.DeadLetter letter = deadLetters.get(id).orElse(null);
            if (letter == null || letter.status() != DeadLetters.Status.NEW) {
                continue;
            }
            Retried result = retryOne(letter);
            redriven += "REDRIVEN".equals(result.status()) ? 1 : 0;
            items.add(result);
        }
        return new BatchRetried(redriven, items.size() - redriven, ids.size(), items);
    }

    private Retried retryOne(DeadLetters.DeadLetter letter) throws InterruptedException {
        String reason = redrive.redrive(letter);
        if (reason == null) {
            deadLetters.markRedriven(letter.id());
            return new Retried(letter.id(), DeadLetters.Status.REDRIVEN.name(), null);
        }
        deadLetters.stillFails(letter.id(), reason);
        return new Retried(letter.id(), DeadLetters.Status.NEW.name(), reason);
    }
}
