package io.recon.catalog;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.convert.DurationStyle;

/**
 * One task group of the catalog (a KieBase of the rules; one session per partition) and what it takes in.
 *
 * @param enabled   false: its sessions stop consuming (their facts stay) and resume where they stopped when switched on
 * @param sampling  share of correlation keys taken, 0 < s <= 1, by a stable hash of the key: both sides of a key are
 *                  taken or dropped together
 * @param allowKeys when not empty, only these correlation keys are taken
 * @param denyKeys  these correlation keys are never taken
 */
public record CatalogTask(String task, Boolean enabled, Integer partitions, String allowedLateness, String idleTimeout,
                          String replayHorizon, Integer batchSize, Integer maxFirings, Integer quarantineAfter,
                          String quarantineWindow, Double sampling, List<String> allowKeys, List<String> denyKeys, String origin) {

    public CatalogTask {
        enabled = enabled == null || enabled;
        partitions = partitions == null ? 2 : partitions;
        allowedLateness = allowedLateness == null ? "5s" : allowedLateness;
        idleTimeout = idleTimeout == null ? "2s" : idleTimeout;
        replayHorizon = replayHorizon == null ? "30m" : replayHorizon;
        batchSize = batchSize == null ? 500 : batchSize;
        maxFirings = maxFirings == null ? 10_000 : maxFirings;
        quarantineAfter = quarantineAfter == null ? 3 : quarantineAfter;
        quarantineWindow = quarantineWindow == null ? "5m" : quarantineWindow;
        sampling = sampling == null ? 1.0 : sampling;
        allowKeys = allowKeys == null ? List.of() : List.copyOf(allowKeys);
        denyKeys = denyKeys == null ? List.of() : List.copyOf(denyKeys);
    }

    /** A task group with every setting at its default. */
    public static CatalogTask defaults(String task) {
        return new CatalogTask(task, null, null, null, null, null, null, null, null, null, null, null, null, "api");
    }

    public boolean isEnabled() {
        return enabled;
    }

    public Duration allowedLatenessDuration() {
        return DurationStyle.detectAndParse(allowedLateness);
    }

    public Duration idleTimeoutDuration() {
        return DurationStyle.detectAndParse(idleTimeout);
    }

    public Duration replayHorizonDuration() {
        return DurationStyle.detectAndParse(replayHorizon);
    }

    public Duration quarantineWindowDuration() {
        return DurationStyle.detectAndParse(quarantineWindow);
    }

    public CatalogTask named(String newTask, String newOrigin) {
        return new CatalogTask(newTask, enabled, partitions, allowedLateness, idleTimeout, replayHorizon, batchSize, maxFirings,
                quarantineAfter, quarantineWindow, sampling, allowKeys, denyKeys, newOrigin);
    }
}
