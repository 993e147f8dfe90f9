package io.recon.offline;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * A statement file's rows, one at a time, as the header's names to the cell texts, never the whole file in memory:
 * CSV through Commons CSV, XLSX through POI's streaming (SAX) reader of the first sheet. The first row names the
 * columns. In a workbook a date cell reads as its ISO instant (the sheet's wall time taken as UTC), a number as its
 * plain digits.
 */
final class StatementRows {

    private StatementRows() {
    }

    /** Gets each row with its number as a spreadsheet shows it (the header is row 1). */
    interface RowHandler {
        void row(long number, Map<String, String> cells);
    }

    /** @return the header's column names */
    static List<String> read(Path file, StatementFiles.Kind kind, RowHandler handler) throws IOException {
        return kind == StatementFiles.Kind.CSV ? csv(file, handler) : xlsx(file, handler);
    }

    private static List<String> csv(Path file, RowHandler handler) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = List.copyOf(parser.getHeaderNames());
            for (CSVRecord record : parser) {
                Map<String, String> cells = new LinkedHashMap<>();
                for (String column : header) {
                    cells.put(column, record.isSet(column) ? record.get(column) : null);
                }
                handler.row(record.getRecordNumber() + 1, cells);
            }
            return header;
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new RunRefusal("The CSV file cannot be read: " + e.getMessage());
        }
    }

    private static List<String> xlsx(Path file, RowHandler handler) throws IOException {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            StylesTable styles = reader.getStylesTable();
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
            SheetRows rows = new SheetRows(handler);
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            if (!sheets.hasNext()) {
                throw new RunRefusal("The workbook has no sheet");
            }
            try (InputStream sheet = sheets.next()) {
                XMLReader xml = XMLHelper.newXMLReader();
                xml.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, rows, new PlainFormatter(), false));
                xml.parse(new InputSource(sheet));
            }
            return rows.header;
        } catch (org.apache.poi.openxml4j.exceptions.OpenXML4JException | SAXException | ParserConfigurationException e) {
            throw new RunRefusal("The workbook cannot be read: " + e.getMessage());
        }
    }

    /** Collects a sheet's cells row by row; the first row is the header. */
    private static final class SheetRows implements XSSFSheetXMLHandler.SheetContentsHandler {

        private final RowHandler handler;
        private List<String> header = List.of();
        private final Map<Integer, String> cells = new LinkedHashMap<>();

        SheetRows(RowHandler handler) {
            this.handler = handler;
        }

        @Override
        public void startRow(int rowNum) {
            cells.clear();
        }

        @Override
        public void endRow(int rowNum) {
            if (header.isEmpty()) {
                List<String> names = new ArrayList<>();
                int last = cells.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
                for (int c = 0; c <= last; c++) {
                    names.add(cells.getOrDefault(c, ""));
                }
                header = List.copyOf(names);
                return;
            }
            if (cells.values().stream().allMatch(v -> v == null || v.isBlank())) {
                return;
            }
            Map<String, String> byName = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                byName.put(header.get(c), cells.get(c));
            }
            handler.row(rowNum + 1L, byName);
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            cells.put(new org.apache.poi.ss.util.CellReference(reference).getCol() & 0xFFFF, value == null ? null : value.trim());
        }
    }

    /** Cell texts for machines, not for eyes: dates as ISO instants, numbers without grouping or rounding. */
    private static final class PlainFormatter extends DataFormatter {
        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                return DateUtil.getLocalDateTime(value, use1904Windowing).toInstant(ZoneOffset.UTC).toString();
            }
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }
}
