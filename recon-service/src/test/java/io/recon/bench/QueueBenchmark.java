package io.recon.bench;

import io.recon.web.QueueFirstRender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The mismatch queue with a big store: the server time of the queue page's request (GET
 * /api/mismatches as the workbench sends it on opening the queue: no filter, newest first, 50 a
 * page; with a type and status filter; sorted by a column header) at 100k and 1M mismatches bulk-inserted into
 * PostgreSQL, and the time until Chromium shows the queue's first rows at 100k.
 */
final class QueueBenchmark {

    private static final String[] QUERIES = {
            "/api/mismatches?page=0&size=50",                          // the queue as it opens
            "/api/mismatches?type=AMOUNT&status=OPEN&page=0&size=50",  // filtered to one type's open ones
            "/api/mismatches?page=200&size=50",                        // paged deep
            "/api/mismatches?sort=severity&dir=asc&page=0&size=50",    // sorted by a column header (V90's index)
            "/api/mismatches?status=OPEN&sort=key&dir=desc&page=0&size=50", // open ones by key, reversed
    };

    static void run(int requests, int... sizes) throws Exception {
        try (BenchApp app = BenchApp.start(BenchApp.freshWorkDir("queue"), "recon.demo.traffic=false")) {
            JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
            String baseUrl = "http://localhost:" + ((WebServerApplicationContext) app.context).getWebServer().getPort();
            int stored = 0;
            for (int size : sizes) {
                long started = System.nanoTime();
                insert(jdbc, stored, size);
                jdbc.execute("vacuum analyze mismatch");
                System.out.printf("queue       %,9d mismatches stored (bulk insert %.1f s)%n", size, (System.nanoTime() - started) / 1e9);
                stored = size;
                for (String query : QUERIES) {
                    double[] ms = time(baseUrl + query, requests);
                    System.out.printf("queue       %,9d mismatches  GET %-55s p50 %6.1f ms  p99 %6.1f ms  (%d requests)%n", size, query,
                            percentile(ms, 50), percentile(ms, 99), requests);
                }
                if (size == 100_000) {
                    firstRender(baseUrl, size);
                }
            }
        }
    }

    /**
     * Mismatches numbered from..to: six types, mostly open, first seen every 2 s back from now. In
     * statements of 100k rows: one of 900k rows outlasts the pool's statement timeout (60 s) on a busy machine.
     */
    private static void insert(JdbcTemplate jdbc, int from, int to) {
        for (int start = from; start < to; start += 100_000) {
            insertRange(jdbc, start, Math.min(to, start + 100_000));
        }
    }

    private static void insertRange(JdbcTemplate jdbc, int from, int to) {
        jdbc.update("""
                insert into mismatch (task, correlation_key, type, status, severity, rule_name, rules_version, reason, snapshot,
                                      first_seen, last_seen)
                select 'trade', 'BENCH-' || g,
                       (array['MISSING', 'AMOUNT', 'STATUS', 'DUPLICATE', 'LATE', 'MISSING_SHIPMENT'])[1 + g % 6],
                       case when g % 10 < 7 then 'OPEN' when g % 10 < 9 then 'RESOLVED' else 'AUTO_RESOLVED' end,
                       (array['P1', 'P2', 'P3', 'P4'])[1 + g % 4], 'A payment is for the amount of its order', '1.0.0',
                       'Payment P-BENCH-' || g || ' charged 105.00 for order BENCH-' || g || ', which is for 100.00.', '[]'::jsonb,
                       now() - g * interval '2 seconds', now() - g * interval '2 seconds'
                from generate_series(?, ?) g""", from + 1, to);
    }

    private static double[] time(String url, int requests) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("viewer:viewer".getBytes(StandardCharsets.UTF_8))).GET().build();
        for (int i = 0; i < 10; i++) {
            check(http.send(request, HttpResponse.BodyHandlers.ofString()), url);
        }
        double[] ms = new double[requests];
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            check(http.send(request, HttpResponse.BodyHandlers.ofString()), url);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void check(HttpResponse<String> response, String url) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static void firstRender(String baseUrl, int size) {
        if (!new java.io.File("/usr/bin/chromium").canExecute()) {
            System.out.println("queue       first render: skipped, /usr/bin/chromium is missing (bin/recon test installs it)");
            return;
        }
        double[] ms = QueueFirstRender.measure(baseUrl, 6);
        double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(warm);
        System.out.printf("queue       %,9d mismatches  Chromium, /mismatches opened to first rows shown: first %6.0f ms, then p50 %6.0f ms%n",
                size, ms[0], percentile(warm, 50));
    }

    private QueueBenchmark() {
    }
}
