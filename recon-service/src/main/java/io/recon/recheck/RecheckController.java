package io.recon.recheck;

import java.time.Instant;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/mismatches/{id}/recheck}: run the mismatch's second check now (role HANDLER).
 * {@code GET /api/mismatches/{id}/recheck}: the check's state, attempts, outcome and evidence.
 */
@RestController
class RecheckController {

    private final JdbcTemplate jdbc;
    private final RecheckProperties config;
    private final RecheckScheduler scheduler;

    RecheckController(JdbcTemplate jdbc, RecheckProperties config, RecheckScheduler scheduler) {
        this.jdbc = jdbc;
        this.config = config;
        this.scheduler = scheduler;
    }

    @PostMapping("/api/mismatches/{id:\\d+}/recheck")
    ResponseEntity<?> now(@PathVariable long id) {
        var row = jdbc.query("select task, type, status from mismatch where id = ?",
                (rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, id).stream().findFirst();
        if (row.isEmpty()) {
            return ResponseEntity.status(404).body(Map.of("error", "no mismatch " + id));
        }
        String[] m = row.get();
        var check = config.checkFor(m[0], m[1]);
        if (check.isEmpty()) {
            return ResponseEntity.status(409).body(Map.of("error", RecheckBatch.noCheck(m[0], m[1])));
        }
        if (!"OPEN".equals(m[2])) {
            return ResponseEntity.status(409).body(Map.of("error", RecheckBatch.notOpen(id, m[2])));
        }
        scheduler.schedule(id, check.get().getKey(), Instant.now());
        return ResponseEntity.accepted().body(Map.of("mismatchId", id, "check", check.get().getKey(), "due", "now"));
    }

    @GetMapping("/api/mismatches/{id:\\d+}/recheck")
    ResponseEntity<?> state(@PathVariable long id) {
        return jdbc.query("select check_name, status, due_at, attempts, outcome, evidence, last_error from recheck where mismatch_id = ?",
                (rs, n) -> Map.of("check", rs.getString(1), "status", rs.getString(2), "dueAt", rs.getTimestamp(3).toInstant().toString(),
                        "attempts", rs.getInt(4), "outcome", String.valueOf(rs.getString(5)), "evidence", String.valueOf(rs.getString(6)),
                        "lastError", String.valueOf(rs.getString(7))), id)
                .stream().findFirst().<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(404).body(Map.of("error", "mismatch " + id + " has no second check")));
    }
}
