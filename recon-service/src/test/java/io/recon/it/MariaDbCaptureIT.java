package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 8, "More of what the seed platforms read": a MariaDB database captured through its binlog, registered through
 * the API like a PostgreSQL one. Its orders table feeds the sample rules' {@code Order} of task {@code trade}, while
 * payments still come from the demo's PostgreSQL {@code pay} database: a task reconciling a MariaDB table against a
 * PostgreSQL table. Inserts, updates (of the key too) and deletes become facts, a malformed row becomes a dead letter and
 * capture goes on, and exactly the injected faults are found. Registration refuses a server or user that cannot be
 * captured, saying what to change; the password is in no answer and no log.
 */
class MariaDbCaptureIT {

    private static final String SECRET = "Maria-S3cret-4711";
    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private static Path workDir;
    private static MariaDbServer maria;
    private static ReconInstance recon;
    private static DemoScript script;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static HttpResponse<String> noBinlogRows;
    private static HttpResponse<String> noGrants;
    private static long commitToMismatchMs;
    private static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
            new ch.qos.logback.core.read.ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        workDir = ReconTestSupport.newWorkDir("mariadb");
        maria = MariaDbServer.start(workDir);
        maria.execute("CREATE DATABASE shopm",
                "CREATE TABLE shopm.orders (order_id VARCHAR(64) PRIMARY KEY, customer_id VARCHAR(64) NOT NULL, amount DECIMAL(12,2) NOT NULL,"
                        + " currency CHAR(3) NOT NULL, status VARCHAR(20) NOT NULL, created_at DATETIME(3) NOT NULL,"
                        + " updated_at DATETIME(3) NOT NULL)",
                "CREATE USER 'recon'@'%' IDENTIFIED BY '" + SECRET + "'",
                "GRANT REPLICATION SLAVE, BINLOG MONITOR, RELOAD ON *.* TO 'recon'@'%'",
                "GRANT SELECT, INSERT, UPDATE, CREATE ON shopm.* TO 'recon'@'%'",
                "CREATE USER 'reader'@'%' IDENTIFIED BY 'reader'",
                "GRANT SELECT ON shopm.* TO 'reader'@'%'");
        recon = ReconInstance.start(workDir);
        // after the start: Spring Boot sets logging up anew then; everything about the MariaDB entry is logged from here on
        logs.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        script = recon.script();

        // what registration refuses, before the real entry: a user without replication rights, a server logging partial rows
        noGrants = send("PUT", "/api/databases/shopm-reader", database("reader", "reader"), "operator");
        maria.execute("SET GLOBAL binlog_row_image = 'MINIMAL'");
        try {
            noBinlogRows = send("PUT", "/api/databases/shopm-minimal", database("recon", SECRET), "operator");
        } finally {
            maria.execute("SET GLOBAL binlog_row_image = 'FULL'");
        }

        HttpResponse<String> db = send("PUT", "/api/databases/shopm", database("recon", SECRET), "operator");
        assertThat(db.statusCode()).as(db.body()).isEqualTo(200);
        HttpResponse<String> source = send("PUT", "/api/sources/maria-orders", """
                {"kind": "TABLE", "database": "shopm", "table": "shopm.orders", "task": "trade", "type": "recon.trade.Order",
                 "key": "orderId", "id": "orderId", "eventTime": "createdAt"}""", "operator");
        assertThat(source.statusCode()).as(source.body()).isEqualTo(200);
        awaitStreaming();

