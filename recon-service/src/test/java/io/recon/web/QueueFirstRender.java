package io.recon.web;

import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** For {@code bin/recon bench queue}: how long Chromium takes from opening the queue to showing its first rows. */
public final class QueueFirstRender {

    private QueueFirstRender() {
    }

    /** @return milliseconds per load, the first one with an empty browser cache */
    public static double[] measure(String baseUrl, int loads) {
        double[] ms = new double[loads];
        try (Browser browser = Browser.signedIn(baseUrl, "viewer")) {
            for (int i = 0; i < loads; i++) {
                browser.driver().get("about:blank");
                long started = System.nanoTime();
                browser.driver().get(baseUrl + "/mismatches");
                browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='mismatch-row']")));
                ms[i] = (System.nanoTime() - started) / 1e6;
            }
        }
        return ms;
    }
}
