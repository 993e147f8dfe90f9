package io.recon.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import io.recon.it.RunsAlone;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The workbench in a real Chromium against the whole service (PostgreSQL, Kafka, Debezium, Drools),
 * each part done by the user whose job it is: the analyst writes and publishes rules, the releaser
 * shadows, activates and rolls them back, the handler works the queue, the viewer only looks. One
 * service start for all of them; the releaser works on what the analyst published, so the order is fixed.
 * Every page visited is saved under target/screenshots/.
 */
@RunsAlone
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchBrowserIT {

    private static final String PUBLISHED = "1.0.1";
    private static final List<String> WRITE_BUTTONS = List.of("action-resolve", "action-ignore", "action-assign", "action-comment",
            "action-recheck", "action-repair", "batch-ignore", "batch-resolve", "batch-assign", "batch-comment", "batch-recheck",
            "batch-repair", "publish", "activate",
            "rollback", "retire", "save-draft", "file-add", "file-delete", "draft-delete", "scenario-run", "retry-one", "retry-source", "import",
            "session-pause", "session-resume", "session-checkpoint", "unquarantine", "add-task", "add-source", "add-database", "edit-task",
            "edit-source", "edit-database", "delete-task", "delete-source", "delete-database", "toggle-task");

    private static WorkbenchService recon;
    private static long amountMismatch;

    @BeforeAll
    static void start() {
        recon = WorkbenchService.start("wb-browser");
        JdbcTemplate shop = recon.bean(DemoSystems.class).jdbc("shop");
        JdbcTemplate pay = recon.bean(DemoSystems.class).jdbc("pay");
        Instant t0 = Instant.now();
        for (int i = 1; i <= 3; i++) {       // charged 105.00 for 100.00: one AMOUNT mismatch each
            order(shop, "WB-AMT-" + i, t0);
            payment(pay, "P-WB-AMT-" + i, "WB-AMT-" + i, "105.00", t0);
            shop.update("update orders set status = 'PAID' where order_id = ?", "WB-AMT-" + i);
        }
        for (int i = 1; i <= 2; i++) {       // charged twice: one DUPLICATE mismatch each
            order(shop, "WB-DUP-" + i, t0);
            payment(pay, "P-WB-DUP-" + i + "a", "WB-DUP-" + i, "100.00", t0);
            payment(pay, "P-WB-DUP-" + i + "b", "WB-DUP-" + i, "100.00", t0);
            shop.update("update orders set status = 'PAID' where order_id = ?", "WB-DUP-" + i);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                recon.get("/api/mismatches?type=AMOUNT", "viewer").get("total").asInt() == 3
                        && recon.get("/api/mismatches?type=DUPLICATE", "viewer").get("total").asInt() == 2);
        amountMismatch = recon.get("/api/mismatches?type=AMOUNT&key=WB-AMT-3", "viewer").get("items").get(0).get("id").asLong();
    }

    private static void order(JdbcTemplate shop, String order, Instant at) {
        shop.update("insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at) values (?, 'C-1', ?, 'EUR',"
                + " 'CREATED', ?, ?)", order, new BigDecimal("100.00"), Timestamp.from(at), Timestamp.from(at));
    }

    private static void payment(JdbcTemplate pay, String payment, String order, String amount, Instant at) {
        pay.update("insert into payments (payment_id, order_id, amount, currency, status, paid_at) values (?, ?, ?, 'EUR', 'SUCCESS', ?)",
                payment, order, new BigDecimal(amount), Timestamp.from(at.plusMillis(200)));
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
    }

    /** Every page of the app, as a path a user can bookmark. */
    private static Map<String, String> pages() {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview", "/");
        pages.put("queue", "/mismatches");
        pages.put("mismatch", "/mismatches/" + amountMismatch);
        pages.put("rules", "/rules?from=1.0.0&file=recon/trade/payments.drl");
        pages.put("releases", "/releases");
        pages.put("release", "/releases/1.0.0");
        pages.put("tasks", "/tasks");
        pages.put("dead-letters", "/dead-letters");
        pages.put("operations", "/operations");
        return pages;
    }

    @Test
    @Order(1)
    void anAnalystBreaksARuleSeesWhereFixesItTestsItAndPublishes() {
        try (Browser browser = Browser.signedIn(recon.baseUrl, "analyst")) {
            browser.open("/rules");
            browser.click("draft-start");                                      // the active version is preselected
            browser.wait.until(d -> d.getCurrentUrl().contains("from=1.0.0"));
            browser.click("save-draft");
            browser.wait.until(d -> d.getCurrentUrl().contains("draft="));   // saved on the server: reopened from there from now on
            browser.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid='file-item'][data-name='recon/trade/payments.drl']"))).click();
            WebElement editor = browser.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".cm-content")));
            browser.byTestId("validation-state");
            browser.wait.until(d -> "ok".equals(browser.byTestId("validation-state").getAttribute("data-state")));
            browser.screenshot("rules-active");

            // line 31 is the AMOUNT rule's payment pattern; a pattern of a type nobody declared goes under it, as line 32
            editor.click();
            new Actions(browser.driver()).keyDown(Keys.CONTROL).sendKeys(Keys.HOME).keyUp(Keys.CONTROL).perform();
            for (int i = 1; i < 31; i++) {
                editor.sendKeys(Keys.ARROW_DOWN);
            }
            editor.sendKeys(Keys.END, Keys.ENTER, "$broken : NoSuchFact( )");
            browser.wait.until(d -> "errors".equals(browser.byTestId("validation-state").getAttribute("data-state")));
            List<WebElement> problems = browser.allByTestId("editor-error");
            assertThat(problems).as("the problems list").isNotEmpty();
            assertThat(problems.get(0).getAttribute("data-file")).isEqualTo("recon/trade/payments.drl");
            assertThat(problems.get(0).getAttribute("data-line")).isEqualTo("32");
            assertThat(problems.get(0).getText()).contains("NoSuchFact");
            WebElement marked = browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".cm-lintRange-error")));
            assertThat(marked.findElement(By.xpath("ancestor::div[contains(@class,'cm-line')]")).getText())
                    .as("the marker sits in the broken line").contains("NoSuchFact");
            browser.screenshot("rules-error-marker");

            // CodeMirror's delete-line: the rule is as it was
            new Actions(browser.driver()).keyDown(Keys.CONTROL).keyDown(Keys.SHIFT).sendKeys("k").keyUp(Keys.SHIFT).keyUp(Keys.CONTROL).perform();
            browser.wait.until(d -> "ok".equals(browser.byTestId("validation-state").getAttribute("data-state")));
            assertThat(browser.allByTestId("editor-error")).isEmpty();
            assertThat(browser.driver().findElements(By.cssSelector(".cm-lintRange-error"))).isEmpty();

            // a scenario: an order of 100.00 charged 105.00 is an AMOUNT mismatch, and nothing before the payment
            browser.driver().findElement(By.id("new-file")).sendKeys("recon/trade/overpaid.scenario.json");
            browser.click("file-add");
            browser.byTestId("scenario-editor");
            // a new scenario file may start from an example: the analyst replaces it with their own case
            while (!browser.allByTestId("scenario-step").isEmpty()) {
                int rows = browser.allByTestId("scenario-step").size();
                browser.allByTestId("scenario-step").get(rows - 1).findElement(By.cssSelector("td:last-child button")).click();
                browser.wait.until(d -> browser.allByTestId("scenario-step").size() == rows - 1);
            }
            WebElement name = browser.driver().findElement(By.id("sc-name"));
            name.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
            name.sendKeys("An order charged 105.00 for 100.00 is an AMOUNT mismatch");
            browser.click("scenario-add-step");
            browser.click("scenario-add-step");
            step(browser, 0, "0", "insert", "Order", "orderId=O-1, customerId=C-1, amount=100.00, currency=EUR, status=PAID", "");
            step(browser, 1, "1", "insert", "Payment", "paymentId=P-1, orderId=O-1, amount=105.00, currency=EUR, status=SUCCESS", "AMOUNT O-1");
            browser.click("scenario-run");
            WebElement result = browser.byTestId("scenario-result");
            assertThat(result.getAttribute("data-passed")).as(result.getText()).isEqualTo("true");
            assertThat(browser.allByTestId("step-outcome").get(1).getText()).contains("AMOUNT O-1");
            browser.screenshot("rules-scenario-passed");

            browser.click("publish");
            browser.byTestId("publish-version").sendKeys(PUBLISHED);
            browser.byTestId("publish-notes").sendKeys("Overpaid-order scenario added");
            browser.click("confirm-ok");
            browser.wait.withTimeout(Duration.ofSeconds(90)).until(d -> d.getCurrentUrl().endsWith("/releases/" + PUBLISHED));
            assertThat(browser.byTestId("release-status").getText()).isEqualTo("DRAFT");
            browser.screenshot("release-published");
        }
        assertThat(recon.get("/api/releases/" + PUBLISHED + "/files", "viewer").toString()).contains("overpaid.scenario.json");
    }

    private static void step(Browser browser, int row, String at, String op, String type, String fields, String expect) {
        WebElement step = browser.allByTestId("scenario-step").get(row);
        WebElement atInput = step.findElements(By.cssSelector("input")).get(0);
        atInput.sendKeys(at);
        new Select(step.findElement(By.cssSelector("select"))).selectByValue(op);
        step = browser.allByTestId("scenario-step").get(row);
        List<WebElement> inputs = step.findElements(By.cssSelector("input"));
        inputs.get(1).sendKeys(type);
        inputs.get(2).sendKeys(fields);
        if (!expect.isEmpty()) {
            inputs.get(4).sendKeys(expect);
        }
    }

    @Test
    @Order(2)
    void aReleaserShadowsTheDraftActivatesItSeesItRunningAndRollsBack() {
        try (Browser browser = Browser.signedIn(recon.baseUrl, "releaser")) {
            browser.open("/releases/" + PUBLISHED);
            browser.click("shadow");
            WebElement report = browser.wait.withTimeout(Duration.ofSeconds(90)).until(
                    ExpectedConditions.visibilityOfElementLocated(Browser.testId("shadow-report")));
            assertThat(report.getText()).isNotBlank();
            browser.screenshot("release-shadow");

            // a canary on partition 0 first: compared per partition on the page, then rolled back
            browser.click("canary-start");
            WebElement canary = browser.wait.withTimeout(Duration.ofSeconds(90)).until(
                    ExpectedConditions.visibilityOfElementLocated(Browser.testId("canary-report")));
            browser.wait.until(d -> browser.allByTestId("canary-partition").size() >= 2);
            assertThat(browser.byTestId("canary-candidate").getText()).contains(PUBLISHED);
            assertThat(canary.getText()).contains("1.0.0");
            assertThat(recon.get("/api/releases/canary", "viewer").get("partitions").get(0).get("rulesVersion").asString()).isEqualTo(PUBLISHED);
            browser.screenshot("release-canary");
            browser.click("canary-end");
            browser.click("confirm-ok");
            browser.wait.withTimeout(Duration.ofSeconds(30)).until(
                    ExpectedConditions.visibilityOfElementLocated(Browser.testId("canary-form")));

            browser.click("activate");
            browser.click("confirm-ok");
            browser.wait.withTimeout(Duration.ofSeconds(90)).until(d -> "ACTIVE".equals(browser.byTestId("release-status").getText()));

            browser.open("/");
            browser.wait.until(d -> PUBLISHED.equals(browser.byTestId("active-version").getText()));
            browser.wait.until(d -> !browser.allByTestId("session-version").isEmpty()
                    && browser.allByTestId("session-version").stream().allMatch(c -> PUBLISHED.equals(c.getText())));
            browser.screenshot("overview-activated");

            browser.open("/releases/" + PUBLISHED);
            browser.click("rollback");
            browser.click("confirm-ok");
            browser.wait.withTimeout(Duration.ofSeconds(90)).until(d -> !"ACTIVE".equals(browser.byTestId("release-status").getText()));
            browser.open("/");
            browser.wait.until(d -> "1.0.0".equals(browser.byTestId("active-version").getText()));
            browser.screenshot("overview-rolled-back");
        }
    }

    @Test
    @Order(3)
    void aHandlerFiltersTheQueueResolvesOneWithANoteAndIgnoresABatch() {
        try (Browser browser = Browser.signedIn(recon.baseUrl, "handler")) {
            browser.open("/mismatches");
            browser.byTestId("filter-type").sendKeys("amount");
            browser.click("filter-apply");
            browser.wait.until(d -> d.getCurrentUrl().contains("type=AMOUNT"));
            browser.driver().navigate().refresh();                              // the filter lives in the URL
            browser.wait.until(d -> browser.allByTestId("mismatch-row").size() == 3);
            assertThat(browser.allByTestId("mismatch-row")).allMatch(r -> "AMOUNT".equals(r.getAttribute("data-type")));
            browser.screenshot("queue-amount");

            // sorted by key on the server, the order in the URL; a second click reverses it
            browser.click("sort-key");
            browser.wait.until(d -> d.getCurrentUrl().contains("sort=key&dir=asc"));
            browser.wait.until(d -> keys(browser).equals(List.of("WB-AMT-1", "WB-AMT-2", "WB-AMT-3")));
            browser.click("sort-key");
            browser.wait.until(d -> d.getCurrentUrl().contains("sort=key&dir=desc"));
            browser.wait.until(d -> keys(browser).equals(List.of("WB-AMT-3", "WB-AMT-2", "WB-AMT-1")));
            browser.driver().navigate().refresh();
            browser.wait.until(d -> keys(browser).equals(List.of("WB-AMT-3", "WB-AMT-2", "WB-AMT-1")));
            assertThat(browser.byTestId("sort-key").getAttribute("data-dir")).isEqualTo("desc");
            browser.screenshot("queue-sorted-by-key");

            browser.wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("[data-testid='mismatch-row'][data-id='" + amountMismatch + "'] [data-testid='mismatch-link']"))).click();
            browser.wait.until(d -> d.getCurrentUrl().endsWith("/mismatches/" + amountMismatch));
            browser.byTestId("facts");
            List<String> differing = browser.allByTestId("field-diff").stream().map(e -> e.getAttribute("data-field")).distinct().toList();
            assertThat(differing).as("the fields the two systems disagree on").contains("amount");
            browser.screenshot("mismatch-detail");

            browser.click("action-resolve");
            browser.byTestId("action-text").sendKeys("Refunded the 5.00 EUR overcharge");
            browser.click("confirm-ok");
            browser.wait.until(d -> "RESOLVED".equals(browser.byTestId("detail-status").getText()));
            browser.wait.until(d -> browser.byTestId("history").getText().contains("Refunded the 5.00 EUR overcharge"));
            browser.screenshot("mismatch-resolved");

            browser.open("/mismatches?type=AMOUNT&status=OPEN");
            browser.wait.until(d -> browser.allByTestId("mismatch-row").size() == 2);
            assertThat(browser.allByTestId("mismatch-row")).noneMatch(r -> String.valueOf(amountMismatch).equals(r.getAttribute("data-id")));
            // a batch re-check is confirmed with the dry run's count; no second check is configured here, so there is nothing to confirm
            browser.click("batch-recheck");
            assertThat(browser.byTestId("action-dialog-message").getText()).startsWith("Re-check 0 of the 2 mismatches that match type=AMOUNT, status=OPEN?")
                    .contains("2 cannot be done").contains("no second check is configured for task trade and type AMOUNT");
            assertThat(browser.byTestId("confirm-ok").isEnabled()).isFalse();
            browser.screenshot("queue-batch-recheck");
            browser.click("confirm-cancel");

            browser.open("/mismatches?type=DUPLICATE&status=OPEN");
            browser.wait.until(d -> browser.allByTestId("mismatch-row").size() == 2);
            browser.click("batch-ignore");
            assertThat(browser.byTestId("action-dialog-message").getText()).contains("2");
            browser.byTestId("action-text").sendKeys("Test payments of the payment provider's sandbox");
            browser.click("confirm-ok");
            browser.byTestId("batch-outcome");
            browser.wait.until(d -> browser.allByTestId("mismatch-row").isEmpty());
            browser.screenshot("queue-batch-ignored");
        }
        assertThat(recon.get("/api/mismatches?type=DUPLICATE&status=IGNORED", "viewer").get("total").asInt()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void aViewerSeesEveryPageWithoutAWriteButtonAndAForcedWriteShowsWhy() {
        try (Browser browser = Browser.signedIn(recon.baseUrl, "viewer")) {
            for (Map.Entry<String, String> page : pages().entrySet()) {
                browser.open(page.getValue());
                settle(browser, page.getKey());
                browser.screenshot(page.getKey());
                for (String button : WRITE_BUTTONS) {
                    assertThat(browser.allByTestId(button)).as(button + " on " + page.getValue()).isEmpty();
                }
            }
            browser.open("/mismatches/" + amountMismatch);
            browser.byTestId("facts");
            browser.script("window.recon.write('POST', '/api/mismatches/' + arguments[0] + '/comment', { text: 'forced' })", amountMismatch);
            assertThat(browser.byTestId("error-banner").getText()).contains("You are signed in as viewer (VIEWER)").contains("HANDLER");
            browser.screenshot("forced-write-refused");
        }
    }

    @Test
    @Order(5)
    void everyPageSwitchesToChineseAndBack() {
        try (Browser browser = Browser.signedIn(recon.baseUrl, "operator")) {
            Map<String, String> all = new LinkedHashMap<>(pages());
            for (Map.Entry<String, String> page : all.entrySet()) {
                browser.open(page.getValue());
                settle(browser, page.getKey());
                String english = heading(browser);
                browser.click("lang-switch");
                browser.wait.until(d -> "zh-CN".equals(browser.script("return document.documentElement.lang")));
                browser.wait.until(d -> !heading(browser).equals(english));
                assertThat(heading(browser)).as(page.getValue() + " in Chinese").containsPattern("\\p{IsHan}");
                assertThat(browser.byTestId("nav-overview").getText()).isEqualTo("总览");
                browser.screenshot(page.getKey() + "-zh");
                browser.click("lang-switch");
                browser.wait.until(d -> "en".equals(browser.script("return document.documentElement.lang")));
                browser.wait.until(d -> heading(browser).equals(english));
                assertThat(browser.byTestId("nav-overview").getText()).isEqualTo("Overview");
            }
            browser.driver().navigate().refresh();                             // the choice is remembered: still English after a reload
            browser.byTestId("nav-overview");
            assertThat(browser.byTestId("nav-overview").getText()).isEqualTo("Overview");
        }
    }

    @Test
    @Order(6)
    void everyPageHasNoSeriousOrCriticalAccessibilityViolation() {
        List<String> violations = new ArrayList<>();
        try (Browser browser = Browser.signedIn(recon.baseUrl, "releaser")) {
            for (Map.Entry<String, String> page : pages().entrySet()) {
                browser.open(page.getValue());
                settle(browser, page.getKey());
                browser.accessibilityViolations().forEach(v -> violations.add(page.getValue() + ": " + v));
            }
            browser.click("sign-out");
            browser.byTestId("login-username");
            browser.screenshot("login");
            browser.accessibilityViolations().forEach(v -> violations.add("/login: " + v));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    @Order(7)
    void anOperatorPausesAndResumesAPartitionFromTheOperationsPage() {
        try (Browser browser = Browser.signedIn(recon.baseUrl, "operator")) {
            browser.open("/operations");
            String session = "trade/0";
            By row = By.cssSelector("[data-testid='session-row'][data-session='" + session + "']");
            browser.wait.until(d -> "RUNNING".equals(d.findElement(row).getAttribute("data-state")));
            browser.driver().findElement(row).findElement(Browser.testId("session-pause")).click();
            assertThat(browser.byTestId("action-dialog-message").getText()).contains(session);
            browser.click("confirm-ok");
            assertThat(browser.wait.until(ExpectedConditions.visibilityOfElementLocated(Browser.testId("op-result"))).getText())
                    .isEqualTo("Session " + session + " is paused.");
            browser.wait.until(d -> "PAUSED".equals(d.findElement(row).getAttribute("data-state")));
            browser.screenshot("operations-paused");
            assertThat(recon.get("/actuator/recon", "viewer").get("sessions").valueStream()
                    .filter(s -> s.get("partition").asInt() == 0).findFirst().orElseThrow().get("state").asString()).isEqualTo("PAUSED");

            browser.driver().findElement(row).findElement(Browser.testId("session-resume")).click();
            browser.click("confirm-ok");
            browser.wait.until(d -> ("Session " + session + " is running again.").equals(browser.byTestId("op-result").getText()));
            browser.wait.until(d -> "RUNNING".equals(d.findElement(row).getAttribute("data-state")));
            browser.screenshot("operations-resumed");
        }
    }

    @Test
    @Order(8)
    void anAnalystAddsATopicSourceFromTheTasksPageSeesEachRefusalAtItsFieldAndDeletesIt() {
        try (Browser browser = Browser.signedIn(recon.baseUrl, "analyst")) {
            browser.open("/tasks");
            browser.click("add-source");
            WebElement form = browser.byTestId("catalog-form");
            type(form, "name", "wb-courier-copy");
            new Select(form.findElement(Browser.testId("field-kind"))).selectByValue("TOPIC");
            type(form, "topic", "courier.deliveries");
            new Select(form.findElement(Browser.testId("field-task"))).selectByValue("trade");
            type(form, "type", "recon.trade.Parcel");        // not declared by the active rules
            type(form, "key", "orderId");
            type(form, "id", "deliveryId");
            type(form, "eventTime", "deliveredAt");
            browser.click("catalog-save");
            WebElement refusal = browser.wait.until(ExpectedConditions.visibilityOfElementLocated(Browser.testId("field-error")));
            assertThat(refusal.getAttribute("data-field")).isEqualTo("type");
            assertThat(refusal.getText()).contains("recon.trade.Parcel");
            assertThat(form.findElement(Browser.testId("field-type")).getAttribute("aria-invalid")).isEqualTo("true");
            browser.screenshot("catalog-source-refused");

            form.findElement(Browser.testId("field-type")).clear();
            type(form, "type", "recon.trade.Delivery");
            browser.click("catalog-save");
            By row = By.cssSelector("[data-testid='source-row'][data-name='wb-courier-copy']");
            browser.wait.until(ExpectedConditions.visibilityOfElementLocated(row));
            assertThat(recon.get("/api/sources/wb-courier-copy", "viewer").get("topic").asString()).isEqualTo("courier.deliveries");
            browser.wait.until(d -> browser.allByTestId("change-row").stream().anyMatch(c -> c.getText().contains("wb-courier-copy")));
            browser.screenshot("catalog-source-added");

            browser.driver().findElement(row).findElement(Browser.testId("delete-source")).click();
            assertThat(browser.byTestId("action-dialog-message").getText()).contains("wb-courier-copy");
            browser.click("confirm-ok");
            browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
        }
    }

    @Test
    @Order(9)
    void anAnalystAddsATableSourceOnTheDemosPayDatabaseFromTheTasksPage() {
        recon.bean(DemoSystems.class).jdbc("pay").execute("create table if not exists public.wb_card_payments (payment_id text primary key,"
                + " order_id text not null, amount numeric(12,2) not null, currency text not null, status text not null,"
                + " paid_at timestamptz not null)");
        try (Browser browser = Browser.signedIn(recon.baseUrl, "analyst")) {
            browser.open("/tasks");
            browser.wait.until(d -> browser.allByTestId("database-row").stream().anyMatch(r -> "pay".equals(r.getAttribute("data-name"))));
            browser.click("add-source");
            WebElement form = browser.byTestId("catalog-form");
            type(form, "name", "wb-card-payments");
            new Select(form.findElement(Browser.testId("field-kind"))).selectByValue("TABLE");
            // the demo's databases are offered like any catalog database
            Select database = new Select(form.findElement(Browser.testId("field-database")));
            assertThat(database.getOptions().stream().map(o -> o.getAttribute("value")).toList()).contains("shop", "pay", "wms");
            database.selectByValue("pay");
            type(form, "table", "public.wb_card_payments");
            new Select(form.findElement(Browser.testId("field-task"))).selectByValue("trade");
            type(form, "type", "recon.trade.Payment");
            type(form, "key", "orderId");
            type(form, "id", "paymentId");
            type(form, "eventTime", "paidAt");
            browser.click("catalog-save");
            By row = By.cssSelector("[data-testid='source-row'][data-name='wb-card-payments']");
            browser.wait.until(ExpectedConditions.visibilityOfElementLocated(row));
            JsonNode created = recon.get("/api/sources/wb-card-payments", "viewer");
            assertThat(created.get("database").asString()).isEqualTo("pay");
            assertThat(created.get("table").asString()).isEqualTo("public.wb_card_payments");
            browser.screenshot("catalog-table-source-added");

            browser.driver().findElement(row).findElement(Browser.testId("delete-source")).click();
            browser.click("confirm-ok");
            browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
        }
    }

    private static void type(WebElement form, String field, String text) {
        form.findElement(Browser.testId("field-" + field)).sendKeys(text);
    }

    private static List<String> keys(Browser browser) {
        return browser.allByTestId("mismatch-row").stream().map(r -> r.getAttribute("data-key")).toList();
    }

    private static String heading(Browser browser) {
        return browser.driver().findElement(By.cssSelector("main h1")).getText();
    }

    /** Waits for what a page loads after its heading, so that checks and screenshots see the page filled in. */
    private static void settle(Browser browser, String page) {
        switch (page) {
            case "overview" -> browser.byTestId("task-group");
            case "queue" -> browser.byTestId("mismatch-row");
            case "mismatch" -> browser.byTestId("facts");
            case "rules" -> browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".cm-content")));
            case "releases", "release" -> browser.byTestId(page.equals("releases") ? "release-row" : "release-status");
            default -> browser.wait.until(d -> !browser.mainText().isBlank());
        }
    }
}
