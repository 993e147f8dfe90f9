package io.recon.stats;

import io.recon.system.security.TaskScope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/stats?task=&granularity=5m|1h|1d&from=&to=}: per task and bucket, facts checked,
 * mismatches opened, healed (of which repaired), resolved and ignored by hand. {@code GET /api/stats/health?task=}: mismatch
 * rate, time to resolve and open mismatches by age, per task group.
 */
@RestController
class StatsController {

    /** A request may span at most this many buckets; choose a coarser granularity for longer ranges. */
    static final long MAX_BUCKETS = 5_000;

    private final StatsQueries stats;

    StatsController(StatsQueries stats) {
        this.stats = stats;
    }

    record Answer(String granularity, Instant from, Instant to, List<StatsQueries.Bucket> buckets) {
    }

    /** {@code from} defaults to 24 hours before {@code to}, which defaults to now; both are rounded down to the bucket. */
    @GetMapping("/api/stats")
    ResponseEntity<?> buckets(@RequestParam(required = false) String task, @RequestParam(defaultValue = "1h") String granularity,
                              @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to) {
        Granularity g;
        try {
            g = Granularity.parse(granularity);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(1)) : from;
        if (!start.isBefore(end)) {
            return bad("from (" + start + ") must be before to (" + end + ")");
        }
        if (Duration.between(start, end).dividedBy(g.length) > MAX_BUCKETS) {
            return bad("from " + start + " to " + end + " is more than " + MAX_BUCKETS + " buckets of " + g.code + "; use a coarser granularity");
        }
        long len = g.length.toMillis();
        Instant alignedStart = Instant.ofEpochMilli(Math.floorDiv(start.toEpochMilli(), len) * len);
        TaskScope scope = TaskScope.current();
        return ResponseEntity.ok(new Answer(g.code, alignedStart, end,
                stats.buckets(task, g, alignedStart, end).stream().filter(b -> scope.includes(b.task())).toList()));
    }

    @GetMapping("/api/stats/health")
    List<StatsQueries.Health> health(@RequestParam(required = false) String task) {
        TaskScope scope = TaskScope.current();
        return (task == null ? stats.tasks() : List.of(task)).stream().filter(scope::includes).map(stats::health).toList();
    }

    private static ResponseEntity<Map<String, String>> bad(String message) {
        return ResponseEntity.badRequest().body(Map.of("error", message));
    }
}
