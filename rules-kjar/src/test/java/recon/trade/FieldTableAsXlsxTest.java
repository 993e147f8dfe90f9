package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.junit.jupiter.api.Test;

/**
 * Analysts who keep the field table in Excel: the same layout saved as XLSX, with the Payment
 * header as real merged cells instead of the CSV's "..." cells, must give the same rules. The kjar
 * keeps the CSV only (two files with the same rule names in one package would clash); this test
 * keeps the two formats from drifting apart in what the layout means.
 */
class FieldTableAsXlsxTest {

    private static final String TABLE = "recon/trade/order-payment-fields.drl.csv";

    @Test
    void theXlsxLayoutWithMergedCellsCompilesToTheSameRulesAsTheCsv() throws IOException {
        String csv = read(TABLE);
        String fromCsv = new SpreadsheetCompiler().compile(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), InputType.CSV);
        String fromXlsx = new SpreadsheetCompiler().compile(new ByteArrayInputStream(asXlsx(csv)), InputType.XLS);

        assertThat(rulesOnly(fromXlsx)).isEqualTo(rulesOnly(fromCsv));
        assertThat(fromCsv).contains("rule \"A payment is in the currency of its order\"",
                "rule \"An order's status corresponds to its payment's status\"",
                "rule \"A successful payment is within 10 percent of its order\"");
    }

    /** One sheet, cell for cell; a run of cells ending in "..." becomes one merged region. */
    private static byte[] asXlsx(String csv) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = workbook.createSheet("fields");
            String[] lines = csv.split("\r?\n");
            for (int r = 0; r < lines.length; r++) {
                List<String> cells = parseCsvLine(lines[r]);
                Row row = sheet.createRow(r);
                int mergeStart = -1;
                for (int c = 0; c <= cells.size(); c++) {
                    String value = c < cells.size() ? cells.get(c) : "";
                    boolean spans = value.endsWith("...");
                    if (spans && mergeStart < 0) {
                        mergeStart = c;
                        row.createCell(c).setCellValue(value.substring(0, value.length() - 3));
                        continue;
                    }
                    if (spans) {
                        row.createCell(c);   // blank, covered by the merged region, as Excel saves it
                        continue;
                    }
                    if (mergeStart >= 0) {
                        sheet.addMergedRegion(new CellRangeAddress(r, r, mergeStart, c - 1));
                        mergeStart = -1;
                    }
                    if (c < cells.size() && !value.isEmpty()) {
                        row.createCell(c).setCellValue(value);
                    }
                }
            }
            workbook.write(out);
            return out.toByteArray();
        }
    }

    /** RFC 4180 fields: commas inside quotes, "" for a quote. Enough for the table's cells. */
    private static List<String> parseCsvLine(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted && ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** The generated DRL without the "// rule values at A10" comments, which name cells. */
    private static String rulesOnly(String drl) {
        return drl.lines().filter(l -> !l.startsWith("//")).map(String::strip).filter(l -> !l.isEmpty())
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = FieldTableAsXlsxTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
