package io.recon.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A dead letter's payload as it can be stored: PostgreSQL text holds neither NUL characters nor
 * invalid UTF-8, so such payloads are kept as base64 of the bytes received; anything larger than the
 * keep limit is cut there and flagged, so that one huge record cannot fill the database.
 *
 * @param stored    the text to store (base64 when {@code encoding} is BASE64)
 * @param encoding  TEXT or BASE64
 * @param bytes     size of the payload as received
 * @param truncated true when only the first {@code keep} bytes were kept
 */
public record Payload(String stored, Encoding encoding, long bytes, boolean truncated) {

    public enum Encoding { TEXT, BASE64 }

    public static Payload of(String text, int keep) {
        if (text == null) {
            return new Payload(null, Encoding.TEXT, 0, false);
        }
        return of(text.getBytes(StandardCharsets.UTF_8), keep);
    }

    public static Payload of(byte[] raw, int keep) {
        return of(raw, raw == null ? 0 : raw.length, keep);
    }

    /** @param receivedBytes the full size when {@code raw} is only the start of what was received */
    public static Payload of(byte[] raw, long receivedBytes, int keep) {
        if (raw == null) {
            return new Payload(null, Encoding.TEXT, 0, false);
        }
        long size = Math.max(receivedBytes, raw.length);
        boolean truncated = size > keep;
        byte[] kept = raw.length > keep ? Arrays.copyOf(raw, keep) : raw;
        String text = strictUtf8(kept);
        if (text == null && truncated) {
            // the cut may split a character: drop up to 3 bytes of it rather than give up the text form
            for (int cut = 1; cut <= 3 && text == null && kept.length > cut; cut++) {
                text = strictUtf8(Arrays.copyOf(kept, kept.length - cut));
            }
        }
        if (text == null || text.indexOf('\0') >= 0) {
            return new Payload(Base64.getEncoder().encodeToString(kept), Encoding.BASE64, size, truncated);
        }
        return new Payload(text, Encoding.TEXT, size, truncated);
    }

    /** The bytes this payload holds (for a truncated one: only the kept start). */
    public byte[] raw() {
        if (stored == null) {
            return new byte[0];
        }
        return encoding == Encoding.BASE64 ? Base64.getDecoder().decode(stored) : stored.getBytes(StandardCharsets.UTF_8);
    }

    /** The text, or null when the bytes are not valid UTF-8. */
    static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
