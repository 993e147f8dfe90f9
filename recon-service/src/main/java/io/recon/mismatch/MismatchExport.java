package io.recon.mismatch;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/mismatches/export?format=csv|xlsx} with the list's filters: the filtered queue for a
 * spreadsheet, streamed row by row (xlsx through POI's streaming workbook), newest first.
 */
@RestController
class MismatchExport {

    /** An export holds at most this many rows; narrow the filter for more. */
    static final int MAX_ROWS = 100_000;

    private record Column(String name, Function<MismatchQueries.Item, Object> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("id", MismatchQueries.Item::id),
            new Column("task", MismatchQueries.Item::task),
            new Column("key", MismatchQueries.Item::key),
            new Column("type", MismatchQueries.Item::type),
            new Column("status", MismatchQueries.Item::status),
            new Column("severity", MismatchQueries.Item::severity),
            new Column("reason", MismatchQueries.Item::reason),
            new Column("rule", MismatchQueries.Item::rule),
            new Column("rules_version", MismatchQueries.Item::rulesVersion),
            new Column("first_seen", MismatchQueries.Item::firstSeen),
            new Column("last_seen", MismatchQueries.Item::lastSeen),
            new Column("resolved_at", MismatchQueries.Item::resolvedAt),
            new Column("assignee", MismatchQueries.Item::assignee));

    private final MismatchQueries queries;

    MismatchExport(MismatchQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/api/mismatches/export")
    void export(@RequestParam(defaultValue = "csv") String format,
                @RequestParam(required = false) String task,
                @RequestParam(required = false) String type,
                @RequestParam(required = false) String status,
                @RequestParam(required = false) String key,
                @RequestParam(required = false) Instant from,
                @RequestParam(required = false) Instant to,
                @RequestParam(required = false) String sort,
                @RequestParam(required = false) String dir,
                HttpServletResponse response) throws IOException {
        MismatchQueries.Filter filter = Filters.of(task, type, status, key, from, to);
        QueueOrder order = QueueOrder.of(sort, dir); // the rows in the list's order, so the file reads like the screen
        switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> csv(filter, order, response);
            case "xlsx" -> xlsx(filter, order, response);
            default -> throw new CaseRefused(CaseRefused.Kind.BAD_REQUEST, "unknown export format '" + format + "'; use csv or xlsx");
        }
    }

    private void csv(MismatchQueries.Filter filter, QueueOrder order, HttpServletResponse response) throws IOException {
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"mismatches.csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        out.write(String.join(",", COLUMNS.stream().map(Column::name).toList()) + "\r\n");
        queries.forEach(filter, order, MAX_ROWS, item -> {
            try {
                out.write(String.join(",", COLUMNS.stream().map(c -> csvField(c.value().apply(item))).toList()) + "\r\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        out.flush();
    }

    /** RFC 4180 quoting; a leading formula character is neutralised so a spreadsheet shows text, not a formula. */
    static String csvField(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !(value instanceof Number)) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    private void xlsx(MismatchQueries.Filter filter, QueueOrder order, HttpServletResponse response) throws IOException {
        response.setContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        response.setHeader("Content-Disposition", "attachment; filename=\"mismatches.xlsx\"");
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(200)) {
            Sheet sheet = workbook.createSheet("mismatches");
            CellStyle time = workbook.createCellStyle();
            time.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            Row header = sheet.createRow(0);
            for (int c = 0; c < COLUMNS.size(); c++) {
                header.createCell(c).setCellValue(COLUMNS.get(c).name());
            }
            int[] next = {1};
            queries.forEach(filter, order, MAX_ROWS, item -> {
                Row row = sheet.createRow(next[0]++);
                for (int c = 0; c < COLUMNS.size(); c++) {
                    Object value = COLUMNS.get(c).value().apply(item);
                    if (value instanceof Number n) {
                        row.createCell(c).setCellValue(n.doubleValue());
                    } else if (value instanceof Instant at) {
                        var cell = row.createCell(c);
                        cell.setCellValue(LocalDateTime.ofInstant(at, ZoneOffset.UTC)); // times are UTC
                        cell.setCellStyle(time);
                    } else if (value != null) {
                        row.createCell(c).setCellValue(value.toString());
                    }
                }
            });
            workbook.write(response.getOutputStream());
        }
    }
}
