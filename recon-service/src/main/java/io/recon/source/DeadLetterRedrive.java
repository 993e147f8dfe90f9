package io.recon.source;

import io.recon.deadletter.DeadLetters;
import io.recon.deadletter.Redrive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.springframework.stereotype.Component;

/**
 * Sends a dead letter through mapping again, after a binding or rules fix: all its records map and
 * are published, or none is and the reason of this attempt is returned. A payload kept truncated,
 * or a notice (a TRUNCATE), has nothing that could be sent again.
 */
@Component
class DeadLetterRedrive implements Redrive {

    private final FactRouter router;
    private final JsonRecords json;

    DeadLetterRedrive(FactRouter router, JsonRecords json) {
        this.router = router;
        this.json = json;
    }

    @Override
    public String redrive(DeadLetters.DeadLetter letter) throws InterruptedException {
        if (letter.kind() == DeadLetters.Kind.NOTICE || letter.reason().contains("it cannot be re-driven")) {
            return letter.reason(); // a notice, or a change event that could not be read: nothing that mapping could take
        }
        if (letter.payloadTruncated()) {
            return letter.reason().contains("cannot be re-driven") ? letter.reason()
                    : letter.reason() + "; it cannot be re-driven: only the start of its payload was kept, have the source send it again";
        }
        String text;
        List<Map<String, Object>> records;
        try {
            text = Utf8.decode(letter.storedPayload().raw());
            records = json.parse(text);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        long committedAt = letter.committedAt() != null ? letter.committedAt() : letter.receivedAt().toEpochMilli();
        FactRouter.Change change = letter.kind() == DeadLetters.Kind.DELETE ? FactRouter.Change.DELETE : FactRouter.Change.UPSERT;
        List<FactRouter.Prepared> prepared = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            FactRouter.Prepared p = router.prepare(letter.source(), change, records.get(i), committedAt);
            if (p.reason() != null) {
                return (records.size() > 1 ? "record " + i + ": " : "") + p.reason();
            }
            prepared.add(p);
        }
        List<FactRouter.Routed> sent = new ArrayList<>();
        for (FactRouter.Prepared p : prepared) {
            sent.add(new FactRouter.Routed(router.send(p), null, p, () -> text));
        }
        try {
            for (String refused : router.awaitAll(sent, false)) {
                if (refused != null) {
                    return refused;
                }
            }
        } catch (ExecutionException e) {
            return "the facts topic is unavailable, retry later: " + e.getCause().getMessage();
        }
        return null;
    }
}
