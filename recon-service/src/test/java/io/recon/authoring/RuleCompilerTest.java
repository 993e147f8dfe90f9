package io.recon.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** What an analyst gets back from validation: a usable rule set, or each problem with file, line, column and a sentence. */
class RuleCompilerTest {

    private final RuleCompiler compiler = new RuleCompiler();

    static final String TYPES = """
            package recon.trade
            declare Order
                @role( event ) @timestamp( createdAt ) @expires( 10m )
                orderId : String
                amount : java.math.BigDecimal
                status : String
                createdAt : long
            end
            declare Payment
                @role( event ) @timestamp( paidAt ) @expires( 10m )
                paymentId : String
                orderId : String
                amount : java.math.BigDecimal
                status : String
                paidAt : long
            end
            """;

    /** The sample kjar's files as an analyst would send them. */
    static List<RuleFile> sampleKjar() throws IOException {
        Path root = Path.of("../rules-kjar/src/main/resources");
        List<RuleFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".drl")).sorted().toList()) {
                files.add(new RuleFile(root.relativize(p).toString(), Files.readString(p)));
            }
        }
        return files;
    }

    @Test
    void eachTaskGroupsKieBaseHoldsItsOwnRulesOnly() {
        RuleFile trade = new RuleFile("recon/trade/paid.drl", TYPES + """
                rule "Trade rule"
                when
                    Order()
                then
                end
                """);
        RuleFile refunds = new RuleFile("recon/refunds/refund.drl", TYPES.replace("package recon.trade", "package recon.refunds") + """
                rule "Refund rule"
                when
                    Payment()
                then
                end
                """);
        RuleCompiler.Build build = compiler.build(List.of(trade, refunds), Set.of("trade", "refunds"), null, false);
        try {
            assertThat(build.problems()).isEmpty();
            assertThat(RulesController.ruleNames(build.container())).containsExactly("recon.refunds.Refund rule", "recon.trade.Trade rule");
            assertThat(build.container().getKieBase("trade").getKiePackages()).extracting(org.kie.api.definition.KiePackage::getName)
                    .contains("recon.trade").doesNotContain("recon.refunds");
            assertThat(build.container().getKieBase("refunds").getKiePackages()).extracting(org.kie.api.definition.KiePackage::getName)
                    .contains("recon.refunds").doesNotContain("recon.trade");
        } finally {
            build.container().dispose();
        }
    }

    private RuleCompiler.Build build(RuleFile... files) {
        RuleCompiler.Build build = compiler.build(List.of(files), Set.of("trade"), null, false);
        if (build.container() != null) {
            build.container().dispose();
        }
        return build;
    }

    @Test
    void theSampleKjarCompiles() throws IOException {
        RuleCompiler.Build build = compiler.build(sampleKjar(), Set.of("trade"), null, false);

        assertThat(build.problems()).isEmpty();
        assertThat(build.container().getKieBase("trade").getKiePackage("recon.trade").getRules()).hasSize(6);
        build.container().dispose();
    }

    @Test
    void aSyntaxErrorIsReportedWithLineAndColumn() {
        String drl = TYPES + """
                rule "Missing bracket"
                when
                    $o : Order( status == "CREATED"
                then
                end
                """;

        RuleCompiler.Build build = build(new RuleFile("recon/trade/bad.drl", drl));

        assertThat(build.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("recon/trade/bad.drl");
            assertThat(p.line()).isEqualTo(20); // the 'then' the parser stumbles on
            assertThat(p.column()).isEqualTo(1);
            assertThat(p.message()).contains("not valid here", "'then'", "missing bracket");
        });
    }

    @Test
    void anUnknownTypeIsNamedWhereItIsUsed() {
        String drl = TYPES + """
                rule "Unknown type"
                when
                    $r : Refund( orderId == "1" )
                then
                end
                """;

        assertThat(build(new RuleFile("bad.drl", drl)).problems()).first().satisfies(p -> {
            assertThat(p.line()).isEqualTo(19);
            assertThat(p.column()).isEqualTo(10);
            assertThat(p.message()).isEqualTo("The type Refund is not known: declare it with 'declare', import it, or check its spelling.");
        });
    }

    @Test
    void aMisspelledFieldIsNamedWithItsType() {
        String drl = TYPES + """
                rule "Misspelled field"
                when
                    $o : Order( stauts == "PAID" )
                then
                end
                """;

        assertThat(build(new RuleFile("bad.drl", drl)).problems()).first().satisfies(p -> {
            assertThat(p.line()).isEqualTo(19);
            assertThat(p.column()).isEqualTo(17);
            assertThat(p.message()).contains("Order has no field 'stauts'");
        });
    }

    @Test
    void aSandboxViolationIsRefusedWithItsRuleLineAndColumn() {
        String drl = TYPES + """
                rule "Leaks"
                when
                    $o : Order()
                then
                    System.out.println( $o );
                end
                """;

        // The check reads the compiled consequence: System.out and PrintStream.println are both refused.
        assertThat(build(new RuleFile("leak.drl", drl)).problems()).first().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(RuleProblem.Kind.SANDBOX);
            assertThat(p.line()).isEqualTo(21);
            assertThat(p.column()).isEqualTo(5);
            assertThat(p.message()).startsWith("Rule 'Leaks' (leak.drl line 21) uses java.lang.System.out: rules may not use the JVM's System");
        });
    }

    static List<List<String>> amountTable(String action) {
        return List.of(
                List.of("RuleSet", "recon.trade"),
                List.of("Import", "io.recon.rules.Mismatch, io.recon.rules.Severity, io.recon.rules.Tolerance"),
                List.of(""),
                List.of("RuleTable Amount tolerance by currency"),
                List.of("CONDITION", "CONDITION", "ACTION"),
                List.of("$o : Order", "$p : Payment", ""),
                List.of("currency == \"$param\"", "orderId == $o.orderId, status == \"SUCCESS\", Tolerance.differsBy( amount, $o.amount, $param )",
                        action),
                List.of("currency", "tolerance", "mismatch"),
                List.of("EUR", "0.01", "x"),
                List.of("JPY", "1", "x"));
    }

    static byte[] xlsx(List<List<String>> rows) throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("Tables");
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < rows.get(r).size(); c++) {
                    row.createCell(c).setCellValue(rows.get(r).get(c));
                }
            }
            book.write(out);
            return out.toByteArray();
        }
    }

    static String csv(List<List<String>> rows) {
        StringBuilder csv = new StringBuilder();
        for (List<String> row : rows) {
            csv.append(String.join(",", row.stream().map(c -> "\"" + c.replace("\"", "\"\"") + "\"").toList())).append('\n');
        }
        return csv.toString();
    }

    static final String INSERT = "insertLogical( Mismatch.of( \"AMOUNT\", Severity.P2, $o.getOrderId(), \"amount differs\", $o, $p ) );";
    static final String TYPES_WITH_CURRENCY = TYPES.replace("    status : String\n    createdAt", "    status : String\n    currency : String\n    createdAt");

    @Test
    void decisionTablesCompileFromXlsxAndCsv() throws IOException {
        String xlsx = Base64.getEncoder().encodeToString(xlsx(amountTable(INSERT)));

        RuleCompiler.Build fromXlsx = compiler.build(List.of(new RuleFile("types.drl", TYPES_WITH_CURRENCY),
                new RuleFile("recon/trade/amounts.xlsx", xlsx)), Set.of("trade"), null, false);
        RuleCompiler.Build fromCsv = compiler.build(List.of(new RuleFile("types.drl", TYPES_WITH_CURRENCY),
                new RuleFile("recon/trade/amounts.csv", csv(amountTable(INSERT)))), Set.of("trade"), null, false);

        assertThat(fromXlsx.problems()).isEmpty();
        assertThat(fromCsv.problems()).isEmpty();
        assertThat(fromXlsx.container().getKieBase("trade").getKiePackage("recon.trade").getRules()).hasSize(2);
        assertThat(fromCsv.container().getKieBase("trade").getKiePackage("recon.trade").getRules()).hasSize(2);
        fromXlsx.container().dispose();
        fromCsv.container().dispose();
    }

    @Test
    void aSandboxViolationInATableNamesTheRowAndCell() throws IOException {
        List<List<String>> rows = new ArrayList<>(amountTable("java.nio.file.Files.delete( null );"));
        String xlsx = Base64.getEncoder().encodeToString(xlsx(rows));

        List<RuleProblem> problems = build(new RuleFile("types.drl", TYPES_WITH_CURRENCY), new RuleFile("amounts.xlsx", xlsx)).problems();

        assertThat(problems).first().satisfies(p -> {
            assertThat(p.file()).isEqualTo("amounts.xlsx");
            assertThat(p.line()).isEqualTo(9);
            assertThat(p.message()).contains("uses java.nio.file.Files.delete: rules may not read or write files", "row 9 (cell A9)");
        });
    }

    @Test
    void aDslrReadsLikeASentenceAndCompiles() {
        String dsl = """
                [when]There is an order for {key}=$o : Order( orderId == "{key}" )
                [when]there is no payment for it=not Payment( orderId == $o.orderId )
                [then]Report it as missing=insertLogical( Mismatch.of( "MISSING", Severity.P2, $o.getOrderId(), "no payment", $o ) );
                """;
        String dslr = """
                package recon.trade
                import io.recon.rules.Mismatch
                import io.recon.rules.Severity

                rule "Order O-1 is paid"
                when
                    There is an order for O-1
                    there is no payment for it
                then
                    Report it as missing
                end
                """;

        RuleCompiler.Build build = compiler.build(List.of(new RuleFile("types.drl", TYPES), new RuleFile("orders.dsl", dsl),
                new RuleFile("orders.dslr", dslr)), Set.of("trade"), null, false);

        assertThat(build.problems()).isEmpty();
        assertThat(build.container().getKieBase("trade").getRule("recon.trade", "Order O-1 is paid")).isNotNull();
        build.container().dispose();
    }

    @Test
    void aFileThatIsNotARuleFileIsNamed() {
        assertThat(build(new RuleFile("notes.txt", "hello")).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("File notes.txt is not a rule file"));
    }
}
