package io.recon.authoring;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * One file of a rule set as an analyst sends it: DRL, a decision table (XLSX or CSV), a DSL or a DSLR.
 *
 * @param name    the file name, with its folder if any (e.g. {@code recon/trade/payments.drl}); the
 *                extension says what it is
 * @param content the text, or for binary files (.xlsx, .xls) the bytes in base64
 */
public record RuleFile(String name, String content) {

    public enum Kind { DRL, XLSX, CSV, DSL, DSLR, SCENARIO }

    public Kind kind() {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".drl")) {
            return Kind.DRL;
        } else if (lower.endsWith(".xlsx") || lower.endsWith(".xls")) {
            return Kind.XLSX;
        } else if (lower.endsWith(".csv")) {
            return Kind.CSV;
        } else if (lower.endsWith(".dslr")) {
            return Kind.DSLR;
        } else if (lower.endsWith(".dsl")) {
            return Kind.DSL;
        } else if (lower.endsWith(".scenario.json")) {
            return Kind.SCENARIO;
        }
        return null;
    }

    public byte[] bytes() {
        if (kind() == Kind.XLSX) {
            return io.recon.system.security.ZipGuard.checked(Base64.getMimeDecoder().decode(content), "the workbook");
        }
        return content.getBytes(StandardCharsets.UTF_8);
    }

    public String text() {
        return content == null ? "" : content;
    }
}
