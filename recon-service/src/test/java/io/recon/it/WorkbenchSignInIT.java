package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The workbench signs in with a session cookie and proves every write with the CSRF token; API clients
 * keep HTTP Basic, stateless and without a token. Every refusal is a JSON sentence.
 */
class WorkbenchSignInIT {

    private static ReconInstance recon;

    @BeforeAll
    static void start() {
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("signin"));
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    @Test
    void theSessionEndpointSaysSignInFirstAndHandsOutAReadableCsrfCookie() {
        Browser browser = new Browser(recon.baseUrl());

        HttpResponse<String> session = browser.get("/api/session");

        assertThat(session.statusCode()).isEqualTo(401);
        assertThat(session.body()).isEqualTo("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"Sign in first.\"}");
        String xsrf = Browser.setCookie(session, "XSRF-TOKEN");
        assertThat(xsrf).isNotNull().doesNotContainIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
        assertThat(Browser.setCookie(browser.get("/api/session"), "XSRF-TOKEN")).as("set again on every GET").contains(browser.cookie("XSRF-TOKEN"));
    }

    @Test
    void aHandlerSignsInWorksWithTheTokenAndSignsOut() {
        Browser browser = new Browser(recon.baseUrl());

        HttpResponse<String> signedIn = browser.signIn("handler", "handler");

        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.body()).isEqualTo("{\"user\":\"handler\",\"roles\":[\"HANDLER\"],\"tasks\":[\"*\"]}");
        assertThat(Browser.setCookie(signedIn, "JSESSIONID")).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
        assertThat(browser.get("/api/session").body()).isEqualTo(signedIn.body());
        assertThat(browser.get("/api/mismatches").statusCode()).isEqualTo(200);

        // the write reaches the case workflow, which finds no such mismatch
        assertThat(browser.send("POST", "/api/mismatches/999999/comment", "{\"text\":\"checked\"}").statusCode()).isEqualTo(404);

        assertThat(browser.send("DELETE", "/api/session", null).statusCode()).isEqualTo(204);
        assertThat(browser.get("/api/session").statusCode()).isEqualTo(401);
        assertThat(browser.get("/api/mismatches").statusCode()).isEqualTo(401);
    }

    @Test
    void aWriteThatRidesOnTheCookieWithoutTheTokenIsRefused() {
        Browser browser = new Browser(recon.baseUrl());
        browser.signIn("handler", "handler");

        HttpResponse<String> forged = browser.sendWithoutCsrfHeader("POST", "/api/mismatches/999999/comment", "{\"text\":\"forged\"}");

        assertThat(forged.statusCode()).isEqualTo(403);
        JsonNode body = ReconInstance.JSON.readTree(forged.body());
        assertThat(body.get("status").asInt()).isEqualTo(403);
        assertThat(body.get("error").asString()).isEqualTo("Forbidden");
        assertThat(body.get("message").asString()).contains("X-XSRF-TOKEN", "XSRF-TOKEN cookie");
        assertThat(browser.sendWithoutCsrfHeader("DELETE", "/api/session", null).statusCode()).as("no forged sign-out either").isEqualTo(403);
    }

    @Test
    void signingInNeedsTheTokenAndTheRightPassword() {
        Browser browser = new Browser(recon.baseUrl());
        browser.get("/api/session");

        assertThat(browser.sendWithoutCsrfHeader("POST", "/api/session", "{\"username\":\"handler\",\"password\":\"handler\"}").statusCode())
                .isEqualTo(403);
        HttpResponse<String> wrong = browser.signIn("handler", "guess");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"Wrong user name or password.\"}");
        assertThat(browser.signIn("nobody", "nobody").statusCode()).isEqualTo(401);
    }

    @Test
    void aViewerIsToldWhoTheyAreAndWhatTheWriteNeeds() {
        Browser browser = new Browser(recon.baseUrl());
        browser.signIn("viewer", "viewer");

        HttpResponse<String> refused = browser.send("POST", "/api/mismatches/999999/comment", "{\"text\":\"x\"}");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("{\"status\":403,\"error\":\"Forbidden\",\"message\":"
                + "\"You are signed in as viewer (VIEWER); this needs HANDLER.\"}");
    }

    @Test
    void basicClientsNeedNoTokenAndNeverGetASession() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(recon.baseUrl() + "/api/mismatches/999999/comment"))
                .header("Authorization", ReconInstance.basic("handler")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from a script\"}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> read = recon.getAs("/api/mismatches", "viewer");
        HttpResponse<String> wrong = recon.getAs("/api/mismatches", "nobody");

        assertThat(write.statusCode()).isEqualTo(404);
        assertThat(Browser.setCookie(write, "JSESSIONID")).isNull();
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Browser.setCookie(read, "JSESSIONID")).isNull();
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong user name or password.");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Recon\"");
    }

    @Test
    void anonymousReadsAreRefusedButTheSignInPageAndHealthStayOpen() {
        HttpResponse<String> queue = recon.getAnonymously("/api/mismatches");
        HttpResponse<String> health = recon.getAnonymously("/actuator/health");

        assertThat(queue.statusCode()).isEqualTo(401);
        assertThat(queue.body()).isEqualTo("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"Sign in first.\"}");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ReconInstance.JSON.readTree(health.body()).get("status").asString()).isEqualTo("UP");
        assertThat(health.body()).doesNotContain("components", "details");
        assertThat(recon.getAs("/actuator/health", "viewer").body()).contains("components");
        assertThat(new Browser(recon.baseUrl()).get("/mismatches/42").statusCode()).as("a client route is not refused").isNotIn(401, 403);
    }

    @Test
    void everyErrorOfTheApiIsJsonWithASentence() {
        HttpResponse<String> unknownMismatch = recon.getAs("/api/mismatches/999999", "viewer");
        HttpResponse<String> unknownPath = recon.getAs("/api/nothing-here", "viewer");
        HttpResponse<String> refusedAction = recon.post("/api/mismatches/999999/comment", "{\"text\":\"x\"}", "handler");

        assertThat(unknownMismatch.statusCode()).isEqualTo(404);
        assertThat(unknownMismatch.body()).isEqualTo("{\"status\":404,\"error\":\"Not Found\",\"message\":\"no mismatch 999999.\"}");
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(ReconInstance.JSON.readTree(unknownPath.body()).get("message").asString())
                .isEqualTo("There is nothing at /api/nothing-here; the README lists the API.");
        JsonNode refused = ReconInstance.JSON.readTree(refusedAction.body());
        assertThat(refused.get("status").asInt()).isEqualTo(404);
        assertThat(refused.get("message").asString()).isNotBlank().isEqualTo(refused.get("error").asString());
    }
}
