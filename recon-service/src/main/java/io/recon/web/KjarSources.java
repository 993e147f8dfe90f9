package io.recon.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The files an analyst wrote, as a kjar holds them: DRL, DSL, DSLR, decision tables (CSV as text,
 * XLSX and XLS in base64) and scenario files, named by their path in the kjar (e.g.
 * {@code recon/trade/payments.drl}), so a draft can start from any version. Compiled classes, the
 * kmodule and Maven's files are not sources.
 */
final class KjarSources {

    private static final List<String> TEXT = List.of(".drl", ".dsl", ".dslr", ".csv", ".scenario.json");
    private static final List<String> BINARY = List.of(".xlsx", ".xls");

    private KjarSources() {
    }

    static List<Draft.File> read(byte[] kjar) {
        Map<String, String> files = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(kjar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (entry.isDirectory() || name.startsWith("META-INF/")) {
                    continue;
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (TEXT.stream().anyMatch(lower::endsWith)) {
                    files.put(name, new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                } else if (BINARY.stream().anyMatch(lower::endsWith)) {
                    files.put(name, Base64.getEncoder().encodeToString(zip.readAllBytes()));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a kjar: " + e.getMessage(), e);
        }
        List<Draft.File> result = new ArrayList<>();
        files.forEach((name, content) -> result.add(new Draft.File(name, content)));
        return result;
    }
}
