package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A case handler works the queue of real mismatches (detected by the sessions from SQL commits):
 * assigns, comments, resolves, ignores, one at a time and in batches, and exports the list. Every
 * change is in the history under the handler's name; what the lifecycle forbids is refused with 409.
 */
class CaseWorkflowIT {

    private static ReconInstance recon;

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("cases"));
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            for (int i = 1; i <= 4; i++) {                       // paid 105 for 100: one AMOUNT mismatch each
                script.overpaidFlow("CASE-AMT-" + i, t0);
            }
            for (int i = 1; i <= 3; i++) {                       // paid twice: one DUPLICATE mismatch each
                script.order("CASE-DUP-" + i, "50.00", t0);
                script.payment("P-CASE-DUP-" + i + "a", "CASE-DUP-" + i, "50.00", "SUCCESS", t0.plusMillis(200));
                script.payment("P-CASE-DUP-" + i + "b", "CASE-DUP-" + i, "50.00", "SUCCESS", t0.plusMillis(400));
                script.markOrder("CASE-DUP-" + i, "PAID");
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                recon.get("/api/mismatches?type=AMOUNT").get("total").asInt() == 4
                        && recon.get("/api/mismatches?type=DUPLICATE").get("total").asInt() == 3);
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void aHandlerAssignsCommentsAndResolvesWithTheWholeTrailKept() {
        long id = id("CASE-AMT-1", "AMOUNT");

        assertThat(post(id, "assign", "{\"group\":\"payments-team\"}").statusCode()).isEqualTo(200);
        assertThat(post(id, "assign", "{\"user\":\"alice\"}").statusCode()).isEqualTo(200);
        assertThat(post(id, "comment", "{\"text\":\"Customer was charged 5 EUR too much; refund requested.\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> resolved = post(id, "resolve", "{\"note\":\"refund R-77 booked\"}");

        assertThat(resolved.statusCode()).isEqualTo(200);
        JsonNode detail = recon.get("/api/mismatches/" + id);
        assertThat(detail.get("mismatch").get("status").asString()).isEqualTo("RESOLVED");
        assertThat(detail.get("mismatch").get("assignee").asString()).isEqualTo("alice");
        assertThat(detail.get("mismatch").get("assigneeKind").asString()).isEqualTo("USER");
        assertThat(detail.get("mismatch").get("resolvedAt").isNull()).isFalse();
        assertThat(detail.get("notes")).hasSize(1);
        assertThat(detail.get("notes").get(0).get("author").asString()).isEqualTo("handler");
        assertThat(detail.get("notes").get(0).get("text").asString()).contains("refund requested");
        assertThat(detail.get("history")).extracting(h -> h.get("actor").asString() + ": " + h.get("from").asString("")
                        + " -> " + h.get("to").asString() + " (" + h.get("note").asString() + ")")
                .containsExactly(
                        "rules:  -> OPEN (detected by rule 'A payment matches its order amount')".replace("A payment matches its order amount",
                                detail.get("mismatch").get("rule").asString()),
                        "handler: OPEN -> OPEN (assigned to group 'payments-team')",
                        "handler: OPEN -> OPEN (assigned to user 'alice')",
                        "handler: OPEN -> RESOLVED (refund R-77 booked)");
    }

    @Test
    void aClosedCaseCannotBeResolvedIgnoredOrAssignedAgain() {
        long id = id("CASE-AMT-2", "AMOUNT");
        assertThat(post(id, "resolve", null).statusCode()).isEqualTo(200);

        HttpResponse<String> again = post(id, "resolve", null);
        HttpResponse<String> ignore = post(id, "ignore", "{\"reason\":\"test order\"}");
        HttpResponse<String> assign = post(id, "assign", "{\"user\":\"bob\"}");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("cannot resolve mismatch " + id + ": it is RESOLVED");
        assertThat(ignore.statusCode()).isEqualTo(409);
        assertThat(assign.statusCode()).isEqualTo(409);
        // A note may still be added to a closed case.
        assertThat(post(id, "comment", "{\"text\":\"checked again in the monthly close\"}").statusCode()).isEqualTo(200);
        assertThat(recon.get("/api/mismatches/" + id).get("history")).hasSize(2);
    }

    @Test
    void ignoringNeedsAReasonWhichIsKept() {
        long id = id("CASE-AMT-3", "AMOUNT");

        HttpResponse<String> noReason = post(id, "ignore", "{}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("ignore needs a \\\"reason\\\"");
        assertThat(recon.status(id)).isEqualTo("OPEN");

        assertThat(post(id, "ignore", "{\"reason\":\"internal test order\"}").statusCode()).isEqualTo(200);
        JsonNode last = last(recon.get("/api/mismatches/" + id).get("history"));
        assertThat(last.get("to").asString()).isEqualTo("IGNORED");
        assertThat(last.get("note").asString()).isEqualTo("internal test order");
        assertThat(last.get("actor").asString()).isEqualTo("handler");
    }

    @Test
    void badRequestsAreRefusedWithAClearMessage() {
        long id = id("CASE-AMT-4", "AMOUNT");

        assertThat(post(id, "assign", "{\"user\":\"a\",\"group\":\"b\"}").body()).contains("exactly one of");
        assertThat(post(id, "escalate", "{}").statusCode()).isEqualTo(400);
        assertThat(post(id, "escalate", "{}").body()).contains("unknown action 'escalate'");
        assertThat(post(id, "comment", "not json").statusCode()).isEqualTo(400);
        assertThat(post(999_999, "resolve", null).statusCode()).isEqualTo(404);
        HttpResponse<String> unfiltered = recon.post("/api/mismatches/batch/resolve", "{}", "handler");
        assertThat(unfiltered.statusCode()).isEqualTo(400);
        assertThat(unfiltered.body()).contains("needs at least one filter");
        assertThat(recon.post("/api/mismatches/" + id + "/resolve", "{}", "viewer").statusCode()).isEqualTo(403);
        assertThat(recon.post("/api/mismatches/" + id + "/resolve", "{}", null).statusCode()).isEqualTo(401);
        assertThat(recon.status(id)).isEqualTo("OPEN");
    }

    @Test
    void batchActionsWorkOverTheListFilterAndReportWhatTheyCouldNotDo() {
        JsonNode assigned = json(recon.post("/api/mismatches/batch/assign?type=DUPLICATE", "{\"group\":\"refunds\"}", "handler"));
        assertThat(assigned.get("matched").asInt()).isEqualTo(3);
        assertThat(assigned.get("applied").asInt()).isEqualTo(3);

        long one = id("CASE-DUP-1", "DUPLICATE");
        assertThat(post(one, "ignore", "{\"reason\":\"customer keeps the credit\"}").statusCode()).isEqualTo(200);
        JsonNode resolved = json(recon.post("/api/mismatches/batch/resolve?type=duplicate", "{\"note\":\"refunded in bulk\"}", "handler"));

        assertThat(resolved.get("applied").asInt()).isEqualTo(2);
        assertThat(resolved.get("refused")).hasSize(1);
        assertThat(resolved.get("refused").get(0).get("id").asLong()).isEqualTo(one);
        assertThat(resolved.get("refused").get(0).get("reason").asString()).contains("it is IGNORED");
        assertThat(recon.get("/api/mismatches?type=DUPLICATE&status=RESOLVED").get("total").asInt()).isEqualTo(2);
        for (JsonNode item : recon.get("/api/mismatches?type=DUPLICATE").get("items")) {
            assertThat(item.get("assignee").asString()).isEqualTo("refunds");
        }
    }

    @Test
    void theFilteredListExportsAsCsvAndXlsx() throws Exception {
        HttpResponse<byte[]> csv = recon.download("/api/mismatches/export?format=csv&type=DUPLICATE");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = new String(csv.body(), StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines[0]).startsWith("id,task,key,type,status,severity,reason");
        assertThat(lines).hasSize(1 + 3);
        assertThat(lines[1]).contains("CASE-DUP-").contains(",DUPLICATE,").contains(",trade,");

        HttpResponse<byte[]> xlsx = recon.download("/api/mismatches/export?format=xlsx&type=AMOUNT");
        assertThat(xlsx.statusCode()).isEqualTo(200);
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            Sheet sheet = workbook.getSheet("mismatches");
            assertThat(sheet.getLastRowNum()).isEqualTo(4);
            assertThat(sheet.getRow(0).getCell(2).getStringCellValue()).isEqualTo("key");
            assertThat(sheet.getRow(1).getCell(2).getStringCellValue()).startsWith("CASE-AMT-");
            assertThat(sheet.getRow(1).getCell(9).getDateCellValue()).isNotNull();
        }

        HttpResponse<byte[]> unknown = recon.download("/api/mismatches/export?format=pdf");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("use csv or xlsx");
    }

    private static HttpResponse<String> post(long id, String action, String body) {
        return recon.post("/api/mismatches/" + id + "/" + action, body == null ? "" : body, "handler");
    }

    private static long id(String key, String type) {
        return recon.mismatch(key, type).get("mismatch").get("id").asLong();
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ReconInstance.JSON.readTree(response.body());
    }

    private static JsonNode last(JsonNode array) {
        return array.get(array.size() - 1);
    }
}
