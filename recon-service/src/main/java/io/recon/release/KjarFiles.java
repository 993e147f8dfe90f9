package io.recon.release;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The rule and scenario files inside a kjar, by path: what activation re-checks (sandbox, scenarios). */
public final class KjarFiles {

    private KjarFiles() {
    }

    public static Map<String, String> read(byte[] kjar, String... suffixes) {
        Map<String, String> files = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(kjar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                for (String suffix : suffixes) {
                    if (entry.getName().endsWith(suffix)) {
                        files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a kjar: " + e.getMessage(), e);
        }
        return files;
    }
}
