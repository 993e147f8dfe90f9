package io.recon.action;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * What an alert says, for people: what is wrong, for which key, since when, and where to look.
 * Every channel uses the same words; only the wrapping differs.
 */
record AlertMessage(String title, String text, String link) {

    static AlertMessage of(PendingAction action) {
        JsonNode p = action.payload();
        String link = p.get("link").asString();
        if ("ALERT".equals(action.kind())) {
            String title = "[" + action.severity() + "] " + p.get("type").asString() + " mismatch in " + action.task()
                    + " for key " + p.get("key").asString();
            StringBuilder text = new StringBuilder(p.get("reason").asString())
                    .append("\nOpen since ").append(p.get("since").asString());
            if (p.hasNonNull("rule")) {
                text.append(" (rule '").append(p.get("rule").asString()).append("')");
            }
            text.append('.');
            if (action.folded() > 0) {
                text.append("\nIt healed and came back ").append(action.folded()).append(action.folded() == 1 ? " time" : " times")
                        .append(" since this alert was raised.");
            }
            return new AlertMessage(title, text.append("\n").append(link).toString(), link);
        }
        if (OperationsAlerts.KIND.equals(action.kind())) {
            return new AlertMessage("[" + action.severity() + "] " + p.get("title").asString(),
                    p.get("reason").asString() + "\n" + link, link);
        }
        String what = "SUMMARY".equals(action.kind()) ? "alert limit reached" : "digest";
        String title = "[" + action.severity() + "] " + action.task() + ": " + action.count() + " mismatches (" + what + ")";
        Map<String, Integer> byType = new TreeMap<>();
        p.get("byType").properties().forEach(e -> byType.put(e.getKey(), e.getValue().asInt()));
        StringBuilder text = new StringBuilder(p.get("reason").asString()).append(" between ").append(p.get("since").asString())
                .append(" and ").append(p.get("until").asString()).append(".\nBy type: ").append(byType)
                .append("\nFor example: ");
        p.get("sampleKeys").forEach(k -> text.append(k.asString()).append(' '));
        return new AlertMessage(title, text.toString().strip() + "\n" + link, link);
    }
}
