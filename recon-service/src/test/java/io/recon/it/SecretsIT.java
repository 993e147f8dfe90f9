package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * No secret leaves Recon: with distinctive secrets configured (a source database's password, a webhook
 * URL's token, the SMTP password, a user's password), a full service runs traffic that alerts over a
 * webhook that fails at first and a mail server that is down, signs users in and out, and then every
 * GET endpoint is read; neither any response nor any line of the log holds a secret.
 */
class SecretsIT {

    private static final String DB_PASSWORD = "Db-Secret-7Q3xZ";
    private static final String HOOK_TOKEN = "Hook-Token-9Kp2W";
    private static final String SMTP_PASSWORD = "Smtp-Secret-4Vw8R";
    private static final String USER_PASSWORD = "User-Secret-2Lm6T";
    private static final String CATALOG_PASSWORD = "Catalog-Secret-8Nw3F";
    private static final String LEDGER_TOKEN = "Ledger-Token-5Hc1Y";
    private static final List<String> SECRETS = List.of(DB_PASSWORD, HOOK_TOKEN, SMTP_PASSWORD, USER_PASSWORD, CATALOG_PASSWORD, LEDGER_TOKEN);

    private static Path logFile;
    private static WebhookReceiver receiver;
    private static ReconInstance recon;

    @BeforeAll
    static void start() throws Exception {
        Path workDir = ReconTestSupport.newWorkDir("secrets");
        logFile = workDir.resolve("recon.log");
        receiver = new WebhookReceiver("/hook", "/ledger");
        receiver.failNext("/hook", 2);
        int postgresPort = Ports.freePort();
        recon = ReconInstance.start(workDir,
                // the whole log from the logging system's start on, stack traces included
                "logging.config=classpath:logback-secrets.xml", "logging.file.name=" + logFile,
                "recon.embedded.postgres-port=" + postgresPort,
                // the demo's pay database, reached as an external source with a password (trust auth ignores it)
                "recon.databases.pay.host=127.0.0.1", "recon.databases.pay.port=" + postgresPort, "recon.databases.pay.database=pay",
                "recon.databases.pay.username=postgres", "recon.databases.pay.password=" + DB_PASSWORD,
                "spring.mail.host=127.0.0.1", "spring.mail.port=" + Ports.freePort(), "spring.mail.username=recon",
                "spring.mail.password=" + SMTP_PASSWORD,
                "recon.alerts.channels.ops-hook.kind=webhook", "recon.alerts.channels.ops-hook.url=" + receiver.url("/hook/" + HOOK_TOKEN),
                "recon.alerts.channels.oncall-mail.kind=email", "recon.alerts.channels.oncall-mail.to=oncall@shop.example",
                "recon.alerts.routes.trade.P1=ops-hook,oncall-mail", "recon.alerts.routes.trade.P2=ops-hook,oncall-mail",
                "recon.alerts.routes.trade.P3=ops-hook,oncall-mail", "recon.alerts.routes.trade.P4=ops-hook,oncall-mail",
                "recon.alerts.dispatch.initial-backoff=200ms", "recon.alerts.dispatch.max-attempts=3",
                "recon.security.users.auditor.password={noop}" + USER_PASSWORD, "recon.security.users.auditor.roles=OPERATOR",
                // a second check by HTTP with a bearer token; the ledger answers "ok", not JSON: a failed lookup whose reason is logged and kept
                "recon.recheck.retry-schedule=200ms", "recon.recheck.checks.ledger.task=trade", "recon.recheck.checks.ledger.type=AMOUNT",
                "recon.recheck.checks.ledger.delay=1s", "recon.recheck.checks.ledger.kind=http",
                "recon.recheck.checks.ledger.url=" + receiver.url("/ledger/{key}"), "recon.recheck.checks.ledger.path=$.amount",
                "recon.recheck.checks.ledger.holds=present", "recon.recheck.checks.ledger.headers.Authorization=Bearer " + LEDGER_TOKEN);
        // a database written through the catalog API: its password is stored encrypted and never read back
        HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(recon.baseUrl() + "/api/databases/shop-external"))
                .header("Authorization", ReconInstance.basic("operator")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"host\": \"127.0.0.1\", \"port\": " + postgresPort
                        + ", \"database\": \"shop\", \"username\": \"postgres\", \"password\": \"" + CATALOG_PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            for (int i = 1; i <= 3; i++) {
                script.overpaidFlow("SECRET-AMT-" + i, t0);
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                !receiver.received("/hook").isEmpty() && receiver.received("/ledger").size() >= 2
                        && recon.get("/api/actions?status=FAILED").get("total").asInt() > 0);
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
    void noResponseAndNoLogLineHoldsASecret() throws Exception {
        List<String> answers = new ArrayList<>();
        Browser browser = new Browser(recon.baseUrl());
        answers.add(browser.signIn("auditor", "wrong-" + USER_PASSWORD).body());
        answers.add(browser.signIn("auditor", USER_PASSWORD).body());
        for (String path : getPaths()) {
            HttpResponse<String> response = recon.getAs(path, "auditor");
            answers.add(path + " -> " + response.statusCode() + " " + response.headers().map() + " " + response.body());
            answers.add(path + " (viewer) -> " + recon.getAs(path, "viewer").body());
        }
        answers.add(browser.send("DELETE", "/api/session", null).headers().map().toString());

        assertThat(answers).as("answers read").hasSizeGreaterThan(40);
        assertThat(String.join("\n", answers)).as("the API's answers").doesNotContain(SECRETS);
        String stored = recon.bean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject(
                "select string_agg(body::text || coalesce(password_enc, ''), ' ') from catalog_database", String.class);
        assertThat(stored).as("the catalog's stored databases").contains("shop-external", "v1:").doesNotContain(SECRETS);
        List<String> log = Files.readAllLines(logFile);
        assertThat(log).as("log lines written").hasSizeGreaterThan(100);
        assertThat(String.join("\n", log)).as("the log shows the failed deliveries it is checked for").contains("attempt 1 failed");
        List<String> leaking = log.stream().filter(line -> SECRETS.stream().anyMatch(line::contains)).toList();
        assertThat(leaking).as("log lines holding a secret").isEmpty();
    }

    /** Every GET the service maps, with the ids of real records where a path needs one. */
    private static Set<String> getPaths() {
        long mismatch = recon.get("/api/mismatches?size=1").get("items").get(0).get("id").asLong();
        Map<String, String> values = Map.of("{id}", String.valueOf(mismatch), "{id:\\d+}", String.valueOf(mismatch), "{version}", "1.0.0",
                "{requiredMetricName}", "recon.alert.failed.attempts", "{*path}", "liveness", "/**", "/liveness", "{name}", "secrets-walk", "{task}", "trade");
        Set<String> paths = new TreeSet<>(List.of("/api/actions?status=FAILED", "/api/actions?kind=ALERT&size=1000", "/api/dead-letters",
                "/api/databases/pay", "/api/databases/shop-external", "/api/catalog/changes?limit=1000"));
        for (RequestMappingInfoHandlerMapping mapping : recon.beans(RequestMappingInfoHandlerMapping.class)) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                var methods = info.getMethodsCondition().getMethods();
                if (!methods.isEmpty() && methods.stream().noneMatch(m -> m.name().equals("GET"))) {
                    continue;
                }
                for (String pattern : info.getPatternValues()) {
                    String path = pattern;
                    for (var v : values.entrySet()) {
                        path = path.replace(v.getKey(), v.getValue());
                    }
                    paths.add(path);
                }
            }
        }
        return paths;
    }
}
