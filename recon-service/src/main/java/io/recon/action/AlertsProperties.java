package io.recon.action;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code recon.alerts.*}: where alerts go and how loud they may be.
 *
 * @param baseUrl    where people reach this Recon; an alert links to {@code baseUrl + /api/mismatches/{id}}
 * @param channels   named destinations: a generic JSON webhook, a chat-bot webhook (Slack, WeCom, DingTalk), or e-mail
 * @param routes     per task (or {@code default} for tasks without their own), severity P1..P4 to channel names
 * @param foldWindow a mismatch that reopens within this time after its last alert does not alert again;
 *                   the repeat is counted on that alert instead
 * @param throttle   at most {@code limit} alerts per task per {@code window}; the rest are counted and
 *                   reported in one summary per window
 * @param digest     these severities never alert one by one: they are collected into a digest every {@code interval}
 * @param dispatch   the sender: how often it looks for due actions, retries and back-off
 */
@ConfigurationProperties("recon.alerts")
public record AlertsProperties(String baseUrl, Map<String, Channel> channels, Map<String, Map<String, List<String>>> routes,
                               Duration foldWindow, Throttle throttle, Digest digest, Dispatch dispatch) {

    public enum Kind { WEBHOOK, SLACK, WECOM, DINGTALK, EMAIL }

    /** @param url for webhooks; @param to and @param from for e-mail */
    public record Channel(Kind kind, String url, List<String> to, String from) {
        public Channel {
            to = to == null ? List.of() : List.copyOf(to);
            from = from == null ? "recon@localhost" : from;
        }
    }

    public record Throttle(int limit, Duration window) {
        public Throttle {
            limit = limit <= 0 ? 20 : limit;
            window = window == null ? Duration.ofMinutes(1) : window;
        }
    }

    public record Digest(List<String> severities, Duration interval) {
        public Digest {
            severities = severities == null ? List.of("P4") : severities.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
            interval = interval == null ? Duration.ofHours(1) : interval;
        }
    }

    /**
     * @param enabled        false keeps actions in the outbox unsent (maintenance; tests of crash recovery)
     * @param poll           how often the dispatcher looks for due actions when idle
     * @param batchSize      actions claimed per round
     * @param parallelism    deliveries in flight at once
     * @param maxAttempts    after this many failed attempts an action is FAILED
     * @param initialBackoff wait after the first failure; doubles after each further failure
     * @param maxBackoff     the longest wait between attempts
     * @param timeout        how long one delivery may take
     */
    public record Dispatch(Boolean enabled, Duration poll, int batchSize, int parallelism, int maxAttempts,
                           Duration initialBackoff, Duration maxBackoff, Duration timeout) {
        public Dispatch {
            enabled = enabled == null || enabled;
            poll = poll == null ? Duration.ofMillis(200) : poll;
            batchSize = batchSize <= 0 ? 100 : batchSize;
            parallelism = parallelism <= 0 ? 4 : parallelism;
            maxAttempts = maxAttempts <= 0 ? 8 : maxAttempts;
            initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
            maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        }

        /** Wait before attempt {@code failures + 1}: initial × 2^(failures − 1), capped. */
        Duration backoff(int failures) {
            long millis = initialBackoff.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
            return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
        }
    }

    public AlertsProperties {
        baseUrl = baseUrl == null ? "http://localhost:8080" : baseUrl.replaceAll("/+$", "");
        channels = channels == null ? Map.of() : Map.copyOf(channels);
        routes = routes == null ? Map.of() : Map.copyOf(routes);
        foldWindow = foldWindow == null ? Duration.ofMinutes(10) : foldWindow;
        throttle = throttle == null ? new Throttle(0, null) : throttle;
        digest = digest == null ? new Digest(null, null) : digest;
        dispatch = dispatch == null ? new Dispatch(null, null, 0, 0, 0, null, null, null) : dispatch;
        for (var route : routes.entrySet()) {
            for (var severity : route.getValue().entrySet()) {
                for (String channel : severity.getValue()) {
                    if (!channels.containsKey(channel)) {
                        throw new IllegalArgumentException("recon.alerts.routes." + route.getKey() + "." + severity.getKey()
                                + " names channel '" + channel + "', which is not under recon.alerts.channels " + channels.keySet());
                    }
                }
            }
        }
        for (var channel : channels.entrySet()) {
            Channel c = channel.getValue();
            if (c.kind() == null) {
                throw new IllegalArgumentException("recon.alerts.channels." + channel.getKey() + ".kind is missing; use webhook, slack, wecom, dingtalk or email");
            }
            if (c.kind() != Kind.EMAIL && (c.url() == null || c.url().isBlank())) {
                throw new IllegalArgumentException("recon.alerts.channels." + channel.getKey() + ".url is missing");
            }
            if (c.kind() == Kind.EMAIL && c.to().isEmpty()) {
                throw new IllegalArgumentException("recon.alerts.channels." + channel.getKey() + ".to needs at least one address");
            }
        }
    }

    /** The channels a mismatch of this task and severity goes to (the task's route, else the default route). */
    Set<String> channelsFor(String task, String severity) {
        Map<String, List<String>> route = routes.containsKey(task) ? routes.get(task) : routes.getOrDefault("default", Map.of());
        List<String> names = route.get(severity.toUpperCase(Locale.ROOT));
        if (names == null) {
            names = route.get(severity.toLowerCase(Locale.ROOT));
        }
        return names == null ? Set.of() : new TreeSet<>(names);
    }

    boolean digested(String severity) {
        return digest.severities().contains(severity.toUpperCase(Locale.ROOT));
    }
}
