package io.recon.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The machine's Chromium, headless, driven through its own ChromeDriver (the paths are given, so
 * Selenium Manager never downloads anything), on the workbench of one service. One per user: a
 * fresh profile, so no cookie or language choice leaks between users.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Path AXE = Path.of("../ui-workbench/node_modules/axe-core/axe.min.js");

    private final ChromeDriver driver;
    private final String baseUrl;
    private final String user;
    final WebDriverWait wait;

    private Browser(String baseUrl, String user) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.baseUrl = baseUrl;
        this.user = user;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /** Opens the sign-in page and signs in as a demo user (password = name). */
    static Browser signedIn(String baseUrl, String user) {
        Browser browser = new Browser(baseUrl, user);
        try {
            browser.driver.get(baseUrl + "/login");
            browser.byTestId("login-username").sendKeys(user);
            browser.byTestId("login-password").sendKeys(user);
            browser.byTestId("login-submit").click();
            browser.byTestId("nav-overview");
            return browser;
        } catch (RuntimeException e) {
            browser.close();
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    /** Navigates like a refresh on a shared link, and waits for the page's heading. */
    void open(String path) {
        driver.get(baseUrl + path);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main h1")));
    }

    WebElement byTestId(String testId) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(testId(testId)));
    }

    List<WebElement> allByTestId(String testId) {
        return driver.findElements(testId(testId));
    }

    static By testId(String testId) {
        return By.cssSelector("[data-testid='" + testId + "']");
    }

    void click(String testId) {
        wait.until(ExpectedConditions.elementToBeClickable(testId(testId))).click();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves target/screenshots/{user}-{name}.png: the page as this user saw it. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(user + "-" + name + ".png"), png);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** axe-core's serious and critical violations on the current page, one line each (rule: target). */
    @SuppressWarnings("unchecked")
    List<String> accessibilityViolations() {
        try {
            script(Files.readString(AXE));
        } catch (IOException e) {
            throw new IllegalStateException("axe-core is missing at " + AXE.toAbsolutePath() + ": build ui-workbench (npm ci) first", e);
        }
        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                   .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));""");
        return new ArrayList<>((List<String>) result);
    }

    /** What the page says in its main region, for assertions on messages. */
    String mainText() {
        return driver.findElement(By.tagName("main")).getText();
    }

    Map<String, Object> timing() {
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) script("return performance.getEntriesByType('navigation')[0].toJSON()");
        return t;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
