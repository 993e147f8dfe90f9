package io.recon.system;

/**
 * Something operators must hear about: a session stopped or came back, a rule was quarantined or let
 * out again. Published as an application event; the alerting side keeps at most one incident open
 * per subject, so the same trouble seen twice (a restart, a crash) alerts once.
 *
 * @param subject what is affected, e.g. {@code session trade/0}; the incident's identity
 * @param opened  true when the trouble starts, false when it is over
 * @param title   one line for people
 * @param text    what happened, why, and what to do
 */
public record Incident(String subject, String task, boolean opened, String title, String text) {
}
