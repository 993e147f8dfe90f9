package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Who may do what. Walks every endpoint the service maps (read from Spring's handler mappings, actuator included, so a new
 * endpoint cannot be left out) as each demo user and anonymously, and checks who gets in. The table below
 * is the access policy written out by hand: an endpoint missing from it fails the walk. Then handlers
 * scoped to one task group see and work that group's mismatches only, and bodies larger than an endpoint
 * takes are refused before anything reads them.
 */
class AccessIT {

    private static final String OPEN = "open";
    private static final String READERS = "VIEWER HANDLER ANALYST RELEASER OPERATOR";

    /** "METHOD pattern" -> the roles let in (OPEN: anyone, signed in or not). */
    private static final Map<String, String> POLICY = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /api/session", OPEN),
            Map.entry("POST /api/session", OPEN),
            Map.entry("DELETE /api/session", OPEN),
            Map.entry("GET /actuator", "OPERATOR"),
            Map.entry("GET /actuator/health", OPEN),
            Map.entry("GET /actuator/health/**", OPEN),
            Map.entry("GET /actuator/info", READERS),
            Map.entry("GET /actuator/recon", READERS),
            Map.entry("GET /actuator/metrics", "OPERATOR"),
            Map.entry("GET /actuator/metrics/{requiredMetricName}", "OPERATOR"),
            Map.entry("GET /actuator/prometheus", "OPERATOR"),
            Map.entry("POST /api/events/{source}", "SOURCE OPERATOR"),
            Map.entry("POST /api/rules/validate", "ANALYST RELEASER"),
            Map.entry("POST /api/rules/test", "ANALYST RELEASER"),
            Map.entry("GET /api/releases", READERS),
            Map.entry("GET /api/releases/activations", READERS),
            Map.entry("GET /api/releases/{version}", READERS),
            Map.entry("POST /api/releases", "ANALYST RELEASER"),
            Map.entry("GET /api/releases/{version}/shadow", "ANALYST RELEASER OPERATOR"),
            Map.entry("GET /api/releases/{version}/export", "ANALYST RELEASER OPERATOR"),
            Map.entry("POST /api/releases/import", "RELEASER"),
            Map.entry("POST /api/releases/{version}/retire", "RELEASER"),
            Map.entry("POST /api/releases/{version}/activate", "RELEASER"),
            Map.entry("POST /api/releases/{version}/rollback", "RELEASER"),
            Map.entry("POST /api/releases/{version}/canary", "RELEASER"),
            Map.entry("GET /api/releases/canary", READERS),
            Map.entry("DELETE /api/releases/canary", "RELEASER"),
            Map.entry("GET /api/releases/{version}/files", READERS),
            Map.entry("GET /api/drafts", READERS),
            Map.entry("GET /api/drafts/{name}", READERS),
            Map.entry("PUT /api/drafts/{name}", "ANALYST RELEASER"),
            Map.entry("DELETE /api/drafts/{name}", "ANALYST RELEASER"),
            Map.entry("GET /api/mismatches", READERS),
            Map.entry("GET /api/mismatches/{id}", READERS),
            Map.entry("GET /api/mismatches/export", READERS),
            Map.entry("POST /api/mismatches/{id}/{action}", "HANDLER"),
            Map.entry("POST /api/mismatches/batch/{action}", "HANDLER"),
            Map.entry("POST /api/mismatches/batch/recheck", "HANDLER"),
            Map.entry("POST /api/mismatches/batch/repair", "HANDLER"),
            Map.entry("POST /api/mismatches/{id}/recheck", "HANDLER"),
            Map.entry("GET /api/mismatches/{id}/recheck", READERS),
            Map.entry("POST /api/mismatches/{id}/repair", "HANDLER"),
            Map.entry("GET /api/actions", READERS),
            Map.entry("GET /api/stats", READERS),
            Map.entry("GET /api/stats/health", READERS),
            Map.entry("GET /api/demo/faults", READERS),
            Map.entry("GET /api/dead-letters", READERS),
            Map.entry("GET /api/dead-letters/{id}", READERS),
            Map.entry("POST /api/dead-letters/{id}/retry", "OPERATOR"),
            Map.entry("POST /api/dead-letters/retry", "OPERATOR"),
            Map.entry("GET /api/rules/quarantine", READERS),
            Map.entry("POST /api/rules/quarantine/{task}/{rule}/unquarantine", "RELEASER"),
            Map.entry("POST /actuator/recon/{task}/{partition}/{operation}", "OPERATOR"),
            Map.entry("GET /api/databases", READERS),
            Map.entry("GET /api/databases/{name}", READERS),
            Map.entry("PUT /api/databases/{name}", "OPERATOR"),
            Map.entry("DELETE /api/databases/{name}", "OPERATOR"),
            Map.entry("GET /api/sources", READERS),
            Map.entry("GET /api/sources/{name}", READERS),
            Map.entry("PUT /api/sources/{name}", "ANALYST OPERATOR"),
            Map.entry("DELETE /api/sources/{name}", "ANALYST OPERATOR"),
            Map.entry("GET /api/lookups", READERS),
            Map.entry("GET /api/lookups/{name}", READERS),
            Map.entry("PUT /api/lookups/{name}", "ANALYST OPERATOR"),
            Map.entry("DELETE /api/lookups/{name}", "ANALYST OPERATOR"),
            Map.entry("GET /api/tasks", READERS),
            Map.entry("GET /api/tasks/{task}", READERS),
            Map.entry("PUT /api/tasks/{task}", "ANALYST OPERATOR"),
            Map.entry("DELETE /api/tasks/{task}", "ANALYST OPERATOR"),
            Map.entry("GET /api/catalog/changes", READERS),
            Map.entry("POST /api/runs", "ANALYST OPERATOR"),
            Map.entry("GET /api/runs", READERS),
            Map.entry("GET /api/runs/{id}", READERS),
            Map.entry("GET /api/runs/{id}/findings", READERS),
            Map.entry("POST /api/runs/{id}/cancel", "ANALYST OPERATOR"),
            Map.entry("GET /api/runs/schedules", READERS),
            Map.entry("PUT /api/runs/schedules/{task}", "ANALYST OPERATOR"),
            Map.entry("DELETE /api/runs/schedules/{task}", "ANALYST OPERATOR"),
            Map.entry("POST /api/runs/files", "ANALYST OPERATOR"),
            Map.entry("GET /api/runs/files", READERS),
            Map.entry("PUT /api/runs/mappings/{source}", "ANALYST OPERATOR"),
            Map.entry("GET /api/runs/mappings", READERS),
            Map.entry("GET /api/runs/checks", READERS),
            Map.entry("GET /api/runs/checks/{task}/tables", READERS),
            Map.entry("PUT /api/runs/checks/{task}", "ANALYST"),
            Map.entry("DELETE /api/runs/checks/{task}", "ANALYST")));

    /**
     * The sign-in answers anonymous callers itself: who is signed in (nobody: 401), sign in (the CSRF token is
     * missing: 403), sign out (nothing to do: 204).
     */
    private static final Map<String, Integer> SESSION_ANONYMOUSLY = Map.of("GET /api/session", 401, "POST /api/session", 403,
            "DELETE /api/session", 204);

    /** The workbench's files and client routes, which no handler mapping lists. */
    private static final List<String> WORKBENCH = List.of("/", "/index.html", "/favicon.ico", "/assets/app.js", "/mismatches/42");

    private static final List<String> USERS = List.of("analyst", "releaser", "operator", "handler", "viewer", "source");
    private static final Map<String, Set<String>> ROLES = Map.of("analyst", Set.of("ANALYST"), "releaser", Set.of("RELEASER", "ANALYST"),
            "operator", Set.of("OPERATOR"), "handler", Set.of("HANDLER"), "viewer", Set.of("VIEWER"), "source", Set.of("SOURCE"));

    private static ReconInstance recon;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("access"),
                "recon.security.users.trader.password={noop}trader", "recon.security.users.trader.roles=HANDLER",
                "recon.security.users.trader.tasks=trade",
                "recon.security.groups.refunds-desk.roles=HANDLER", "recon.security.groups.refunds-desk.tasks=refunds",
                "recon.security.users.refunder.password={noop}refunder", "recon.security.users.refunder.groups=refunds-desk");
        JdbcTemplate jdbc = recon.bean(JdbcTemplate.class);
        tradeId = mismatch(jdbc, "trade", "SCOPE-T-1");
        refundsId = mismatch(jdbc, "refunds", "SCOPE-R-1");
        mismatch(jdbc, "refunds", "SCOPE-R-2");
        jdbc.update("insert into recon_user (name, password, roles, tasks) values ('dbviewer', ?, '{VIEWER}', '{refunds}')",
                "{bcrypt}" + new BCryptPasswordEncoder(4).encode("dbviewer"));
    }

    private static long tradeId;
    private static long refundsId;

    /** A finding of a task group the demo's rules do not have, stored as the sessions store theirs. */
    private static long mismatch(JdbcTemplate jdbc, String task, String key) {
        return jdbc.queryForObject("""
                insert into mismatch (task, correlation_key, type, status, severity, rule_name, rules_version, reason, first_seen, last_seen)
                values (?, ?, 'MISSING', 'OPEN', 'P2', 'scope test', '1.0.0', 'no payment for ' || ?, now(), now()) returning id""",
                Long.class, task, key, key);
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void everyEndpointLetsInExactlyTheRolesOfThePolicy() {
        Set<String> endpoints = endpoints();
        assertThat(POLICY.keySet()).as("endpoints the service maps but the access policy of this test does not list")
                .containsAll(endpoints);
        assertThat(endpoints).as("endpoints of the policy the service no longer maps").containsAll(POLICY.keySet());

        List<String> wrong = new ArrayList<>();
        for (String endpoint : endpoints) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = concrete(endpoint.substring(endpoint.indexOf(' ') + 1));
            String policy = POLICY.get(endpoint);
            int anonymous = send(method, path, null);
            Integer session = SESSION_ANONYMOUSLY.get(endpoint);
            if (session != null ? anonymous != session : policy.equals(OPEN) ? anonymous == 401 || anonymous == 403 : anonymous != 401) {
                wrong.add(endpoint + " anonymously answered " + anonymous);
            }
            for (String user : USERS) {
                boolean allowed = policy.equals(OPEN) || ROLES.get(user).stream().anyMatch(r -> Set.of(policy.split(" ")).contains(r));
                int status = send(method, path, user);
                if (allowed ? status == 401 || status == 403 || status == 405 : status != 403) {
                    wrong.add(endpoint + " as " + user + " answered " + status + (allowed ? " but is allowed" : " but is not allowed"));
                }
            }
        }
        for (String path : WORKBENCH) {
            int anonymous = send("GET", path, null);
            if (anonymous == 401 || anonymous == 403) {
                wrong.add("GET " + path + " (the workbench) anonymously answered " + anonymous);
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** "GET /api/mismatches/{id}" for every method and pattern of every handler mapping, the error page aside. */
    private static Set<String> endpoints() {
        Set<String> endpoints = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : recon.beans(RequestMappingInfoHandlerMapping.class)) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<String> methods = new TreeSet<>();
                info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
                if (methods.isEmpty()) {
                    methods.add("GET"); // mapped for every method: GET is the one a caller uses
                }
                for (String pattern : info.getPatternValues()) {
                    if (!pattern.equals("/error")) {
                        methods.forEach(m -> endpoints.add(m + " " + pattern.replace("{id:\\d+}", "{id}")));
                    }
                }
            }
        }
        return endpoints;
    }

    /** A path that reaches the handler: made-up ids and versions, a real source and action. */
    private static String concrete(String pattern) {
        return pattern.replace("{id}", "999999").replace("{action}", "comment").replace("{version}", "9.9.9").replace("{name}", "access-walk")
                .replace("{source}", "courier").replace("{task}", "trade").replace("{partition}", "0").replace("{operation}", "checkpoint").replace("{rule}", "access-walk").replace("{requiredMetricName}", "jvm.threads.live")
                .replace("/**", "/liveness").replace("{*path}", "liveness");
    }

    private int send(String method, String path, String user) {
        String body = path.equals("/api/session") ? "{\"username\":\"viewer\",\"password\":\"viewer\"}" : "{}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(recon.baseUrl() + path))
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (user != null) {
            request.header("Authorization", ReconInstance.basic(user));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    @Test
    void aHandlerScopedToATaskGroupSeesOnlyItsMismatches() {
        assertThat(keys("/api/mismatches?size=500", "trader")).contains("SCOPE-T-1").doesNotContain("SCOPE-R-1", "SCOPE-R-2");
        assertThat(keys("/api/mismatches?size=500", "refunder")).containsExactlyInAnyOrder("SCOPE-R-1", "SCOPE-R-2");
        assertThat(keys("/api/mismatches?size=500", "handler")).contains("SCOPE-T-1", "SCOPE-R-1", "SCOPE-R-2");
        assertThat(recon.getAs("/api/mismatches/" + tradeId, "trader").statusCode()).isEqualTo(200);
        assertThat(recon.getAs("/api/stats/health", "refunder").body()).contains("\"refunds\"").doesNotContain("\"trade\"");

        String export = recon.getAs("/api/mismatches/export?format=csv", "trader").body();
        assertThat(export).contains("SCOPE-T-1").doesNotContain("SCOPE-R-");
    }

    @Test
    void anotherGroupsMismatchIsRefusedSayingWhy() {
        HttpResponse<String> detail = recon.getAs("/api/mismatches/" + refundsId, "trader");
        HttpResponse<String> byTask = recon.getAs("/api/mismatches?task=refunds", "trader");
        HttpResponse<String> comment = recon.post("/api/mismatches/" + refundsId + "/comment", "{\"text\":\"not mine\"}", "trader");

        assertThat(detail.statusCode()).isEqualTo(403);
        assertThat(ReconInstance.JSON.readTree(detail.body()).get("message").asString())
                .isEqualTo("You are signed in as trader (HANDLER; tasks trade); mismatch " + refundsId
                        + " belongs to task refunds, which is not yours.");
        assertThat(byTask.statusCode()).isEqualTo(403);
        assertThat(byTask.body()).contains("this needs task refunds.");
        assertThat(comment.statusCode()).isEqualTo(403);
        assertThat(recon.getAs("/api/actions?task=refunds", "trader").statusCode()).isEqualTo(403);
        assertThat(recon.getAs("/api/stats?task=refunds", "trader").statusCode()).isEqualTo(403);
    }

    @Test
    void aBatchOverTheQueueTouchesOnlyTheHandlersGroup() {
        HttpResponse<String> batch = recon.post("/api/mismatches/batch/comment?type=MISSING", "{\"text\":\"looked at by the refunds desk\"}",
                "refunder");

        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        JsonNode trade = recon.get("/api/mismatches/" + tradeId);
        assertThat(trade.get("notes").toString()).doesNotContain("refunds desk");
        assertThat(recon.get("/api/mismatches/" + refundsId).get("notes").toString()).contains("refunds desk");
    }

    @Test
    void aBatchRecheckOrRepairCountsAndTouchesOnlyTheHandlersGroup() {
        HttpResponse<String> preview = recon.post("/api/mismatches/batch/repair?type=MISSING&dryRun=true", "", "refunder");
        HttpResponse<String> everyone = recon.post("/api/mismatches/batch/repair?type=MISSING&dryRun=true", "", "handler");

        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        assertThat(ReconInstance.JSON.readTree(preview.body()).get("matched").asInt()).isEqualTo(2);
        assertThat(ReconInstance.JSON.readTree(everyone.body()).get("matched").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(recon.post("/api/mismatches/batch/recheck?task=refunds&dryRun=true", "", "trader").statusCode()).isEqualTo(403);
    }

    @Test
    void aUserOfTheDatabaseSignsInWithItsRolesAndTasks() {
        HttpResponse<String> session = recon.getAs("/api/session", "dbviewer");

        assertThat(session.body()).isEqualTo("{\"user\":\"dbviewer\",\"roles\":[\"VIEWER\"],\"tasks\":[\"refunds\"]}");
        assertThat(keys("/api/mismatches?size=500", "dbviewer")).containsExactlyInAnyOrder("SCOPE-R-1", "SCOPE-R-2");
        assertThat(recon.post("/api/mismatches/" + refundsId + "/comment", "{\"text\":\"x\"}", "dbviewer").statusCode()).isEqualTo(403);
    }

    @Test
    void theSessionTellsTheWorkbenchTheUsersTasks() {
        Browser browser = new Browser(recon.baseUrl());
        assertThat(browser.signIn("refunder", "refunder").body())
                .isEqualTo("{\"user\":\"refunder\",\"roles\":[\"HANDLER\"],\"tasks\":[\"refunds\"]}");
    }

    private static List<String> keys(String path, String user) {
        HttpResponse<String> response = recon.getAs(path, user);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        ReconInstance.JSON.readTree(response.body()).get("items").forEach(i -> keys.add(i.get("key").asString()));
        return keys;
    }

    @Test
    void aBodyLargerThanTheEndpointTakesIsRefusedWithASentence() throws Exception {
        String big = "{\"text\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";

        HttpResponse<String> declared = recon.post("/api/mismatches/" + tradeId + "/comment", big, "handler");
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(recon.baseUrl() + "/api/mismatches/" + tradeId + "/comment"))
                .header("Authorization", ReconInstance.basic("handler")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> upload = recon.post("/api/rules/validate", "{\"files\":[{\"name\":\"a.drl\",\"content\":\""
                + "x".repeat(33 * 1024 * 1024) + "\"}]}", "analyst");

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(ReconInstance.JSON.readTree(declared.body()).get("message").asString()).isEqualTo("The body of POST /api/mismatches/"
                + tradeId + "/comment is larger than 1 MiB, the most this endpoint takes; send less (fewer files or records per request).");
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(upload.statusCode()).isEqualTo(413);
        assertThat(upload.body()).contains("larger than 32 MiB");
        assertThat(recon.get("/api/mismatches/" + tradeId).get("notes")).isEmpty();
    }
}
