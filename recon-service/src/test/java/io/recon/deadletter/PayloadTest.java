package io.recon.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void textIsKeptAsText() {
        Payload payload = Payload.of("{\"a\":\"ü\"}", 100);
        assertThat(payload.encoding()).isEqualTo(Payload.Encoding.TEXT);
        assertThat(payload.stored()).isEqualTo("{\"a\":\"ü\"}");
        assertThat(payload.truncated()).isFalse();
    }

    @Test
    void bytesThatAreNotUtf8OrHoldNulAreKeptExactlyAsBase64() {
        byte[] invalid = {'{', (byte) 0xC3, '(', '}'};
        Payload payload = Payload.of(invalid, 100);
        assertThat(payload.encoding()).isEqualTo(Payload.Encoding.BASE64);
        assertThat(payload.raw()).isEqualTo(invalid);

        assertThat(Payload.of("a\0b", 100).encoding()).isEqualTo(Payload.Encoding.BASE64);
        assertThat(new String(Payload.of("a\0b", 100).raw(), StandardCharsets.UTF_8)).isEqualTo("a\0b");
    }

    @Test
    void aLargePayloadIsCutAndFlaggedWithItsSizeAndStaysText() {
        Payload payload = Payload.of("é".repeat(100), 51); // 200 bytes; the cut at 51 splits a character
        assertThat(payload.truncated()).isTrue();
        assertThat(payload.bytes()).isEqualTo(200);
        assertThat(payload.encoding()).isEqualTo(Payload.Encoding.TEXT);
        assertThat(payload.stored()).isEqualTo("é".repeat(25));
    }
}
