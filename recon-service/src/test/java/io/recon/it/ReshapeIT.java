package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recon.demo.DemoSystems;
import io.recon.demo.TrafficGenerator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reshape by replay: a version that adds a field to {@code Order} (a column added to the shop's table) is activated
 * under the demo traffic. The trade sessions cannot take it in place; they are rebuilt by replaying their partitions
 * on the event-time clock, and then: every injected fault is found once, nothing is reported and withdrawn, and a
 * new rule on the new field finds its first case at once. Going back to the version without the field rebuilds them
 * again and withdraws the one finding that version does not make.
 */
@RunsAlone
class ReshapeIT {

    private static final String CHANNEL_RULE = """
            package recon.trade

            import io.recon.rules.Mismatch
            import io.recon.rules.Severity

            rule "Orders come from a known channel"
            when
                $o : Order( channel != null, channel not in ( "web", "app" ), $id : orderId, $channel : channel )
            then
                insertLogical( Mismatch.of( "CHANNEL", Severity.P3, $id, "Order " + $id + " came from channel " + $channel + ", which the shop does not run.", $o ) );
            end
            """;

    private ReconInstance recon;

    @Test
    void aVersionAddingAFieldToOrderRebuildsTheSessionsUnderTrafficAndLosesNothing() throws Exception {
        try (ReconInstance started = ReconInstance.start(ReconTestSupport.newWorkDir("reshape"),
                "recon.demo.traffic=true", "recon.demo.rate=10", "recon.demo.fault-ratio=0.5", "recon.demo.late-ratio=0.2");
             DemoScript script = started.script()) {
            recon = started;
            Thread.sleep(8_000);
            recon.bean(DemoSystems.class).jdbc("shop").execute("alter table orders add column channel text not null default 'web'");

            ObjectNode draft = draftFrom("1.0.0", "1.1.0", "Order gets its channel", (name, content) -> {
                if (!name.equals("recon/trade/types.drl")) {
                    return content;
                }
                String edited = content.replace("    updatedAt  : long\n", "    updatedAt  : long\n    channel    : String\n");
                assertThat(edited).contains("channel    : String");
                return edited;
            });
            ((ArrayNode) draft.get("files")).addObject().put("name", "recon/trade/channel.drl").put("content", CHANNEL_RULE);
            HttpResponse<String> published = recon.send("POST", "/api/releases", draft.toString(), "analyst");
            assertThat(published.statusCode()).as(published.body()).isEqualTo(201);

            HttpResponse<String> activated = recon.send("POST", "/api/releases/1.1.0/activate", null, "releaser");
            assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
            JsonNode outcome = ReconInstance.JSON.readTree(activated.body());
            assertThat(outcome.get("rebuilt").toString()).contains("trade");
            long live = 0;
            for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
                assertThat(session.get("rulesVersion").asString()).isEqualTo("1.1.0");
                for (JsonNode count : session.get("liveFactsByType")) {
                    live += count.asLong();
                }
            }

            // the new field, used by the new rule at once
            script.happyFlow("O-FAX-1", "50.00", Instant.now());
            recon.bean(DemoSystems.class).jdbc("shop").update("update orders set channel = 'fax', updated_at = now() where order_id = 'O-FAX-1'");
            recon.awaitMismatch("O-FAX-1", "CHANNEL");

            TrafficGenerator generator = recon.bean(TrafficGenerator.class);
            generator.stopStartingFlows();
            Set<String> expected = new TreeSet<>(recon.injectedFaults());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                Set<String> want = new TreeSet<>(recon.injectedFaults());
                want.add("O-FAX-1 CHANNEL");
                assertThat(recon.findings("trade")).isEqualTo(want);
            });
            Thread.sleep(TradeDay.QUIET_PERIOD.toMillis());
            expected = new TreeSet<>(recon.injectedFaults());
            expected.add("O-FAX-1 CHANNEL");
            assertThat(recon.findings("trade")).isEqualTo(expected);
            assertThat(expected).anyMatch(f -> f.endsWith(" MISSING")).anyMatch(f -> f.endsWith(" AMOUNT"));
            assertThat(recon.get("/api/mismatches?status=AUTO_RESOLVED").get("total").asLong())
                    .as("no finding was reported and then withdrawn").isZero();
            System.out.printf("RESHAPE-FIGURE rebuild by replay of the trade sessions under demo traffic: %d ms pause, %d live facts after%n",
                    outcome.get("pauseMillis").asLong(), live);

            // back to 1.0.0: the field and its rule are gone, so the sessions are rebuilt again, and the channel
            // finding, which 1.0.0 does not make on the same facts, is withdrawn rather than left open
            long channel = recon.awaitMismatch("O-FAX-1", "CHANNEL");
            HttpResponse<String> back = recon.send("POST", "/api/releases/1.0.0/activate", null, "releaser");
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            assertThat(ReconInstance.JSON.readTree(back.body()).get("rebuilt").toString()).contains("trade");
            await().atMost(Duration.ofSeconds(30)).until(() -> recon.status(channel).equals("AUTO_RESOLVED"));
            assertThat(recon.get("/api/mismatches/" + channel).get("history").toString()).contains("withdrawn: rules version 1.0.0");
            assertThat(recon.get("/api/mismatches?status=AUTO_RESOLVED").get("total").asLong())
                    .as("only the channel finding: every other one 1.0.0 makes as well").isEqualTo(1);

            // a version that retypes a field the retained records cannot take (a currency code as a number): each of
            // them leaves the rebuilt sessions for the dead letters with the reason, none is dropped silently
            long orders = liveFacts("Order");
            assertThat(orders).isPositive();
            ObjectNode retyped = draftFrom("1.0.0", "1.2.0", "currency as a number", (name, content) -> {
                if (name.equals("recon/trade/types.drl")) {
                    String edited = content.replaceFirst("(declare Order[^$]*?currency\\s*: )String", "$1int");
                    assertThat(edited).containsPattern("currency\\s*: int");
                    return edited;
                }
                // its own scenarios, in numbers
                return name.endsWith(".scenario.json") ? content.replaceAll("\"currency\"\\s*:\\s*\"EUR\"", "\"currency\": \"978\"") : content;
            });
            HttpResponse<String> published12 = recon.send("POST", "/api/releases", retyped.toString(), "analyst");
            assertThat(published12.statusCode()).as(published12.body()).isEqualTo(201);
            HttpResponse<String> activated12 = recon.send("POST", "/api/releases/1.2.0/activate", null, "releaser");
            assertThat(activated12.statusCode()).as(activated12.body()).isEqualTo(200);
            String reason = java.net.URLEncoder.encode("rules 1.2.0 could not take this record", java.nio.charset.StandardCharsets.UTF_8);
            long total = await().atMost(Duration.ofSeconds(30)).until(
                    () -> recon.get("/api/dead-letters?size=1&reason=" + reason).get("total").asLong(), n -> n >= orders);
            Set<String> lettered = new TreeSet<>();
            java.util.regex.Pattern orderId = java.util.regex.Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");
            for (int page = 0; page * 500L < total; page++) {
                for (JsonNode letter : recon.get("/api/dead-letters?size=500&page=" + page + "&reason=" + reason).get("items")) {
                    assertThat(letter.get("reason").asString()).contains("was rebuilt on them", "currency");
                    java.util.regex.Matcher id = orderId.matcher(letter.get("payload").asString());
                    if (id.find()) {
                        lettered.add(id.group(1));
                    }
                }
            }
            assertThat(lettered).as("every order the sessions held is in the dead letters").hasSizeGreaterThanOrEqualTo((int) orders);
            assertThat(liveFacts("Order")).isZero();
        }
    }

    /** A draft of {@code version}: the files of {@code base}, each passed through {@code edit} (name, content). */
    private ObjectNode draftFrom(String base, String version, String notes, java.util.function.BinaryOperator<String> edit) {
        ObjectNode draft = ReconInstance.JSON.createObjectNode().put("version", version).put("notes", notes);
        ArrayNode files = draft.putArray("files");
        for (JsonNode file : recon.get("/api/releases/" + base + "/files").get("files")) {
            String name = file.get("name").asString();
            files.addObject().put("name", name).put("content", edit.apply(name, file.get("content").asString()));
        }
        return draft;
    }

    private long liveFacts(String type) {
        long total = 0;
        for (JsonNode session : recon.get("/actuator/recon").get("sessions")) {
            JsonNode count = session.get("liveFactsByType").get(type);
            total += count == null ? 0 : count.asLong();
        }
        return total;
    }



}
