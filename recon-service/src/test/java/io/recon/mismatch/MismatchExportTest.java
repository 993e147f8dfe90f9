package io.recon.mismatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MismatchExportTest {

    @Test
    void csvFieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(MismatchExport.csvField("plain")).isEqualTo("plain");
        assertThat(MismatchExport.csvField("paid 105.00, expected 100.00")).isEqualTo("\"paid 105.00, expected 100.00\"");
        assertThat(MismatchExport.csvField("the \"retry\" payment")).isEqualTo("\"the \"\"retry\"\" payment\"");
        assertThat(MismatchExport.csvField("line\nbreak")).isEqualTo("\"line\nbreak\"");
        assertThat(MismatchExport.csvField(null)).isEmpty();
    }

    @Test
    void aValueThatASpreadsheetWouldRunAsAFormulaIsExportedAsText() {
        assertThat(MismatchExport.csvField("=HYPERLINK(\"http://evil\")")).startsWith("\"'=HYPERLINK");
        assertThat(MismatchExport.csvField("-5.00 short")).isEqualTo("'-5.00 short");
        assertThat(MismatchExport.csvField(-5L)).isEqualTo("-5");
    }
}
