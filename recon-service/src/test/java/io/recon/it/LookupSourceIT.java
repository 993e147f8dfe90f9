package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recon.demo.DemoSystems;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Lookups (反查) as facts, on the full service: payments are reconciled against an order book that is NOT captured at
 * all, only looked up. A payment arrives (captured from the demo's pay database); a second later its order is read from
 * the order book (SQL, read-only) and a ledger is asked (HTTP, a local receiver); each answer becomes a fact of its own
 * type on the trade task's facts topic, and rules published through the API find exactly the injected faults: an
 * order the book does not know, an amount that differs, and a ledger that answers HTTP 500 (after the retries, a
 * "lookup failed" fact). A burst of payments never puts more than the ledger's rate into one second at the ledger.
 */
@RunsAlone
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LookupSourceIT {

    private static final int LEDGER_RATE = 20;
    private static final int BURST = 60;

    private static java.nio.file.Path workDir;
    private static ReconInstance recon;
    private static DemoScript script;
    private static HttpServer ledger;
    private static final Map<String, Integer> ledgerAsked = new ConcurrentHashMap<>();
    /** System.nanoTime() of each request as the ledger received it (same JVM, same clock) */
    private static final List<Long> ledgerArrivals = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    static final String LOOKUP_RULES = """
            package recon.trade

            import java.math.BigDecimal
            import io.recon.rules.Mismatch
            import io.recon.rules.Severity
            import io.recon.rules.Tolerance

            // What the order book said about a payment's order, a second after the payment: filled by lookup order-book.
            declare OrderLookup
                @role( event )
                @timestamp( checkedAt )
                @expires( 10m )

                orderId      : String
                amount       : BigDecimal
                status       : String
                found        : boolean
                lookupFailed : boolean
                lookupError  : String
                checkedAt    : long
            end

            // What the ledger said about it: filled by lookup ledger.
            declare LedgerLookup
                @role( event )
                @timestamp( checkedAt )
                @expires( 10m )

                orderId      : String
                settled      : BigDecimal
                found        : boolean
                lookupFailed : boolean
                lookupError  : String
                checkedAt    : long
            end

            rule "A paid order is in the order book"
            when
                $payment : Payment( status == "SUCCESS", $orderId : orderId, $paymentId : paymentId )
                $book : OrderLookup( orderId == $orderId, found == false, lookupFailed == false )
            then
                insertLogical( Mismatch.of( "UNKNOWN_ORDER", Severity.P2, $orderId, "Payment " + $paymentId + " is for order " + $orderId + ", which the order book does not know.", $payment, $book ) );
            end

            rule "A payment is for the amount in the order book"
            when
                $payment : Payment( status == "SUCCESS", $orderId : orderId, $paid : amount )
                $book : OrderLookup( orderId == $orderId, found, Tolerance.differsBy( amount, $paid, 0.01 ), $booked : amount )
            then
                insertLogical( Mismatch.of( "BOOK_AMOUNT", Severity.P2, $orderId, "Payment of " + $paid + " for order " + $orderId + ", which the order book has at " + $booked + ".", $payment, $book ) );
            end

            rule "A lookup that failed is reported"
            when
                $ledger : LedgerLookup( lookupFailed, $orderId : orderId, $error : lookupError )
            then
                insertLogical( Mismatch.of( "LOOKUP_FAILED", Severity.P3, $orderId, "The ledger could not be asked about order " + $orderId + ": " + $error, $ledger ) );
            end
            """;

    @BeforeAll
    static void start() throws Exception {
        ledger = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ledger.createContext("/ledger/", exchange -> {
            ledgerArrivals.add(System.nanoTime());
            String key = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/ledger/".length()), StandardCharsets.UTF_8);
            ledgerAsked.merge(key, 1, Integer::sum);
            int status = key.startsWith("LK-FAIL") ? 500 : 200;
            byte[] body = (status == 500 ? "{\"error\":\"ledger is down\"}" : "{\"order\":\"" + key + "\",\"settlement\":{\"amount\":10.00}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ledger.setExecutor(Executors.newFixedThreadPool(4));
        ledger.start();

        // The trade rules with the two answer types and three rules added, as a released version the service starts on. (Adding
        // a type by hot activation needs the classic compiler, drools-mvel, which this service leaves out.)
        workDir = ReconTestSupport.newWorkDir("lookups");
        List<io.recon.authoring.RuleFile> files = new ArrayList<>();
        for (Map<String, String> f : RulesWorkbenchIT.sampleFiles()) {
            files.add(new io.recon.authoring.RuleFile(f.get("name"), f.get("content")));
        }
        files.add(new io.recon.authoring.RuleFile("recon/trade/lookups.drl", LOOKUP_RULES));
        byte[] kjar = io.recon.authoring.KjarSources.write(org.kie.api.KieServices.get().newReleaseId("io.recon", "rules-kjar", "1.1.0"),
                java.nio.file.Files.readString(java.nio.file.Path.of("../rules-kjar/src/main/resources/META-INF/kmodule.xml")), files);
        java.nio.file.Path version = workDir.resolve("rules/io/recon/rules-kjar/1.1.0");
        java.nio.file.Files.createDirectories(version);
        java.nio.file.Files.write(version.resolve("rules-kjar-1.1.0.jar"), kjar);

        startRecon();
        JdbcTemplate shop = recon.bean(DemoSystems.class).jdbc("shop");
        // the order book: a table of the shop database that no source captures
        shop.execute("create table if not exists public.order_book (order_id text primary key, amount numeric(12,2) not null,"
                + " status text not null)");
    }

    private static void startRecon() {
        recon = ReconInstance.start(workDir, "recon.rules.repository=" + workDir.resolve("rules"), "recon.rules.version=1.1.0");
        script = recon.script();
    }

    @AfterAll
    static void stop() {
        if (script != null) {
            script.close();
        }
        if (recon != null) {
            recon.close();
        }
        if (ledger != null) {
            ledger.stop(0);
        }
    }

    @Test
    @Order(1)
    void paymentsAreReconciledAgainstTablesAndServicesThatAreOnlyLookedUp() {
        refusals();
        HttpResponse<String> book = send("PUT", "/api/lookups/order-book", """
                {"task": "trade", "when": "recon.trade.Payment", "delay": "1s", "kind": "SQL", "database": "shop",
                 "sql": "select order_id, amount, status from public.order_book where order_id = :orderId",
                 "answer": "recon.trade.OrderLookup", "eventTime": "checkedAt", "rate": 50, "retry": ["200ms", "400ms"]}""", "analyst");
        assertThat(book.statusCode()).as(book.body()).isEqualTo(200);
        HttpResponse<String> ledgerLookup = send("PUT", "/api/lookups/ledger", """
                {"task": "trade", "when": "recon.trade.Payment", "delay": "1s", "kind": "HTTP",
                 "url": "http://127.0.0.1:%d/ledger/{orderId}", "fields": {"settled": "$.settlement.amount"},
                 "answer": "recon.trade.LedgerLookup", "eventTime": "checkedAt", "rate": %d, "retry": ["200ms", "200ms"]}"""
                .formatted(ledger.getAddress().getPort(), LEDGER_RATE), "operator");
        assertThat(ledgerLookup.statusCode()).as(ledgerLookup.body()).isEqualTo(200);
        assertThat(recon.get("/api/lookups").toString()).contains("order-book", "ledger");
        assertThat(recon.get("/api/catalog/changes?limit=5").toString()).contains("\"kind\":\"lookup\"", "order-book");

        JdbcTemplate shop = recon.bean(DemoSystems.class).jdbc("shop");
        Instant t0 = Instant.now();
        shop.update("insert into order_book values ('LK-OK-1', 100.00, 'PAID'), ('LK-AMT-1', 100.00, 'PAID'), ('LK-FAIL-1', 30.00, 'PAID')");
        for (int i = 1; i <= BURST; i++) {
            shop.update("insert into order_book values (?, 10.00, 'PAID')", "LK-R-" + i);
        }
        long burstStart = System.nanoTime();
        script.payment("P-LK-OK-1", "LK-OK-1", "100.00", "SUCCESS", t0);
        script.payment("P-LK-AMT-1", "LK-AMT-1", "105.00", "SUCCESS", t0);      // the book has 100.00
        script.payment("P-LK-UNK-1", "LK-UNK-1", "50.00", "SUCCESS", t0);       // the book has no such order
        script.payment("P-LK-FAIL-1", "LK-FAIL-1", "30.00", "SUCCESS", t0);     // the ledger answers HTTP 500
        for (int i = 1; i <= BURST; i++) {
            script.payment("P-LK-R-" + i, "LK-R-" + i, "10.00", "SUCCESS", t0.plusMillis(i));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(lookupMismatches())
                .containsExactlyInAnyOrder("LK-AMT-1 BOOK_AMOUNT", "LK-UNK-1 UNKNOWN_ORDER", "LK-FAIL-1 LOOKUP_FAILED"));
        await().atMost(Duration.ofSeconds(60)).until(() -> answers() >= 2L * (BURST + 4));
        long burstMillis = (System.nanoTime() - burstStart) / 1_000_000;
        // nothing else turns up once every answer is in
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(lookupMismatches()).containsExactlyInAnyOrder("LK-AMT-1 BOOK_AMOUNT", "LK-UNK-1 UNKNOWN_ORDER", "LK-FAIL-1 LOOKUP_FAILED");

        assertThat(recon.mismatch("LK-AMT-1", "BOOK_AMOUNT").toString()).contains("105", "100");
        assertThat(recon.mismatch("LK-UNK-1", "UNKNOWN_ORDER").toString()).as("the answer's event time: the payment's plus the delay")
                .contains("\"checkedAt\":" + (t0.toEpochMilli() + 1000));
        String failed = recon.mismatch("LK-FAIL-1", "LOOKUP_FAILED").toString();
        assertThat(failed).contains("HTTP 500", "/ledger/LK-FAIL-1");
        assertThat(ledgerAsked.get("LK-FAIL-1")).as("the first attempt and two retries").isEqualTo(3);

        // the rate limit holds at the ledger: no second holds more than its rate
        List<Long> arrivals = new ArrayList<>(ledgerArrivals);
        arrivals.sort(Long::compare);
        int most = 0;
        for (int i = 0, j = 0; i < arrivals.size(); i++) {
            while (arrivals.get(i) - arrivals.get(j) >= TimeUnit.SECONDS.toNanos(1)) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        assertThat(most).as("requests within one second at the ledger").isLessThanOrEqualTo(LEDGER_RATE);
        long spanMillis = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000;
        assertThat(spanMillis).as("%d requests at %d/s", arrivals.size(), LEDGER_RATE)
                .isGreaterThanOrEqualTo((arrivals.size() - LEDGER_RATE) * 1000L / LEDGER_RATE - 100);

        Timer latency = recon.bean(MeterRegistry.class).find("recon.lookup.latency").tag("lookup", "order-book").timer();
        Timer ledgerLatency = recon.bean(MeterRegistry.class).find("recon.lookup.latency").tag("lookup", "ledger").timer();
        System.out.printf("LOOKUP-FIGURE %d payments, %d lookups answered in %d ms from the first payment (%.1f answers/s);"
                        + " trigger read to answer published (1 s delay included): order-book mean %.0f ms max %.0f ms, ledger (rate %d/s)"
                        + " mean %.0f ms max %.0f ms; ledger busiest second %d requests over %d ms%n",
                BURST + 4, answers(), burstMillis, answers() * 1000.0 / burstMillis, latency.mean(TimeUnit.MILLISECONDS),
                latency.max(TimeUnit.MILLISECONDS), LEDGER_RATE, ledgerLatency.mean(TimeUnit.MILLISECONDS),
                ledgerLatency.max(TimeUnit.MILLISECONDS), most, spanMillis);
    }

    /**
     * A lookup due while Recon is down is made after the restart (its trigger was stored when read); the sessions
     * rebuild from the facts topic, answers included, and nothing is asked again.
     */
    @Test
    @Order(2)
    void aLookupDueWhileReconWasDownIsMadeAfterTheRestartAndTheReplayAsksNothingAgain() throws Exception {
        JsonNode book = recon.get("/api/lookups/order-book");
        HttpResponse<String> slower = send("PUT", "/api/lookups/order-book", book.toString().replace("\"delay\":\"1s\"", "\"delay\":\"8s\""),
                "analyst");
        assertThat(slower.statusCode()).as(slower.body()).isEqualTo(200);
        Map<String, Integer> askedBefore = Map.copyOf(ledgerAsked);
        Set<String> before = lookupMismatches();
        JdbcTemplate recon0 = new JdbcTemplate(recon.bean(javax.sql.DataSource.class));
        Instant t0 = Instant.now();
        script.payment("P-LK-DUR-1", "LK-DUR-1", "70.00", "SUCCESS", t0);      // the book has no such order
        await().atMost(Duration.ofSeconds(20)).until(() -> recon0.queryForObject(
                "select count(*) from lookup_pending where fact_key = 'LK-DUR-1' and lookup_name = 'order-book' and status = 'PENDING'",
                Integer.class) == 1);
        script.close();
        recon.close();
        long downUntil = t0.toEpochMilli() + 9000;
        Thread.sleep(Math.max(0, downUntil - System.currentTimeMillis())); // the lookup falls due while Recon is down

        startRecon();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(lookupMismatches()).contains("LK-DUR-1 UNKNOWN_ORDER"));
        Set<String> expected = new TreeSet<>(before);
        expected.add("LK-DUR-1 UNKNOWN_ORDER");
        assertThat(lookupMismatches()).isEqualTo(expected);
        assertThat(recon.mismatch("LK-DUR-1", "UNKNOWN_ORDER").toString()).contains("\"checkedAt\":" + (t0.toEpochMilli() + 8000));
        askedBefore.forEach((key, n) -> assertThat(ledgerAsked.get(key)).as("ledger asked about %s again", key).isEqualTo(n));
    }

    /** Every validation rule of a lookup refuses with a sentence naming what to fix, and stores nothing. */
    private void refusals() {
        String base = "\"task\": \"trade\", \"when\": \"recon.trade.Payment\", \"answer\": \"recon.trade.OrderLookup\", \"eventTime\": \"checkedAt\"";
        refused("{" + base + ", \"database\": \"no-such-db\", \"sql\": \"select 1\"}", "database", "database 'no-such-db' is not in the catalog");
        refused("{" + base + ", \"database\": \"shop\", \"sql\": \"delete from public.order_book where order_id = :orderId\"}", "sql",
                "only a SELECT");
        refused("{" + base + ", \"database\": \"shop\", \"sql\": \"select * from public.order_book; drop table public.order_book\"}", "sql",
                "2 statements");
        refused("{" + base + ", \"database\": \"shop\", \"sql\": \"select * from public.order_book where order_id = :orderRef\"}", "sql",
                ":orderRef names no field of recon.trade.Payment");
        refused("{\"task\": \"trade\", \"when\": \"recon.trade.Payment\", \"answer\": \"recon.trade.Refund\", \"eventTime\": \"checkedAt\","
                + " \"database\": \"shop\", \"sql\": \"select 1\"}", "answer", "the active rules declare no fact type recon.trade.Refund");
        refused("{" + base + ", \"kind\": \"HTTP\", \"url\": \"http://127.0.0.1:1/x/{orderRef}\"}", "url", "{orderRef} names no field");
        assertThat(send("PUT", "/api/lookups/by-viewer", "{" + base + "}", "viewer").statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/lookups/refused-one", null, "viewer").statusCode()).isEqualTo(404);
    }

    private void refused(String body, String field, String sentence) {
        HttpResponse<String> answer = send("PUT", "/api/lookups/refused-one", body, "analyst");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        JsonNode json = ReconInstance.JSON.readTree(answer.body());
        assertThat(json.get("message").asString()).contains(sentence).startsWith("Lookup refused-one");
        assertThat(json.get("field").asString()).isEqualTo(field);
    }

    private long answers() {
        return (long) recon.bean(MeterRegistry.class).find("recon.lookup.answers").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private Set<String> lookupMismatches() {
        Set<String> found = new TreeSet<>();
        for (JsonNode item : recon.get("/api/mismatches?size=500").get("items")) {
            if (item.get("key").asString().startsWith("LK-")) {
                found.add(item.get("key").asString() + " " + item.get("type").asString());
            }
        }
        return found;
    }

    private HttpResponse<String> send(String method, String path, String body, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(recon.baseUrl() + path)).header("Authorization", ReconInstance.basic(user))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
