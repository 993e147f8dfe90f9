package io.recon.action;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook channels: a generic JSON body for systems, and the chat-bot shapes teams use: Slack's
 * incoming webhook (text plus blocks), WeCom's and DingTalk's group robots (markdown messages). Both send the idempotency key in an {@code Idempotency-Key} header (and in the
 * body) so that a receiver can drop a re-delivery after a crash.
 */
@Configuration(proxyBeanMethods = false)
class WebhookSenders {

    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    ChannelSender webhookSender(AlertsProperties config) {
        return new HttpSender(AlertsProperties.Kind.WEBHOOK, config, (action, message) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("idempotencyKey", action.idempotencyKey());
            body.put("kind", action.kind());
            body.put("task", action.task());
            body.put("severity", action.severity());
            body.put("count", action.count());
            body.put("repeats", action.folded());
            body.put("title", message.title());
            body.put("text", message.text());
            body.put("link", message.link());
            body.put("details", action.payload());
            return body;
        });
    }

    @Bean
    ChannelSender slackSender(AlertsProperties config) {
        return new HttpSender(AlertsProperties.Kind.SLACK, config, (action, message) -> Map.of("text", message.title(), "blocks", List.of(
                Map.of("type", "header", "text", Map.of("type", "plain_text", "text", truncate(message.title(), 150))),
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", truncate(message.text(), 3000))),
                Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn",
                        "text", "<" + message.link() + "|open in Recon> · " + action.idempotencyKey()))))));
    }

    /** WeCom group robot: {@code {"msgtype":"markdown","markdown":{"content":...}}} (content at most 4096 bytes). */
    @Bean
    ChannelSender wecomSender(AlertsProperties config) {
        return new HttpSender(AlertsProperties.Kind.WECOM, config, (action, message) -> Map.of("msgtype", "markdown",
                "markdown", Map.of("content", truncate(markdown(action, message), 3500))));
    }

    /** DingTalk group robot: {@code {"msgtype":"markdown","markdown":{"title":...,"text":...}}}. */
    @Bean
    ChannelSender dingTalkSender(AlertsProperties config) {
        return new HttpSender(AlertsProperties.Kind.DINGTALK, config, (action, message) -> Map.of("msgtype", "markdown",
                "markdown", Map.of("title", truncate(message.title(), 150), "text", truncate(markdown(action, message), 5000))));
    }

    private static String markdown(PendingAction action, AlertMessage message) {
        return "**" + message.title() + "**\n\n" + message.text() + "\n\n[open in Recon](" + message.link() + ") · " + action.idempotencyKey();
    }

    private static HttpClient client(AlertsProperties config) {
        return HttpClient.newBuilder().connectTimeout(config.dispatch().timeout()).build();
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** One webhook channel: what differs between chat products is only the body they expect. */
    static final class HttpSender implements ChannelSender {

        private final AlertsProperties.Kind kind;
        private final HttpClient http;
        private final AlertsProperties config;
        private final BiFunction<PendingAction, AlertMessage, Object> body;

        HttpSender(AlertsProperties.Kind kind, AlertsProperties config, BiFunction<PendingAction, AlertMessage, Object> body) {
            this.kind = kind;
            this.http = client(config);
            this.config = config;
            this.body = body;
        }

        @Override
        public AlertsProperties.Kind kind() {
            return kind;
        }

        @Override
        public String send(PendingAction action, AlertsProperties.Channel channel, AlertMessage message) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(channel.url())).timeout(config.dispatch().timeout())
                    .header("Content-Type", "application/json")
                    .header(IDEMPOTENCY_HEADER, action.idempotencyKey())
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body.apply(action, message)))).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String answer = "HTTP " + response.statusCode() + (response.body().isBlank() ? "" : ": " + truncate(response.body(), 200));
            if (response.statusCode() / 100 != 2) {
                throw new DeliveryFailed(answer);
            }
            return answer;
        }
    }
}
