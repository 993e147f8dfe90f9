package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Alerts leave Recon over real protocols: a generic JSON webhook and a Slack-style webhook to a local
 * HTTP server, e-mail to a local SMTP server (GreenMail). Routes are by severity: P1 to all three,
 * P2 to a receiver that fails at first, P3 into a digest.
 */
class AlertsIT {

    private static final String BASE_URL = "https://recon.example.com";
    private static WebhookReceiver receiver;
    private static GreenMail smtp;
    private static ReconInstance recon;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver("/hook", "/slack", "/flaky", "/wecom", "/dingtalk");
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        recon = ReconInstance.start(ReconTestSupport.newWorkDir("alerts"),
                "spring.mail.host=127.0.0.1",
                "spring.mail.port=" + smtp.getSmtp().getPort(),
                "recon.alerts.base-url=" + BASE_URL,
                "recon.alerts.channels.ops-hook.kind=webhook",
                "recon.alerts.channels.ops-hook.url=" + receiver.url("/hook"),
                "recon.alerts.channels.chat.kind=slack",
                "recon.alerts.channels.chat.url=" + receiver.url("/slack"),
                "recon.alerts.channels.wecom-bot.kind=wecom",
                "recon.alerts.channels.wecom-bot.url=" + receiver.url("/wecom"),
                "recon.alerts.channels.dingtalk-bot.kind=dingtalk",
                "recon.alerts.channels.dingtalk-bot.url=" + receiver.url("/dingtalk"),
                "recon.alerts.channels.oncall-mail.kind=email",
                "recon.alerts.channels.oncall-mail.to=oncall@shop.example",
                "recon.alerts.channels.flaky-hook.kind=webhook",
                "recon.alerts.channels.flaky-hook.url=" + receiver.url("/flaky"),
                "recon.alerts.routes.trade.P1=ops-hook,chat,wecom-bot,dingtalk-bot,oncall-mail",
                "recon.alerts.routes.trade.P2=flaky-hook",
                "recon.alerts.routes.trade.P3=ops-hook",
                "recon.alerts.digest.severities=P3,P4",
                "recon.alerts.digest.interval=3s",
                "recon.alerts.dispatch.initial-backoff=200ms");
    }

    @AfterAll
    static void stop() {
        if (recon != null) {
            recon.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aP1MismatchAlertsEveryRoutedChannelOnceSayingWhatWhereSinceWhenAndWhereToLook() throws Exception {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.order("ALRT-DUP-1", "50.00", t0);
            script.payment("P-ALRT-DUP-1a", "ALRT-DUP-1", "50.00", "SUCCESS", t0.plusMillis(200));
            script.payment("P-ALRT-DUP-1b", "ALRT-DUP-1", "50.00", "SUCCESS", t0.plusMillis(400));
            script.markOrder("ALRT-DUP-1", "PAID");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> recon.get("/api/mismatches?key=ALRT-DUP-1&type=DUPLICATE").get("total").asInt() == 1);
        long id = recon.mismatch("ALRT-DUP-1", "DUPLICATE").get("mismatch").get("id").asLong();

        await().atMost(Duration.ofSeconds(20)).until(() -> forMismatch("/hook", id).size() == 1
                && forMismatch("/slack", id).size() == 1 && forMismatch("/wecom", id).size() == 1
                && forMismatch("/dingtalk", id).size() == 1 && smtp.getReceivedMessages().length >= 1);

        WebhookReceiver.Received hook = forMismatch("/hook", id).get(0);
        assertThat(hook.idempotencyKey()).isEqualTo("mismatch-" + id + "-alert-1-ops-hook");
        assertThat(hook.body().get("idempotencyKey").asString()).isEqualTo(hook.idempotencyKey());
        assertThat(hook.body().get("severity").asString()).isEqualTo("P1");
        assertThat(hook.body().get("count").asInt()).isEqualTo(1);
        assertThat(hook.body().get("details").get("key").asString()).isEqualTo("ALRT-DUP-1");
        assertThat(hook.body().get("details").get("since").asString()).isNotBlank();
        assertThat(hook.body().get("title").asString()).isEqualTo("[P1] DUPLICATE mismatch in trade for key ALRT-DUP-1");
        assertThat(hook.body().get("text").asString()).contains("paid more than once").contains("Open since ");
        assertThat(hook.body().get("link").asString()).isEqualTo(BASE_URL + "/api/mismatches/" + id);

        WebhookReceiver.Received slack = forMismatch("/slack", id).get(0);
        assertThat(slack.idempotencyKey()).isEqualTo("mismatch-" + id + "-alert-1-chat");
        assertThat(slack.body().get("text").asString()).contains("ALRT-DUP-1");
        assertThat(slack.body().get("blocks")).extracting(b -> b.get("type").asString()).containsExactly("header", "section", "context");
        assertThat(slack.body().get("blocks").get(2).toString()).contains(BASE_URL + "/api/mismatches/" + id);

        WebhookReceiver.Received wecom = forMismatch("/wecom", id).get(0);
        assertThat(wecom.idempotencyKey()).isEqualTo("mismatch-" + id + "-alert-1-wecom-bot");
        assertThat(wecom.body().get("msgtype").asString()).isEqualTo("markdown");
        assertThat(wecom.body().get("markdown").get("content").asString()).contains("ALRT-DUP-1").contains("paid more than once")
                .contains("(" + BASE_URL + "/api/mismatches/" + id + ")");
        WebhookReceiver.Received dingTalk = forMismatch("/dingtalk", id).get(0);
        assertThat(dingTalk.body().get("msgtype").asString()).isEqualTo("markdown");
        assertThat(dingTalk.body().get("markdown").get("title").asString()).isEqualTo("[P1] DUPLICATE mismatch in trade for key ALRT-DUP-1");
        assertThat(dingTalk.body().get("markdown").get("text").asString()).contains("paid more than once")
                .contains(BASE_URL + "/api/mismatches/" + id);

        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("[P1] DUPLICATE mismatch in trade for key ALRT-DUP-1");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("oncall@shop.example");
        assertThat(mail.getHeader("X-Idempotency-Key")[0]).isEqualTo("mismatch-" + id + "-alert-1-oncall-mail");
        assertThat(mail.getMessageID()).isEqualTo("<mismatch-" + id + "-alert-1-oncall-mail@recon>");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(mail)).contains("paid more than once").contains("/api/mismatches/" + id);

        // A receiver answers before the outbox commits the delivery, so the last DONE may lag the last request a little.
        await().atMost(Duration.ofSeconds(10)).until(() -> recon.get("/api/actions?mismatchId=" + id + "&status=DONE").get("total").asInt() == 5);
        JsonNode actions = recon.get("/api/actions?mismatchId=" + id).get("items");
        assertThat(actions).extracting(a -> a.get("channel").asString())
                .containsExactlyInAnyOrder("ops-hook", "chat", "wecom-bot", "dingtalk-bot", "oncall-mail");
        assertThat(actions).allSatisfy(a -> {
            assertThat(a.get("status").asString()).isEqualTo("DONE");
            assertThat(a.get("attemptLog")).hasSize(1);
        });
    }

    @Test
    void aFailingReceiverIsRetriedWithBackOffUnderTheSameKeyAndEveryAttemptIsRecorded() {
        receiver.failNext("/flaky", 2);
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.overpaidFlow("ALRT-AMT-1", t0);
        }
        long id = recon.awaitMismatch("ALRT-AMT-1", "AMOUNT");

        await().atMost(Duration.ofSeconds(20)).until(() -> "DONE".equals(
                recon.get("/api/actions?mismatchId=" + id).get("items").get(0).get("status").asString()));

        List<WebhookReceiver.Received> requests = forMismatch("/flaky", id);
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(WebhookReceiver.Received::idempotencyKey).containsOnly("mismatch-" + id + "-alert-1-flaky-hook");
        // Back-off: 200 ms after the first failure, 400 ms after the second.
        assertThat(requests.get(1).atMillis() - requests.get(0).atMillis()).isGreaterThanOrEqualTo(180);
        assertThat(requests.get(2).atMillis() - requests.get(1).atMillis()).isGreaterThanOrEqualTo(380);
        JsonNode action = recon.get("/api/actions?mismatchId=" + id).get("items").get(0);
        assertThat(action.get("attempts").asInt()).isEqualTo(3);
        assertThat(action.get("attemptLog")).extracting(a -> a.get("ok").asBoolean() + " " + a.get("detail").asString())
                .containsExactly("false HTTP 500: receiver down", "false HTTP 500: receiver down", "true HTTP 200: ok");
    }

    @Test
    void aMismatchThatHealsAndComesBackIsFoldedIntoItsFirstAlert() {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            script.overpaidFlow("ALRT-FOLD-1", t0);
        }
        long id = recon.awaitMismatch("ALRT-FOLD-1", "AMOUNT");
        await().atMost(Duration.ofSeconds(20)).until(() -> forMismatch("/flaky", id).size() == 1);

        var pay = recon.bean(io.recon.demo.DemoSystems.class).jdbc("pay");
        pay.update("update payments set amount = 100.00 where payment_id = 'P-ALRT-FOLD-1'");       // corrected: heals
        await().atMost(Duration.ofSeconds(20)).until(() -> recon.status(id).equals("AUTO_RESOLVED"));
        pay.update("update payments set amount = 105.00 where payment_id = 'P-ALRT-FOLD-1'");       // wrong again: reopens
        await().atMost(Duration.ofSeconds(20)).until(() -> recon.status(id).equals("OPEN"));

        JsonNode actions = recon.get("/api/actions?mismatchId=" + id).get("items");
        assertThat(actions).hasSize(1);
        assertThat(actions.get(0).get("folded").asInt()).isEqualTo(1);
        assertThat(forMismatch("/flaky", id)).hasSize(1);
    }

    @Test
    void lowSeveritiesArriveAsOneDigestWithTheirCounts() {
        Instant t0 = Instant.now();
        try (DemoScript script = recon.script()) {
            for (int i = 1; i <= 2; i++) {                    // paid, never marked PAID: STATUS (P3) after 10 s
                script.order("ALRT-STAT-" + i, "70.00", t0);
                script.payment("P-ALRT-STAT-" + i, "ALRT-STAT-" + i, "70.00", "SUCCESS", t0.plusMillis(200));
            }
        }
        await().atMost(Duration.ofSeconds(45)).until(() -> !digests().isEmpty());

        JsonNode digest = digests().get(0).body();
        assertThat(digest.get("count").asInt()).isEqualTo(2);
        assertThat(digest.get("details").get("byType").get("STATUS").asInt()).isEqualTo(2);
        assertThat(digest.get("details").get("sampleKeys").toString()).contains("ALRT-STAT-1").contains("ALRT-STAT-2");
        assertThat(digest.get("title").asString()).isEqualTo("[P3] trade: 2 mismatches (digest)");
        assertThat(receiver.received("/hook")).noneMatch(r -> r.body().get("details").path("key").asString("").startsWith("ALRT-STAT-"));
    }

    private static List<WebhookReceiver.Received> forMismatch(String path, long id) {
        java.util.regex.Pattern link = java.util.regex.Pattern.compile("/api/mismatches/" + id + "(?!\\d)");
        return receiver.received(path).stream().filter(r -> link.matcher(r.body().toString()).find()).toList();
    }

    private static List<WebhookReceiver.Received> digests() {
        return receiver.received("/hook").stream().filter(r -> "DIGEST".equals(r.body().get("kind").asString())).toList();
    }
}
