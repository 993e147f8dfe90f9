package io.recon.source;

import io.recon.catalog.CatalogTask;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Which correlation keys a task takes: its allow and deny lists, then its sampling rate by a stable hash of the key,
 * so that every record of a key (order, payment, shipment) is taken or dropped together, on every instance and after
 * every restart.
 */
record KeySelection(double sampling, Set<String> allow, Set<String> deny) {

    static KeySelection of(CatalogTask task) {
        return new KeySelection(task.sampling(), Set.copyOf(task.allowKeys()), Set.copyOf(task.denyKeys()));
    }

    boolean takesAll() {
        return sampling >= 1.0 && allow.isEmpty() && deny.isEmpty();
    }

    /** @param key null (a delete that names no key) is always taken: it only retracts what was taken */
    boolean takes(String key) {
        if (key == null) {
            return true;
        }
        if (deny.contains(key) || (!allow.isEmpty() && !allow.contains(key))) {
            return false;
        }
        return sampling >= 1.0 || bucket(key) < sampling;
    }

    /** A key's place in [0, 1), the same everywhere. */
    static double bucket(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() / (double) (1L << 32);
    }
}