        Instant t0 = Instant.now();
        // a malformed row first: everything after it must still be captured
        order("M-BAD", "10.00", "PAID", Instant.parse("1960-01-01T00:00:00Z"));
        // paid in full, marked PAID by an update: nothing to report
        order("M-OK", "100.00", "CREATED", t0);
        script.payment("P-M-OK", "M-OK", "100.00", "SUCCESS", t0.plusMillis(100));
        maria.execute("UPDATE shopm.orders SET status = 'PAID' WHERE order_id = 'M-OK'");
        // the amount corrected by an update (its payment of the new amount comes below, once the update is surely a fact:
        // the two databases are streamed apart, so a payment could otherwise meet the order's first version for a moment)
        order("M-UPD", "100.00", "CREATED", t0);
        maria.execute("UPDATE shopm.orders SET amount = 120.00, status = 'PAID' WHERE order_id = 'M-UPD'");
        // deleted before its window closed: no MISSING
        order("M-DEL", "100.00", "CREATED", t0);
        maria.execute("DELETE FROM shopm.orders WHERE order_id = 'M-DEL'");
        // moved to another order id: the old key is retracted (no MISSING), the new one is paid
        order("M-KEY-OLD", "100.00", "PAID", t0);
        maria.execute("UPDATE shopm.orders SET order_id = 'M-KEY-NEW' WHERE order_id = 'M-KEY-OLD'");
        script.payment("P-M-KEY", "M-KEY-NEW", "100.00", "SUCCESS", t0.plusMillis(100));
        // the faults: never paid, and paid the wrong amount
        order("M-MISS", "100.00", "CREATED", t0);
        script.payment("P-M-AMT", "M-AMT", "105.00", "SUCCESS", t0.plusMillis(100));
        long committed = System.nanoTime();
        order("M-AMT", "100.00", "PAID", t0);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> recon.get("/api/mismatches?key=M-AMT&type=AMOUNT").get("total").asInt() == 1);
        commitToMismatchMs = (System.nanoTime() - committed) / 1_000_000;
        // the binlog is read in commit order: with M-AMT's order handled, M-UPD's update is too
        script.payment("P-M-UPD", "M-UPD", "120.00", "SUCCESS", t0.plusMillis(100));
        System.out.printf("MARIADB-FIGURE commit of a MariaDB order to its AMOUNT mismatch in the API: %d ms%n", commitToMismatchMs);
    }

    @AfterAll
    static void stop() throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (script != null) {
            script.close();
        }
        if (recon != null) {
            recon.close();
        }
        if (maria != null) {
            maria.close();
            maria.delete();
        }
    }

    @Test
    void theTaskFindsExactlyTheInjectedFaultsAcrossMariaDbAndPostgresql() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> recon.get("/api/mismatches?key=M-MISS&type=MISSING").get("total").asInt() == 1);
        // every other window of these orders closed with it (same event time): nothing else is coming
        Set<String> ours = new TreeSet<>();
        recon.mismatches().stream().filter(m -> m.startsWith("M-")).forEach(ours::add);
        assertThat(ours).containsExactly("M-AMT AMOUNT OPEN", "M-MISS MISSING OPEN");
        assertThat(recon.mismatch("M-AMT", "AMOUNT").toString()).contains("P-M-AMT", "105.00", "100.00");
        assertThat(commitToMismatchMs).isLessThan(10_000);
    }

    @Test
    void aMalformedRowIsADeadLetterAndCaptureGoesOn() {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode items = recon.get("/api/dead-letters?source=maria-orders").get("items");
            found[0] = items.size() == 1 ? items.get(0) : null;
            return found[0] != null;
        });
        assertThat(found[0].get("reason").asString()).contains("before 1970").contains("createdAt");
        assertThat(found[0].toString()).contains("M-BAD");
        assertThat(recon.get("/api/sources/maria-orders").get("status").asString()).isEqualTo("RUNNING");
        for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
            assertThat(session.get("state").asString()).isEqualTo("RUNNING");
        }
    }

    @Test
    void registrationRefusesWhatCannotBeCapturedAndSaysWhatToChange() {
        assertThat(noGrants.statusCode()).as(noGrants.body()).isEqualTo(400);
        assertThat(noGrants.body()).contains("user reader lacks REPLICATION SLAVE, BINLOG MONITOR, RELOAD")
                .contains("GRANT REPLICATION SLAVE, BINLOG MONITOR, RELOAD ON *.* TO 'reader'");
        assertThat(noBinlogRows.statusCode()).as(noBinlogRows.body()).isEqualTo(400);
        assertThat(noBinlogRows.body()).contains("binlog_row_image=MINIMAL").contains("set binlog_row_image=FULL");
        assertThat(send("GET", "/api/databases/shopm-minimal", null, "viewer").statusCode()).isEqualTo(404);
    }

    @Test
    void thePasswordIsInNoAnswerAndNoLog() throws Exception {
        assertThat(send("GET", "/api/databases/shopm", null, "operator").body()).doesNotContain(SECRET).contains("MARIADB");
        assertThat(send("GET", "/api/databases", null, "operator").body()).doesNotContain(SECRET);
        assertThat(logs.list).isNotEmpty();
        for (ch.qos.logback.classic.spi.ILoggingEvent event : java.util.List.copyOf(logs.list)) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (ch.qos.logback.classic.spi.IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getMessage());
            }
            assertThat(text.toString()).doesNotContain(SECRET);
        }
    }

    /** Until an order written now is a fact in a session: the capture streams (its snapshot, of an empty table, is done). */
    private static void awaitStreaming() {
        order("M-PROBE", "1.00", "PAID", Instant.now());
        script.payment("P-M-PROBE", "M-PROBE", "1.00", "SUCCESS", Instant.now());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
                JsonNode orders = session.get("liveFactsByType").get("Order");
                if (orders != null && orders.asInt() > 0) {
                    return true;
                }
            }
            return false;
        });
    }

    private static void order(String id, String amount, String status, Instant createdAt) {
        maria.execute("INSERT INTO shopm.orders (order_id, customer_id, amount, currency, status, created_at, updated_at) VALUES ('" + id
                + "', 'C-1', " + amount + ", 'EUR', '" + status + "', '" + SQL_TIME.format(createdAt) + "', '" + SQL_TIME.format(createdAt) + "')");
    }

    private static String database(String user, String password) {
        return "{\"kind\": \"MARIADB\", \"host\": \"127.0.0.1\", \"port\": " + maria.port() + ", \"database\": \"shopm\", \"username\": \""
                + user + "\", \"password\": \"" + password + "\"}";
    }

    private static HttpResponse<String> send(String method, String path, String body, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(recon.baseUrl() + path)).header("Authorization", ReconInstance.basic(user))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
