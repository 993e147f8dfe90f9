package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.recon.demo.DemoSystems;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Second checks by HTTP GET against a ledger service (a real local HTTP server answering JSON): the compared value is
 * picked from the answer by a JSON path and compared with the order's amount. A mismatch the ledger still shows is
 * confirmed, one it no longer shows is auto-resolved, a non-2xx answer is a failed lookup retried and noted (and the
 * Authorization header it echoes is masked everywhere). Two checks reading the same ledger document share it through
 * the cache, counted as hits in /actuator/prometheus. A burst of 1,000 re-checks on a target limited to 50/s takes at
 * least 20 s and the ledger never receives more than 50 requests within any second.
 */
class HttpRecheckIT {

    private static final String TOKEN = "Ledger-Token-5Hq9X";
    private static final int BURST = 1000;
    private static final int RATE = 50;

    private static Path logFile;
    private static HttpServer ledger;
    private static ReconInstance recon;
    /** key → [status, body] the ledger answers for /ledger/orders/{key} */
    private static final Map<String, Object[]> orders = new ConcurrentHashMap<>();
    private static final Map<String, Integer> asked = new ConcurrentHashMap<>();
    private static final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** System.nanoTime() of every request on /ledger/paid, as the ledger received it (same JVM, same clock) */
    private static final List<Long> paidArrivals = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ledger = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ledger.createContext("/ledger/orders/", exchange -> {
            String key = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/ledger/orders/".length()), StandardCharsets.UTF_8);
            asked.merge(key, 1, Integer::sum);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            Object[] answer = orders.getOrDefault(key, new Object[] {404, "{\"error\":\"no order " + key + "\"}"});
            String body = ((String) answer[1]).replace("$AUTH", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            respond(exchange, (Integer) answer[0], body);
        });
        ledger.createContext("/ledger/paid", exchange -> {
            paidArrivals.add(System.nanoTime());
            respond(exchange, 200, "{\"order\":\"" + exchange.getRequestURI().getQuery() + "\",\"paid\":false}");
        });
        ledger.setExecutor(Executors.newFixedThreadPool(4));
        ledger.start();
        String base = "http://127.0.0.1:" + ledger.getAddress().getPort();

        Path workDir = ReconTestSupport.newWorkDir("httprecheck");
        logFile = workDir.resolve("recon.log");
        recon = ReconInstance.start(workDir,
                "logging.config=classpath:logback-secrets.xml", "logging.file.name=" + logFile,
                "recon.recheck.retry-schedule=200ms,400ms",
                "recon.recheck.cache-ttl=1m",
                // the order's amount against the ledger's settled amount
                "recon.recheck.checks.ledger-amount.task=trade",
                "recon.recheck.checks.ledger-amount.type=AMOUNT",
                "recon.recheck.checks.ledger-amount.delay=1s",
                "recon.recheck.checks.ledger-amount.kind=http",
                "recon.recheck.checks.ledger-amount.url=" + base + "/ledger/orders/{key}",
                "recon.recheck.checks.ledger-amount.path=$.settlement.amount",
                "recon.recheck.checks.ledger-amount.holds=differs",
                "recon.recheck.checks.ledger-amount.value={Order.amount}",
                "recon.recheck.checks.ledger-amount.headers.Authorization=Bearer " + TOKEN,
                "recon.recheck.checks.ledger-amount.rate=" + RATE,
                // the same document, another field (JSON Pointer)
                "recon.recheck.checks.ledger-duplicate.task=trade",
                "recon.recheck.checks.ledger-duplicate.type=DUPLICATE",
                "recon.recheck.checks.ledger-duplicate.delay=1s",
                "recon.recheck.checks.ledger-duplicate.kind=http",
                "recon.recheck.checks.ledger-duplicate.url=" + base + "/ledger/orders/{key}",
                "recon.recheck.checks.ledger-duplicate.path=/settlement/payments",
                "recon.recheck.checks.ledger-duplicate.holds=differs",
                "recon.recheck.checks.ledger-duplicate.value=1",
                "recon.recheck.checks.ledger-duplicate.headers.Authorization=Bearer " + TOKEN,
                // only when asked (the burst), on a named target of its own
                "recon.recheck.checks.ledger-paid.task=trade",
                "recon.recheck.checks.ledger-paid.type=MISSING",
                "recon.recheck.checks.ledger-paid.delay=1h",
                "recon.recheck.checks.ledger-paid.kind=http",
                "recon.recheck.checks.ledger-paid.url=" + base + "/ledger/paid?order={key}",
                "recon.recheck.checks.ledger-paid.path=$.paid",
                "recon.recheck.checks.ledger-paid.holds=false",
                "recon.recheck.checks.ledger-paid.target=ledger-bulk",
                "recon.recheck.checks.ledger-paid.rate=" + RATE);
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
        if (ledger != null) {
            ledger.stop(0);
        }
    }

