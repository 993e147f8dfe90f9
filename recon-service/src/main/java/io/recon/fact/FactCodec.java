package io.recon.fact;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/** JSON bytes on the facts topic. Amounts are strings inside {@link MappedFact#fields()}, so nothing is rounded. */
public final class FactCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FactCodec() {
    }

    public static byte[] encode(FactEnvelope envelope) {
        return JSON.writeValueAsBytes(envelope);
    }

    public static FactEnvelope decode(byte[] bytes) {
        FactEnvelope fast = bytes == null ? null : FactDecoder.decode(JSON, bytes);
        return fast != null ? fast : JSON.readValue(bytes, FactEnvelope.class);
    }

    public static String describe(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
