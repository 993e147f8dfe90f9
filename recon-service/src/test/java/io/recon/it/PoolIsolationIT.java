package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.system.ReconDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No number of slow API clients starves the sessions: with every connection of the API pool held by a
 * request stuck in a slow query (and more requests queueing for one), a session still stores its
 * mismatch in time, through its own pool.
 */
class PoolIsolationIT {

    private static final int API_POOL = 3;
    private static ReconInstance recon;

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("pools"),
                "recon.pools.api.size=" + API_POOL,
                "recon.pools.api.connection-timeout=60s");
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void aSessionStoresItsMismatchWhileSlowClientsHoldEveryApiConnection() throws Exception {
        ReconDatabase db = recon.bean(ReconDatabase.class);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + recon.bean(org.springframework.core.env.Environment.class).getProperty("local.server.port");
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        try (DemoScript script = recon.script()) {
            script.overpaidFlow("POOL-0", Instant.now());
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> storedMismatches(db, "POOL-0", "AMOUNT") == 1); // the pipeline is live
        try (Connection blocker = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
            blocker.setAutoCommit(false);
            // Reads of the action log now wait for this lock: each slow request holds an API connection.
            // With no alert routes, the sessions never touch that table.
            blocker.createStatement().execute("lock table action in access exclusive mode");
            for (int i = 0; i < API_POOL * 4; i++) {
                slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/actions")).header("Authorization", basic("operator"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
            // (each request first checks its user's BCrypt password: on a loaded machine they arrive slowly)
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> gauge("hikaricp.connections.active", "recon-api") == API_POOL
                    && gauge("hikaricp.connections.pending", "recon-api") > 0);

            Instant sent = Instant.now();
            try (DemoScript script = recon.script()) {
                script.overpaidFlow("POOL-1", sent);
            }
            // looked up in the table itself: the API cannot answer now, that is the point
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> storedMismatches(db, "POOL-1", "AMOUNT") == 1);
            long tookMillis = Duration.between(sent, Instant.now()).toMillis();

            assertThat(slow).as("the slow clients are still stuck").noneMatch(CompletableFuture::isDone);
            assertThat(gauge("hikaricp.connections.active", "recon-api")).as("every API connection still busy").isEqualTo(API_POOL);
            assertThat(tookMillis).as("stored in time despite the slow clients").isLessThan(15_000);
            System.out.printf("POOL-1 mismatch stored %d ms after its writes while %d slow requests held all %d API connections%n",
                    tookMillis, slow.size(), API_POOL);
            blocker.rollback();
        }
        for (CompletableFuture<HttpResponse<String>> request : slow) {
            assertThat(request.get().statusCode()).as("the slow clients are served once the query is fast again").isEqualTo(200);
        }
    }

    private static int storedMismatches(ReconDatabase db, String key, String type) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             var query = c.prepareStatement("select count(*) from mismatch where correlation_key = ? and type = ?")) {
            query.setString(1, key);
            query.setString(2, type);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /**
     * A pool gauge, read from the service's meter registry: over HTTP the request would first have to sign
     * in, and checking a user stored in the database needs the very API-pool connection the slow clients hold.
     */
    private static double gauge(String name, String pool) {
        // the API pool starts with the first request that needs it: no gauge before that
        var gauge = recon.bean(io.micrometer.core.instrument.MeterRegistry.class).find(name).tag("pool", pool).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static String basic(String user) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + user).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
