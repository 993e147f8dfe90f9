package io.recon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What the workbench needs from the service besides the product API: drafts that survive a closed
 * browser, the sources of any rules version to start a draft from, and the app itself at every
 * client route (a refresh on a shared link works).
 */
class WorkbenchApiIT {

    private static WorkbenchService recon;

    @BeforeAll
    static void start() {
        recon = WorkbenchService.start("wb-api");
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    private static String json(Object value) {
        return WorkbenchService.JSON.writeValueAsString(value);
    }

    @Test
    void anAnalystSavesADraftAndFindsItAgainUnderTheirName() {
        String xlsx = Base64.getEncoder().encodeToString(new byte[] {'P', 'K', 3, 4, 0, 1});
        Map<String, Object> draft = Map.of("name", "amount-tolerance", "task", "trade", "baseVersion", "1.0.0", "author", "someone-else",
                "files", List.of(Map.of("name", "recon/trade/payments.drl", "content", "package recon.trade;\n"),
                        Map.of("name", "recon/trade/fields.xlsx", "content", xlsx)));

        HttpResponse<String> saved = recon.send("PUT", "/api/drafts/amount-tolerance", json(draft), "analyst");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);

        JsonNode back = recon.get("/api/drafts/amount-tolerance", "viewer");
        assertThat(back.get("author").asString()).as("the signed-in user, not what the body claims").isEqualTo("analyst");
        assertThat(back.get("task").asString()).isEqualTo("trade");
        assertThat(back.get("baseVersion").asString()).isEqualTo("1.0.0");
        assertThat(back.get("updatedAt").asString()).isNotBlank();
        assertThat(back.get("files").get(1).get("content").asString()).isEqualTo(xlsx);

        Map<String, Object> changed = Map.of("name", "amount-tolerance", "task", "trade", "baseVersion", "1.0.0",
                "files", List.of(Map.of("name", "recon/trade/payments.drl", "content", "package recon.trade;\n// 5 %\n")));
        assertThat(recon.send("PUT", "/api/drafts/amount-tolerance", json(changed), "releaser").statusCode()).isEqualTo(200);
        JsonNode list = recon.get("/api/drafts", "viewer");
        JsonNode mine = null;
        for (JsonNode d : list) {
            if (d.get("name").asString().equals("amount-tolerance")) {
                mine = d;
            }
        }
        assertThat(mine).as("listed: " + list).isNotNull();
        assertThat(mine.get("author").asString()).isEqualTo("releaser");
        assertThat(mine.get("files")).hasSize(1);

        assertThat(recon.send("DELETE", "/api/drafts/amount-tolerance", null, "analyst").statusCode()).isEqualTo(204);
        HttpResponse<String> gone = recon.send("GET", "/api/drafts/amount-tolerance", null, "viewer");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JsonMessage.of(gone)).contains("no draft named 'amount-tolerance'");
    }

    @Test
    void onlyAnalystsAndReleasersWriteDrafts() {
        String body = json(Map.of("files", List.of(Map.of("name", "a.drl", "content", ""))));
        assertThat(recon.send("PUT", "/api/drafts/viewer-try", body, "viewer").statusCode()).isEqualTo(403);
        assertThat(recon.send("PUT", "/api/drafts/handler-try", body, "handler").statusCode()).isEqualTo(403);
        assertThat(recon.send("PUT", "/api/drafts/anonymous-try", body, null).statusCode()).isEqualTo(401);
        assertThat(recon.send("GET", "/api/drafts/viewer-try", null, "viewer").statusCode()).as("nothing was saved").isEqualTo(404);
    }

    @Test
    void aDraftThatCannotBeSavedIsRefusedWithTheReason() {
        HttpResponse<String> misnamed = recon.send("PUT", "/api/drafts/one", json(Map.of("name", "two", "files", List.of())), "analyst");
        assertThat(misnamed.statusCode()).isEqualTo(400);
        assertThat(JsonMessage.of(misnamed)).contains("'two'").contains("'one'");

        HttpResponse<String> nameless = recon.send("PUT", "/api/drafts/one", json(Map.of("files", List.of(Map.of("content", "x")))), "analyst");
        assertThat(nameless.statusCode()).isEqualTo(400);
        assertThat(JsonMessage.of(nameless)).contains("without a name");

        HttpResponse<String> notJson = recon.send("PUT", "/api/drafts/one", "{files:", "analyst");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JsonMessage.of(notJson)).contains("not a draft as JSON");
    }

    @Test
    void theReleasedVersionsSourcesStartADraft() {
        JsonNode files = recon.get("/api/releases/1.0.0/files", "viewer");
        assertThat(files.get("version").asString()).isEqualTo("1.0.0");
        List<String> names = files.get("files").valueStream().map(f -> f.get("name").asString()).toList();
        assertThat(names).contains("recon/trade/payments.drl", "recon/trade/types.drl", "recon/trade/fulfilment.drl")
                .noneMatch(n -> n.endsWith(".class") || n.startsWith("META-INF"));
        assertThat(files.get("files").get(names.indexOf("recon/trade/payments.drl")).get("content").asString()).contains("rule ");

        HttpResponse<String> unknown = recon.send("GET", "/api/releases/9.9.9/files", null, "viewer");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JsonMessage.of(unknown)).contains("no rules version 9.9.9");
    }

    @Test
    void theQueueSortsByAColumnEitherWayAndPagesWithoutRepeatingOrSkippingARow() {
        JdbcTemplate jdbc = recon.bean(JdbcTemplate.class);
        // seven of one task group, severities repeating, so that the tie-breaker decides within a severity
        jdbc.update("""
                insert into mismatch (task, correlation_key, type, status, severity, reason, first_seen, last_seen)
                select 'sorted', 'SORT-' || g, 'AMOUNT', 'OPEN', (array['P1', 'P2', 'P3'])[1 + g % 3], 'sort test',
                       now() - g * interval '1 minute', now() - g * interval '1 minute'
                from generate_series(1, 7) g""");

        List<String> ascending = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            recon.get("/api/mismatches?task=sorted&sort=severity&dir=asc&size=3&page=" + page, "viewer").get("items")
                    .forEach(m -> ascending.add(m.get("severity").asString() + " " + m.get("id").asLong()));
        }
        assertThat(ascending).as("every row once, P1 first, equal severities by id").hasSize(7).doesNotHaveDuplicates()
                .isSortedAccordingTo((a, b) -> {
                    int bySeverity = a.split(" ")[0].compareTo(b.split(" ")[0]);
                    return bySeverity != 0 ? bySeverity : Long.compare(Long.parseLong(a.split(" ")[1]), Long.parseLong(b.split(" ")[1]));
                });

        List<String> descending = new ArrayList<>();
        recon.get("/api/mismatches?task=sorted&sort=severity&dir=desc&size=7", "viewer").get("items")
                .forEach(m -> descending.add(m.get("severity").asString() + " " + m.get("id").asLong()));
        List<String> reversed = new ArrayList<>(ascending);
        java.util.Collections.reverse(reversed);
        assertThat(descending).isEqualTo(reversed);

        List<String> byKey = new ArrayList<>();
        recon.get("/api/mismatches?task=sorted&sort=key&dir=desc", "viewer").get("items").forEach(m -> byKey.add(m.get("key").asString()));
        assertThat(byKey).containsExactly("SORT-7", "SORT-6", "SORT-5", "SORT-4", "SORT-3", "SORT-2", "SORT-1");

        List<String> newestFirst = new ArrayList<>();
        recon.get("/api/mismatches?task=sorted", "viewer").get("items").forEach(m -> newestFirst.add(m.get("key").asString()));
        assertThat(newestFirst).as("the default: newest detection first").containsExactly("SORT-1", "SORT-2", "SORT-3", "SORT-4",
                "SORT-5", "SORT-6", "SORT-7");

        // the export lists the rows in the list's order too
        HttpResponse<String> csv = recon.send("GET", "/api/mismatches/export?format=csv&task=sorted&sort=key&dir=desc", null, "viewer");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        List<String> exported = csv.body().lines().skip(1).map(line -> line.replaceAll(".*(SORT-\\d).*", "$1")).toList();
        assertThat(exported).containsExactly("SORT-7", "SORT-6", "SORT-5", "SORT-4", "SORT-3", "SORT-2", "SORT-1");
        HttpResponse<String> bySeverity = recon.send("GET", "/api/mismatches/export?format=csv&task=sorted&sort=severity&dir=asc", null, "viewer");
        assertThat(bySeverity.body().lines().skip(1).map(line -> line.replaceAll(".*(SORT-\\d).*", "$1")).toList())
                .as("the same order as the list's pages").isEqualTo(ascending.stream().map(a -> idToKey(a.split(" ")[1])).toList());
        assertThat(recon.send("GET", "/api/mismatches/export?format=xlsx&sort=reason", null, "viewer").statusCode()).isEqualTo(400);

        HttpResponse<String> unknown = recon.send("GET", "/api/mismatches?sort=reason", null, "viewer");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("cannot sort the queue by 'reason'").contains("severity");
        HttpResponse<String> sideways = recon.send("GET", "/api/mismatches?sort=type&dir=up", null, "viewer");
        assertThat(sideways.statusCode()).isEqualTo(400);
        assertThat(sideways.body()).contains("'up'").contains("asc or desc");
    }

    private static String idToKey(String id) {
        return recon.bean(JdbcTemplate.class).queryForObject("select correlation_key from mismatch where id = ?", String.class, Long.parseLong(id));
    }

    @Test
    void everyClientRouteAnswersWithTheAppAndTheApiStaysJson() {
        HttpResponse<String> index = recon.send("GET", "/index.html", null, null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-cache"));
        for (String route : List.of("/", "/mismatches?type=AMOUNT", "/mismatches/42", "/releases/1.0.0", "/rules", "/login")) {
            HttpResponse<String> page = recon.send("GET", route, null, null);
            assertThat(page.statusCode()).as(route).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).as(route).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(page.body()).as(route).isEqualTo(index.body());
            assertThat(page.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-cache"));
        }
        String asset = index.body().replaceAll("(?s).*?src=\"(/assets/[^\"]+\\.js)\".*", "$1");
        HttpResponse<String> script = recon.send("GET", asset, null, null);
        assertThat(script.statusCode()).as(asset).isEqualTo(200);
        assertThat(script.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age=31536000").contains("immutable"));

        assertThat(recon.send("GET", "/assets/missing-0000.js", null, null).statusCode()).isEqualTo(404);
        HttpResponse<String> api = recon.send("GET", "/api/no-such-thing", null, "viewer");
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.body()).doesNotContain("<html");
    }
}
