package io.recon.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8: bytes that are not valid UTF-8 are refused with the offset of the first bad byte.
 * Replacing them (what {@code new String(bytes, UTF_8)} does) would change a correlation key
 * silently, so that the record meets the wrong facts or none.
 */
final class Utf8 {

    private Utf8() {
    }

    /** @throws IllegalArgumentException naming the offset and the byte */
    static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, (long) bytes.length + 1));
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            throw new IllegalArgumentException(String.format("not valid UTF-8: byte 0x%02X at offset %d (of %d) starts no valid character;"
                    + " send the text as UTF-8", bytes[at] & 0xFF, at, bytes.length));
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
