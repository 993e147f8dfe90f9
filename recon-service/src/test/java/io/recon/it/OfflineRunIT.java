package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The oracle of offline runs on the full service: payments lost from the live path on purpose (the binding's filter
 * drops them for a while, as a broken upstream would) show up in the T+1 comparison as exactly the mismatches that
 * loss caused, each with its facts; a daily schedule runs the day before and alerts operators while the paths disagree;
 * and a run that cannot be done is refused with a sentence.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OfflineRunIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ReconInstance recon;
    private static WebhookReceiver receiver;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver("/ops");
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("offline"),
                "recon.alerts.channels.ops-hook.kind=webhook",
                "recon.alerts.channels.ops-hook.url=" + receiver.url("/ops"),
                "recon.alerts.routes.trade.P1=ops-hook",
                "recon.alerts.dispatch.initial-backoff=200ms");
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void recordsLostFromTheLivePathAreListedByTheComparisonWithTheirFacts() throws Exception {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.happyFlow("KEEP-1", "20.00", t0);

            JsonNode payments = recon.get("/api/sources/pay-payments");
            putSource("pay-payments", ((ObjectNode) payments.deepCopy()).put("filter", "order_id != 'LOSS-1' and order_id != 'LOSS-2'"));
            Instant t1 = Instant.now();
            script.order("LOSS-1", "40.00", t1);                                  // its payment is lost: live says MISSING
            script.payment("P-LOSS-1", "LOSS-1", "40.00", "SUCCESS", t1.plusMillis(200));
            script.markOrder("LOSS-1", "PAID");
            script.order("LOSS-2", "50.00", t1);                                  // its wrong payment is lost: live says MISSING, not AMOUNT
            script.payment("P-LOSS-2", "LOSS-2", "55.00", "SUCCESS", t1.plusMillis(200));
            script.markOrder("LOSS-2", "PAID");
            // Good flows keep the event-time clock moving (it follows the sources), until the live path has judged the loss.
            int[] flow = {2};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                script.happyFlow("KEEP-" + flow[0]++, "30.00", Instant.now());
                return recon.mismatches().containsAll(Set.of("LOSS-1 MISSING OPEN", "LOSS-2 MISSING OPEN"));
            });
            putSource("pay-payments", ((ObjectNode) payments.deepCopy()).putNull("filter"));
            Instant judged = t1.plusSeconds(40);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                script.happyFlow("KEEP-" + flow[0]++, "30.00", Instant.now());
                for (JsonNode s : recon.get("/actuator/recon").get("sessions")) {
                    if (s.get("watermark").isNull() || Instant.parse(s.get("watermark").asString()).isBefore(judged)) {
                        return false;
                    }
                }
                return true;
            });
        }

        JsonNode run = offlineRun("{\"task\":\"trade\",\"from\":\"" + t0.minusSeconds(60) + "\",\"to\":\"" + Instant.now() + "\"}");
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("DONE");
        JsonNode comparison = run.get("comparison");
        assertThat(identities(comparison.get("missedByLive"))).as(run.toString()).containsExactly("LOSS-2 AMOUNT");
        assertThat(identities(comparison.get("onlyLive"))).as(run.toString()).containsExactly("LOSS-1 MISSING", "LOSS-2 MISSING");
        JsonNode missed = comparison.get("missedByLive").get(0);
        assertThat(missed.get("facts").toString()).contains("P-LOSS-2").contains("55.0").contains("50.0");
        assertThat(missed.get("reason").asString()).contains("LOSS-2");
        JsonNode onlyLive = comparison.get("onlyLive").get(0);
        assertThat(onlyLive.get("liveId").asLong()).isEqualTo(recon.awaitMismatch("LOSS-1", "MISSING"));
        assertThat(onlyLive.get("status").asString()).isEqualTo("OPEN");
        assertThat(onlyLive.get("facts").toString()).contains("LOSS-1").contains("40.0");
        assertThat(comparison.get("matched").asInt()).isZero(); // the good flows found nothing on either path
        assertThat(recon.get("/api/runs?task=trade").get(0).get("id").asLong()).isEqualTo(run.get("id").asLong());
    }

    /**
     * On a controlled clock: a daily schedule fires once per firing (none twice, missed ones caught up one by one), runs
     * the business day before the firing, alerts operators when that day's comparison is not empty (the loss of the test
     * before), and alerts again when a later day agrees.
     */
    @Test
    @Order(2)
    void aScheduledRunThatDisagreesWithTheLivePathAlertsOperators() throws Exception {
        HttpResponse<String> refused = send("PUT", "/api/runs/schedules/trade", "{\"cron\":\"every night\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("is not a cron");
        HttpResponse<String> put = send("PUT", "/api/runs/schedules/trade", "{\"cron\":\"30 0 0 * * *\",\"zone\":\"UTC\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        io.recon.offline.RunScheduler scheduler = recon.bean(io.recon.offline.RunScheduler.class);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        Instant firing = today.plusDays(1).atTime(0, 0, 30).toInstant(java.time.ZoneOffset.UTC);

        assertThat(scheduler.tick(firing.minusSeconds(1))).isZero();
        assertThat(scheduler.tick(firing.plusSeconds(1))).isEqualTo(1);
        assertThat(scheduler.tick(firing.plusSeconds(2))).as("a firing runs once").isZero();
        JsonNode run = awaitDone(recon.get("/api/runs?task=trade").get(0).get("id").asLong());
        assertThat(run.get("requestedBy").asString()).isEqualTo("schedule");
        assertThat(Instant.parse(run.get("from").asString())).isEqualTo(today.atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        assertThat(identities(run.get("comparison").get("onlyLive"))).containsExactly("LOSS-1 MISSING", "LOSS-2 MISSING");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/ops").stream()
                .anyMatch(r -> r.body().toString().contains("disagrees with the live path")));

        // Two days later: the firing missed in between is caught up first, then the next; that day agrees, which closes the alert.
        Instant later = firing.plus(Duration.ofDays(2)).plusSeconds(1);
        assertThat(scheduler.tick(later)).isEqualTo(1);
        awaitDone(recon.get("/api/runs?task=trade").get(0).get("id").asLong());
        assertThat(scheduler.tick(later)).isEqualTo(1);
        awaitDone(recon.get("/api/runs?task=trade").get(0).get("id").asLong());
        assertThat(scheduler.tick(later)).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/ops").stream()
                .anyMatch(r -> r.body().toString().contains("agrees with the live path")));
        assertThat(receiver.received("/ops").stream().filter(r -> r.body().toString().contains("disagrees")).count())
                .as("one alert while the disagreement lasts").isEqualTo(1);
        assertThat(send("DELETE", "/api/runs/schedules/trade", null).statusCode()).isEqualTo(204);
    }

    /**
     * A channel's settlement file instead of the payments table, as CSV and as XLSX: each reconciled against the orders
     * and shipments tables, with the unreadable row reported by its number and the run going on.
     */
    @Test
    @Order(4)
    void aStatementFileStandsInForThePaymentsTableAndItsBadRowsAreReportedByNumber() throws Exception {
        Instant day = Instant.parse("2026-11-01T10:00:00Z");
        try (DemoScript script = recon.script()) {
            for (int i = 1; i <= 3; i++) {
                String order = "STMT-" + i;
                script.order(order, i == 2 ? "30.00" : "20.00", day.plusSeconds(i));
                script.markOrder(order, "PAID");
                script.shipment("S-" + order, order, day.plusSeconds(i + 1));
            }
        }
        HttpResponse<String> mapping = send("PUT", "/api/runs/mappings/pay-payments", """
                {"columns": {"paymentId": "Reference", "orderId": "Order", "amount": "Amount", "currency": "Currency",
                             "status": "Status", "paidAt": "Paid at"}}""");
        assertThat(mapping.statusCode()).as(mapping.body()).isEqualTo(200);

        String csv = "Reference,Order,Amount,Currency,Status,Paid at\n"
                + "P-STMT-1,STMT-1,20.00,EUR,SUCCESS,2026-11-01T10:00:01.500Z\n"
                + "P-STMT-2,STMT-2,25.00,EUR,SUCCESS,2026-11-01T10:00:02.500Z\n"      // 30.00 ordered: AMOUNT
                + "P-STMT-X,STMT-X,twelve,EUR,SUCCESS,2026-11-01T10:00:03.500Z\n";    // row 4: no amount; STMT-3 unpaid: MISSING
        long csvId = upload("settlement.csv", csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode csvRun = statementRun(csvId);
        assertThat(findings(csvRun)).containsExactly("STMT-2 AMOUNT", "STMT-3 MISSING", "STMT-3 UNPAID_SHIPMENT");
        assertThat(csvRun.get("rejected").asLong()).isEqualTo(1);
        assertThat(csvRun.get("rejections").get(0).asString()).contains("settlement.csv row 4").contains("amount");

        long xlsxId = upload("settlement.xlsx", workbook());
        JsonNode xlsxRun = statementRun(xlsxId);
        assertThat(findings(xlsxRun)).containsExactly("STMT-2 AMOUNT", "STMT-3 MISSING", "STMT-3 UNPAID_SHIPMENT");
        assertThat(xlsxRun.get("rejections").get(0).asString()).contains("settlement.xlsx row 4").contains("amount");

        HttpResponse<String> notAStatement = send("POST", "/api/runs/files?name=statement.pdf", "%PDF");
        assertThat(notAStatement.statusCode()).isEqualTo(400);
        assertThat(notAStatement.body()).contains("neither .csv nor .xlsx");
    }

    /** The task's SQL check runs beside its rules at each firing, and a disagreeing one alerts under its own incident. */
    @Test
    @Order(5)
    void aScheduledSqlCheckThatDisagreesAlertsOperators() throws Exception {
        HttpResponse<String> check = http.send(HttpRequest.newBuilder(URI.create(recon.baseUrl() + "/api/runs/checks/trade"))
                .header("Authorization", ReconInstance.basic("analyst")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"types\":[\"MISSING\"],"
                        + "\"sql\":\"select order_id as key, 'MISSING' as type from shop_orders where false\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
        assertThat(send("PUT", "/api/runs/schedules/trade", "{\"cron\":\"30 0 0 * * *\",\"zone\":\"UTC\"}").statusCode()).isEqualTo(200);
        io.recon.offline.RunScheduler scheduler = recon.bean(io.recon.offline.RunScheduler.class);
        Instant firing = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).atTime(0, 0, 30).toInstant(java.time.ZoneOffset.UTC);
        assertThat(scheduler.tick(firing.plusSeconds(1))).as("the rules' run and the SQL check").isEqualTo(2);
        JsonNode sql = awaitDone(recon.get("/api/runs?task=trade").get(0).get("id").asLong());
        assertThat(sql.get("kind").asString()).isEqualTo("SQL");
        assertThat(identities(sql.get("comparison").get("onlyLive"))).contains("LOSS-1 MISSING", "LOSS-2 MISSING")
                .allMatch(i -> i.endsWith(" MISSING"));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/ops").stream()
                .anyMatch(r -> r.body().toString().contains("SQL check run " + sql.get("id").asLong())
                        && r.body().toString().contains("disagrees with the live path")));
        assertThat(send("DELETE", "/api/runs/schedules/trade", null).statusCode()).isEqualTo(204);
    }

    private JsonNode statementRun(long file) {
        return offlineRun("{\"task\":\"trade\",\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-02T00:00:00Z\","
                + "\"files\":{\"pay-payments\":" + file + "}}");
    }

    private Set<String> findings(JsonNode run) {
        Set<String> out = new TreeSet<>();
        recon.get("/api/runs/" + run.get("id").asLong() + "/findings").forEach(f -> out.add(f.get("key").asString() + " " + f.get("type").asString()));
        return out;
    }

    private long upload(String name, byte[] bytes) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(recon.baseUrl() + "/api/runs/files?name=" + name))
                .header("Authorization", ReconInstance.basic("analyst")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    /** The same statement as a workbook, with real number and date cells. */
    private static byte[] workbook() throws Exception {
        try (org.apache.poi.xssf.usermodel.XSSFWorkbook wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook()) {
            var sheet = wb.createSheet("Settlement");
            var dates = wb.createCellStyle();
            dates.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss.000"));
            String[] header = {"Reference", "Order", "Amount", "Currency", "Status", "Paid at"};
            var h = sheet.createRow(0);
            for (int c = 0; c < header.length; c++) {
                h.createCell(c).setCellValue(header[c]);
            }
            Object[][] rows = {{"P-STMT-1", "STMT-1", 20.00, "2026-11-01T10:00:01.500"}, {"P-STMT-2", "STMT-2", 25.00, "2026-11-01T10:00:02.500"},
                    {"P-STMT-X", "STMT-X", "twelve", "2026-11-01T10:00:03.500"}};
            for (int r = 0; r < rows.length; r++) {
                var row = sheet.createRow(r + 1);
                row.createCell(0).setCellValue((String) rows[r][0]);
                row.createCell(1).setCellValue((String) rows[r][1]);
                if (rows[r][2] instanceof Double d) {
                    row.createCell(2).setCellValue(d);
                } else {
                    row.createCell(2).setCellValue((String) rows[r][2]);
                }
                row.createCell(3).setCellValue("EUR");
                row.createCell(4).setCellValue("SUCCESS");
                var paid = row.createCell(5);
                paid.setCellValue(java.time.LocalDateTime.parse((String) rows[r][3]));
                paid.setCellStyle(dates);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        }
    }

    private static JsonNode awaitDone(long id) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> !recon.get("/api/runs/" + id).get("status").asString().equals("RUNNING"));
        JsonNode run = recon.get("/api/runs/" + id);
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("DONE");
        return run;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(recon.baseUrl() + path)).header("Authorization", ReconInstance.basic("operator"))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(3)
    void aRunThatCannotBeDoneIsRefusedWithASentence() {
        HttpResponse<String> noTask = recon.post("/api/runs", "{\"task\":\"nope\",\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-12-02T00:00:00Z\"}",
                "operator");
        assertThat(noTask.statusCode()).isEqualTo(400);
        assertThat(noTask.body()).contains("There is no task 'nope'");
        HttpResponse<String> backwards = recon.post("/api/runs", "{\"task\":\"trade\",\"from\":\"2026-12-02T00:00:00Z\",\"to\":\"2026-12-01T00:00:00Z\"}",
                "operator");
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(backwards.body()).contains("'from' before 'to'");
        HttpResponse<String> notAnInstant = recon.post("/api/runs", "{\"task\":\"trade\",\"from\":\"yesterday\",\"to\":\"2026-12-01T00:00:00Z\"}",
                "operator");
        assertThat(notAnInstant.body()).contains("'from' is not an ISO instant: yesterday");
        HttpResponse<String> viewer = recon.post("/api/runs", "{\"task\":\"trade\",\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-12-02T00:00:00Z\"}",
                "viewer");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(recon.getAsOperator("/api/runs/999999").statusCode()).isEqualTo(404);
        assertThat(recon.post("/api/runs", "{\"task\":\"trade\",\"day\":\"2026-13-01\"}", "operator").body())
                .contains("'day' is not an ISO date");
        assertThat(recon.post("/api/runs", "{\"task\":\"trade\",\"day\":\"2026-12-01\",\"zone\":\"Mars/Olympus\"}", "operator").body())
                .contains("is not a time zone");
        // A business day in a zone: Shanghai's 1 December is 16:00 UTC the day before to 16:00 UTC that day.
        JsonNode day = offlineRun("{\"task\":\"trade\",\"day\":\"2026-12-01\",\"zone\":\"Asia/Shanghai\"}");
        assertThat(day.get("from").asString()).isEqualTo("2026-11-30T16:00:00Z");
        assertThat(day.get("to").asString()).isEqualTo("2026-12-01T16:00:00Z");
    }

    private static Set<String> identities(JsonNode findings) {
        Set<String> out = new TreeSet<>();
        findings.forEach(f -> out.add(f.get("key").asString() + " " + f.get("type").asString()));
        return out;
    }

    private static JsonNode offlineRun(String body) {
        HttpResponse<String> started = recon.post("/api/runs", body, "analyst");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long id = JSON.readTree(started.body()).get("id").asLong();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> !recon.get("/api/runs/" + id).get("status").asString().equals("RUNNING"));
        return recon.get("/api/runs/" + id);
    }

    private void putSource(String name, JsonNode body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(recon.baseUrl() + "/api/sources/" + name))
                .header("Authorization", ReconInstance.basic("operator")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
