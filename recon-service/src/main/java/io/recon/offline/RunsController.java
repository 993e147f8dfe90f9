package io.recon.offline;

import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/runs}: start an offline run of a task over a period (ANALYST or OPERATOR), follow it, read its findings
 * and its comparison with the live mismatches (every reader), cancel it (ANALYST or OPERATOR); the daily schedules
 * (change: ANALYST or OPERATOR).
 */
@RestController
@RequestMapping("/api/runs")
class RunsController {

    private final OfflineRuns runs;
    private final RunSchedules schedules;
    private final StatementFiles files;
    private final FileMappings mappings;
    private final SqlChecks checks;

    RunsController(OfflineRuns runs, RunSchedules schedules, StatementFiles files, FileMappings mappings, SqlChecks checks) {
        this.runs = runs;
        this.schedules = schedules;
        this.files = files;
        this.mappings = mappings;
        this.checks = checks;
    }

    /** Uploads a statement file (the request body as it is; {@code name} ends in .csv or .xlsx); a run names it under {@code files}. */
    @PostMapping("/files")
    ResponseEntity<StatementFiles.StatementFile> upload(@RequestParam String name, jakarta.servlet.http.HttpServletRequest request,
                                                        Principal user) throws java.io.IOException {
        return ResponseEntity.status(HttpStatus.CREATED).body(files.save(name, request.getInputStream(), user.getName()));
    }

    @GetMapping("/files")
    List<StatementFiles.StatementFile> files() {
        return files.list();
    }

    /** @param columns fact field to the statement file's column header */
    record MappingRequest(Map<String, String> columns) {
    }

    @PutMapping("/mappings/{source}")
    FileMappings.FileMapping putMapping(@PathVariable String source, @RequestBody MappingRequest request, Principal user) {
        return mappings.put(source, request.columns(), user.getName());
    }

    @GetMapping("/mappings")
    List<FileMappings.FileMapping> mappings() {
        return mappings.list();
    }

    /**
     * The period is either {@code from} (ISO instant, inclusive) and {@code to} (exclusive), or a business {@code day}
     * (ISO date) in a time {@code zone} (default UTC). {@code version}: the rules to run, default the active ones.
     * {@code kind}: RULES (default) or SQL, the task's SQL check instead of its rules.
     */
    record RunRequest(String task, String from, String to, String day, String zone, String version, Map<String, Long> files, String kind) {
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> start(@RequestBody RunRequest request, Principal user) {
        Instant from;
        Instant to;
        if (request.day() != null) {
            java.time.ZoneId zone = zone(request.zone());
            java.time.LocalDate day;
            try {
                day = java.time.LocalDate.parse(request.day());
            } catch (DateTimeParseException e) {
                throw new RunRefusal("'day' is not an ISO date: " + request.day() + " (expected e.g. 2026-12-01)");
            }
            from = day.atStartOfDay(zone).toInstant();
            to = day.plusDays(1).atStartOfDay(zone).toInstant();
        } else {
            from = instant(request.from(), "from");
            to = instant(request.to(), "to");
        }
        String kind = request.kind() == null || request.kind().isBlank() ? OfflineRuns.RUNS : request.kind().strip().toUpperCase(java.util.Locale.ROOT);
        long id = switch (kind) {
            case OfflineRuns.RUNS -> runs.start(request.task(), from, to, request.version(), request.files(), user.getName());
            case OfflineRuns.SQL -> runs.startCheck(request.task(), from, to, user.getName());
            default -> throw new RunRefusal("'kind' is " + request.kind() + "; a run is of the rules (RULES, the default) or of the"
                    + " task's SQL check (SQL)");
        };
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", id, "status", "RUNNING", "self", "/api/runs/" + id));
    }

    /** @param cron six fields (second minute hour day month weekday), e.g. "0 0 2 * * *"; @param zone default UTC */
    record ScheduleRequest(String cron, String zone, Boolean enabled) {
    }

    @GetMapping("/schedules")
    List<RunSchedules.Schedule> schedules() {
        return schedules.list();
    }

    @PutMapping("/schedules/{task}")
    RunSchedules.Schedule putSchedule(@PathVariable String task, @RequestBody ScheduleRequest request, Principal user) {
        if (!runs.tasks().contains(task)) {
            throw new RunRefusal("There is no task '" + task + "'; tasks with sources are " + runs.tasks());
        }
        return schedules.put(task, request.cron(), request.zone(), request.enabled(), user.getName(), Instant.now());
    }

    @DeleteMapping("/schedules/{task}")
    ResponseEntity<Void> deleteSchedule(@PathVariable String task) {
        if (!schedules.delete(task)) {
            throw new NotFound("Task '" + task + "' has no schedule; GET /api/runs/schedules lists them");
        }
        return ResponseEntity.noContent().build();
    }

    /** @param types the mismatch types the check reports (only live mismatches of these are compared); empty or absent: all */
    record CheckRequest(String sql, List<String> types) {
    }

    @GetMapping("/checks")
    List<SqlChecks.SqlCheck> checks() {
        return checks.list();
    }

    /** The tables (one per source) and columns a check of the task reads. */
    @GetMapping("/checks/{task}/tables")
    List<StagedTables.Table> checkTables(@PathVariable String task) {
        known(task);
        return checks.tables(task);
    }

    /** Saves a task's SQL check once it is vetted and has run on the task's staged tables, empty; refused with 422 otherwise. */
    @PutMapping("/checks/{task}")
    SqlChecks.SqlCheck putCheck(@PathVariable String task, @RequestBody CheckRequest request, Principal user) {
        known(task);
        return checks.put(task, request.sql(), request.types(), user.getName());
    }

    @DeleteMapping("/checks/{task}")
    ResponseEntity<Void> deleteCheck(@PathVariable String task) {
        if (!checks.delete(task)) {
            throw new NotFound("Task '" + task + "' has no SQL check; GET /api/runs/checks lists them");
        }
        return ResponseEntity.noContent().build();
    }

    private void known(String task) {
        if (!runs.tasks().contains(task)) {
            throw new NotFound("There is no task '" + task + "'; tasks with sources are " + runs.tasks());
        }
    }

    private static java.time.ZoneId zone(String zone) {
        try {
            return java.time.ZoneId.of(zone == null || zone.isBlank() ? "UTC" : zone);
        } catch (java.time.DateTimeException e) {
            throw new RunRefusal("'" + zone + "' is not a time zone: give a region such as Asia/Shanghai or Europe/Berlin, or UTC");
        }
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
        int status = e instanceof NotFound ? 404 : e instanceof SqlCheckRefusal ? 422 : 400;
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
