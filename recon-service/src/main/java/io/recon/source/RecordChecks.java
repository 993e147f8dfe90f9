package io.recon.source;

import io.recon.fact.FactMapper;
import io.recon.fact.MappedFact;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a mapped fact must satisfy to travel on the facts topic and be stored with its mismatches:
 * an event time Kafka accepts and the session clock can use, a correlation key the mismatch index
 * holds, no NUL character (PostgreSQL refuses it in text and jsonb), and a size Kafka accepts.
 * Each refusal names the field and says what to do.
 */
final class RecordChecks {

    private final InputLimits limits;

    RecordChecks(InputLimits limits) {
        this.limits = limits;
    }

    /** @return null when the fact may be published, else the reason it may not */
    String check(FactMapper mapper, MappedFact fact, byte[] encoded, long now) {
        String timeField = mapper.eventTimeField() == null ? "commit time" : "field '" + mapper.eventTimeField() + "'";
        if (fact.eventTime() < 0) {
            return "event time " + timeField + " is " + Instant.ofEpochMilli(fact.eventTime()) + ", before 1970-01-01T00:00:00Z:"
                    + " Kafka cannot carry it; correct the value at the source, then retry this dead letter";
        }
        long ahead = fact.eventTime() - now;
        if (ahead > limits.maxFuture().toMillis()) {
            return "event time " + timeField + " is " + Instant.ofEpochMilli(fact.eventTime()) + ", " + words(Duration.ofMillis(ahead))
                    + " ahead of the service clock (" + Instant.ofEpochMilli(now) + "); at most " + words(limits.maxFuture())
                    + " is accepted (recon.input.max-future), since a clock that far ahead would close windows early;"
                    + " correct the source's clock or value, or retry this dead letter once that time is near";
        }
        int keyBytes = fact.key().getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes > limits.maxKeyBytes()) {
            return "correlation key field '" + mapper.keyField() + "' is " + keyBytes + " bytes long (starts '" + start(fact.key())
                    + "'), more than the " + limits.maxKeyBytes() + " bytes a key may have (recon.input.max-key); check the source's"
                    + " binding names the right field";
        }
        String nul = nulField(mapper, fact);
        if (nul != null) {
            return nul;
        }
        if (encoded.length > limits.maxFactBytes()) {
            return "the fact mapped from this record is " + encoded.length + " bytes, more than the " + limits.maxFactBytes()
                    + " bytes a facts-topic record may hold (recon.input.max-fact, under Kafka's request size); its largest field is "
                    + largestField(fact) + "; shorten that value at the source";
        }
        return null;
    }

    private static String nulField(FactMapper mapper, MappedFact fact) {
        if (fact.key().indexOf('\0') >= 0) {
            return "correlation key field '" + mapper.keyField() + "' contains a NUL character (\\u0000) at position "
                    + fact.key().indexOf('\0') + ": PostgreSQL cannot store it; remove it at the source";
        }
        for (Map.Entry<String, Object> field : fact.fields().entrySet()) {
            if (field.getValue() instanceof String text && text.indexOf('\0') >= 0) {
                return "field '" + field.getKey() + "' contains a NUL character (\\u0000) at position " + text.indexOf('\0')
                        + ": PostgreSQL cannot store it; remove it at the source";
            }
        }
        if (fact.id().indexOf('\0') >= 0) {
            return "the record's id contains a NUL character (\\u0000): PostgreSQL cannot store it; remove it at the source";
        }
        return null;
    }

    private static String largestField(MappedFact fact) {
        String largest = "(none)";
        int size = -1;
        for (Map.Entry<String, Object> field : fact.fields().entrySet()) {
            int length = String.valueOf(field.getValue()).length();
            if (length > size) {
                size = length;
                largest = "'" + field.getKey() + "' (" + length + " characters)";
            }
        }
        return largest;
    }

    private static String start(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    static String words(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + " days";
        }
        if (d.toHours() >= 2) {
            return d.toHours() + " h";
        }
        if (d.toMinutes() >= 2) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }
}
