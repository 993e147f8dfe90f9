package io.recon.source;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/events/{source}}: systems that cannot be captured or publish to Kafka push JSON
 * records (one object or an array). Answers 202 once every accepted record is on the facts topic;
 * records that cannot be mapped are kept as dead letters and listed in the answer. The body is read
 * as bytes up to {@code recon.input.max-body} and decoded as strict UTF-8: a larger body is answered
 * 413, a body that is not UTF-8 400, and either is kept as a dead letter.
 */
@RestController
class EventPushController {

    /** Past the limit the rest of a body is read and dropped up to this much, so that the client gets the answer. */
    private static final long DRAIN_LIMIT = 256L * 1024 * 1024;

    private final FactRouter router;
    private final SourceCatalog catalog;
    private final JsonRecords json;
    private final InputLimits limits;

    EventPushController(FactRouter router, SourceCatalog catalog, JsonRecords json, InputLimits limits) {
        this.router = router;
        this.catalog = catalog;
        this.json = json;
        this.limits = limits;
    }

    record Rejected(int index, String reason) {
    }

    record Answer(int accepted, List<Rejected> rejected) {
    }

    @PostMapping(path = "/api/events/{source}", consumes = "*/*")
    ResponseEntity<?> push(@PathVariable String source, HttpServletRequest request) throws InterruptedException, IOException {
        long received = System.currentTimeMillis();
        Body body = read(request.getInputStream(), limits.maxBodyBytes());
        if (body.size() > limits.maxBodyBytes()) {
            String reason = "request body of " + body.size() + (body.size() >= DRAIN_LIMIT ? "+" : "") + " bytes is larger than the "
                    + limits.maxBodyBytes() + " bytes accepted (recon.input.max-body); send the records in smaller batches";
            router.deadLetter(source, reason, body.bytes(), body.size(), received);
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(Map.of("error", reason, "keptAsDeadLetter", true));
        }
        String text;
        try {
            text = Utf8.decode(body.bytes());
        } catch (IllegalArgumentException e) {
            router.deadLetter(source, "request body is " + e.getMessage(), body.bytes(), body.size(), received);
            return ResponseEntity.badRequest().body(Map.of("error", "request body is " + e.getMessage(), "keptAsDeadLetter", true));
        }
        SourceBinding binding = catalog.binding(source);
        if (binding == null || binding.kind() == SourceBinding.Kind.TABLE || binding.kind() == SourceBinding.Kind.CONNECT) {
            String reason = binding == null
                    ? "no source named '" + source + "' is bound; bound sources are " + catalog.bindings().keySet()
                    : "source '" + source + "' is a captured table; its changes come from " + (binding.kind() == SourceBinding.Kind.TABLE
                    ? "the database" : "Kafka Connect (topic " + binding.topic() + ")") + ", not over HTTP";
            router.deadLetter(source, reason, text);
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", reason));
        }
        List<Map<String, Object>> records;
        try {
            records = json.parse(text);
        } catch (IllegalArgumentException e) {
            router.deadLetter(source, e.getMessage(), text);
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage(), "keptAsDeadLetter", true));
        }
        List<Rejected> rejected = new ArrayList<>();
        List<FactRouter.Routed> sent = new ArrayList<>();
        List<Integer> sentIndex = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> record = records.get(i);
            FactRouter.Routed routed = router.route(source, FactRouter.Change.UPSERT, record, received, () -> JsonRecords.toJson(record));
            if (routed.accepted()) {
                sent.add(routed);
                sentIndex.add(i);
            } else {
                rejected.add(new Rejected(i, routed.deadLetterReason()));
            }
        }
        List<String> refused;
        try {
            refused = router.awaitAll(sent);
        } catch (ExecutionException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("error", "facts topic unavailable, retry: " + e.getCause().getMessage()));
        }
        int accepted = 0;
        for (int i = 0; i < refused.size(); i++) {
            if (refused.get(i) == null) {
                accepted++;
            } else {
                rejected.add(new Rejected(sentIndex.get(i), refused.get(i)));
            }
        }
        HttpStatus status = accepted == 0 && !rejected.isEmpty() ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status).body(new Answer(accepted, rejected));
    }

    /** The body's first {@code limit + 1} bytes at most, and its size (counted on, without keeping, up to the drain limit). */
    private record Body(byte[] bytes, long size) {
    }

    private static Body read(InputStream in, int limit) throws IOException {
        byte[] kept = in.readNBytes(limit + 1);
        long size = kept.length;
        if (kept.length > limit) {
            byte[] skip = new byte[64 * 1024];
            for (int n; size < DRAIN_LIMIT && (n = in.read(skip)) > 0; ) {
                size += n;
            }
            kept = Arrays.copyOf(kept, limit);
        }
        return new Body(kept, size);
    }
}