    @Test
    void aMismatchTheLedgerStillShowsIsConfirmed() {
        orders.put("HC-AMT-1", new Object[] {200, "{\"order\":\"HC-AMT-1\",\"settlement\":{\"amount\":105.00,\"payments\":1}}"});
        long id = amountMismatch("HC-AMT-1");

        await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(id).equals("CONFIRMED"));
        JsonNode last = lastHistory(id);
        assertThat(last.get("actor").asString()).isEqualTo("recheck");
        assertThat(last.get("note").asString()).contains("ledger-amount", "/ledger/orders/HC-AMT-1", "$.settlement.amount = 105",
                "differs from 100", "still shows the mismatch");
        assertThat(authorizations).contains("Bearer " + TOKEN);
    }

    @Test
    void aMismatchTheLedgerNoLongerShowsIsAutoResolved() {
        orders.put("HC-AMT-2", new Object[] {200, "{\"order\":\"HC-AMT-2\",\"settlement\":{\"amount\":\"100.0\",\"payments\":1}}"});
        long id = amountMismatch("HC-AMT-2");

        await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(id).equals("AUTO_RESOLVED"));
        assertThat(lastHistory(id).get("note").asString()).contains("$.settlement.amount = 100.0", "no longer shows the mismatch");
        assertThat(recon.get("/api/mismatches/" + id + "/recheck").get("outcome").asString()).isEqualTo("AUTO_RESOLVED");
    }

    @Test
    void aNon2xxAnswerIsAFailedLookupRetriedAndNotedWithoutTheSecret() throws Exception {
        orders.put("HC-AMT-3", new Object[] {503, "ledger in maintenance (you sent $AUTH; token " + TOKEN + ")"});
        long id = amountMismatch("HC-AMT-3");

        await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(id).equals("CONFIRMED"));
        JsonNode state = recon.get("/api/mismatches/" + id + "/recheck");
        assertThat(state.get("attempts").asInt()).isEqualTo(3);
        assertThat(state.get("lastError").asString()).contains("/ledger/orders/HC-AMT-3 answered HTTP 503", "ledger in maintenance", "you sent ****; token ****");
        assertThat(lastHistory(id).get("note").asString()).contains("failed 3 times", "HTTP 503", "confirmed without it");
        assertThat(asked.get("HC-AMT-3")).isEqualTo(3);
        String answers = recon.getText("/api/mismatches/" + id) + recon.getText("/api/mismatches/" + id + "/recheck")
                + recon.getText("/actuator/recon") + recon.getText("/actuator/prometheus");
        assertThat(answers).doesNotContain(TOKEN);
        List<String> log = Files.readAllLines(logFile);
        assertThat(String.join("\n", log)).contains("HTTP 503");
        assertThat(log.stream().filter(line -> line.contains(TOKEN)).toList()).as("log lines holding the token").isEmpty();
    }

    @Test
    void twoChecksReadingTheSameDocumentShareItThroughTheCache() {
        orders.put("HC-DUP-1", new Object[] {200, "{\"order\":\"HC-DUP-1\",\"settlement\":{\"amount\":210.00,\"payments\":2}}"});
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.order("HC-DUP-1", "100.00", t0);
            script.payment("P-HC-DUP-1a", "HC-DUP-1", "105.00", "SUCCESS", t0.plusMillis(200));
            script.payment("P-HC-DUP-1b", "HC-DUP-1", "105.00", "SUCCESS", t0.plusMillis(400));
            script.markOrder("HC-DUP-1", "PAID");
        }
        long amount = recon.awaitMismatch("HC-DUP-1", "AMOUNT");
        long duplicate = recon.awaitMismatch("HC-DUP-1", "DUPLICATE");

        await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(amount).equals("CONFIRMED") && recon.status(duplicate).equals("CONFIRMED"));
        assertThat(asked.get("HC-DUP-1")).as("requests the ledger received for HC-DUP-1").isEqualTo(1);
        assertThat(lastHistory(amount).get("note").asString() + lastHistory(duplicate).get("note").asString()).contains("(cached)");
        String metrics = recon.getText("/actuator/prometheus");
        assertThat(counter(metrics, "ledger-amount", "hit") + counter(metrics, "ledger-duplicate", "hit")).isGreaterThanOrEqualTo(1);
        assertThat(counter(metrics, "ledger-amount", "miss")).isGreaterThanOrEqualTo(1);
        long hitsShown = 0;
        for (JsonNode check : recon.get("/actuator/recon").get("secondChecks")) {
            if (check.get("check").asString().startsWith("ledger-") && !check.get("check").asString().equals("ledger-paid")) {
                assertThat(check.get("target").asString()).isEqualTo("127.0.0.1:" + ledger.getAddress().getPort());
                hitsShown += check.get("hits").asLong();
            }
        }
        assertThat(hitsShown).as("cache hits in /actuator/recon").isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBurstOfAThousandRechecksKeepsToTheTargetsRate() {
        Instant createdAt = Instant.now();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            rows.add(new Object[] {String.format("HC-B-%04d", i), Timestamp.from(createdAt), Timestamp.from(createdAt)});
        }
        // never paid: MISSING 30 s later
        recon.bean(DemoSystems.class).jdbc("shop").batchUpdate("insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at)"
                + " values (?, 'C-1', 10.00, 'EUR', 'CREATED', ?, ?)", rows);
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> burst("OPEN") == BURST);
        assertThat(paidArrivals).isEmpty();

        Instant asked = Instant.now();
        HttpResponse<String> batch = recon.post("/api/mismatches/batch/recheck?type=MISSING&status=OPEN", "", "handler");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        assertThat(ReconInstance.JSON.readTree(batch.body()).get("applied").asInt()).isEqualTo(BURST);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> burst("CONFIRMED") == BURST);
        Instant lastDecided = recon.bean(JdbcTemplate.class).queryForObject(
                "select max(updated_at) from recheck where check_name = 'ledger-paid'", Timestamp.class).toInstant();

        assertThat(paidArrivals).hasSize(BURST);
        List<Long> arrivals = paidArrivals.stream().sorted().toList();
        Duration took = Duration.between(asked, lastDecided);
        Duration span = Duration.ofNanos(arrivals.get(BURST - 1) - arrivals.get(0));
        Map<Long, Long> perSecond = arrivals.stream().collect(Collectors.groupingBy(t -> (t - arrivals.get(0)) / 1_000_000_000L, Collectors.counting()));
        long busiestWindow = 0;
        for (int i = 0, j = 0; i < BURST; i++) {
            while (j < BURST && arrivals.get(j) - arrivals.get(i) < 1_000_000_000L) {
                j++;
            }
            busiestWindow = Math.max(busiestWindow, j - i);
        }
        System.out.printf("burst of %d re-checks at %d/s: %d ms from the batch request to the last decision, %d ms from the first to the last"
                        + " request at the ledger, busiest second %d, busiest 1-s window %d%n",
                BURST, RATE, took.toMillis(), span.toMillis(), perSecond.values().stream().mapToLong(Long::longValue).max().orElse(0), busiestWindow);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(BURST / RATE));
        assertThat(span).isGreaterThanOrEqualTo(Duration.ofMillis((BURST - 1) * 1000L / RATE - 50));
        assertThat(perSecond.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(RATE));
        assertThat(busiestWindow).as("requests within any 1-second window at the ledger").isLessThanOrEqualTo(RATE);
        assertThat(counter(recon.getText("/actuator/prometheus"), "ledger-paid", "miss")).isEqualTo(BURST);
    }

    private static int burst(String status) {
        return recon.bean(JdbcTemplate.class).queryForObject("select count(*) from mismatch where type = 'MISSING' and status = ?"
                + " and correlation_key like 'HC-B-%'", Integer.class, status);
    }

    private static double counter(String metrics, String check, String result) {
        Matcher m = Pattern.compile("(?m)^recon_recheck_lookups_total\\{([^}]*)} (\\S+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains("check=\"" + check + "\"") && m.group(1).contains("result=\"" + result + "\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    private static long amountMismatch(String order) {
        try (DemoScript script = recon.script()) {
            script.overpaidFlow(order, Instant.now());
        }
        return recon.awaitMismatch(order, "AMOUNT");
    }

    private static JsonNode lastHistory(long id) {
        JsonNode history = recon.get("/api/mismatches/" + id).get("history");
        return history.get(history.size() - 1);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
