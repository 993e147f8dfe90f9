package io.recon.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kie.api.KieServices;
import org.kie.api.definition.type.FactType;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.time.SessionPseudoClock;

/** Validate warns where a rule set builds but its expiries or windows can report what is not there, and nowhere else. */
class RuleWarningsTest {

    private static final Duration HORIZON = Duration.ofMinutes(30);

    private final RuleCompiler compiler = new RuleCompiler();

    /** Order and Payment with the given expiries, then the rules (line 13 is the first line after the types). */
    private static String types(String orderExpires, String paymentExpires) {
        return """
                package recon.trade
                declare Order
                    @role( event ) @timestamp( createdAt ) @expires( %s )
                    orderId : String
                    amount : java.math.BigDecimal
                    createdAt : long
                end
                declare Payment
                    @role( event ) @timestamp( paidAt ) @expires( %s )
                    orderId : String
                    amount : java.math.BigDecimal
                    paidAt : long
                end
                """.formatted(orderExpires, paymentExpires);
    }

    private static final String EVERY_ORDER_IS_PAID = """
            rule "Every order is paid"
            when
                $o : Order( $id : orderId )
                not Payment( orderId == $id%s )
            then
                insertLogical( io.recon.rules.Mismatch.of( "MISSING", io.recon.rules.Severity.P2, $id, "no payment", $o ) );
            end
            """;

    /** The warnings of a rule set that must build. */
    private List<RuleProblem> warnings(List<RuleFile> files) {
        RuleCompiler.Build build = compiler.build(files, Set.of("trade"), null, false);
        assertThat(build.problems()).isEmpty();
        build.container().dispose();
        return compiler.warnings(files, Set.of("trade"), task -> HORIZON);
    }

    private List<RuleProblem> warnings(String drl) {
        return warnings(List.of(new RuleFile("recon/trade/payments.drl", drl)));
    }

    @Test
    void aNotPartnerThatExpiresBeforeTheFactItGuardsIsWarned() {
        List<RuleProblem> warnings = warnings(types("30m", "10m") + EVERY_ORDER_IS_PAID.formatted(""));

        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(RuleProblem.Kind.WARNING);
            assertThat(w.file()).isEqualTo("recon/trade/payments.drl");
            assertThat(w.line()).isEqualTo(17);
            assertThat(w.rule()).isEqualTo("Every order is paid");
            assertThat(w.message()).startsWith("Rule 'Every order is paid' (recon/trade/payments.drl line 17): Payment expires after 10m"
                    + " but guards Order, which lives 30m: once a matching Payment has expired, 'not Payment' is true again")
                    .contains("Give Payment @expires( 30m ) or more", "or give Order @expires( 10m )");
        });
    }

    @Test
    void equalExpiriesAreNotWarned() {
        assertThat(warnings(types("30m", "30m") + EVERY_ORDER_IS_PAID.formatted(""))).isEmpty();
    }

    @Test
    void aWindowThatStartsLateEnoughIsNotWarnedOneThatStartsEarlierIs() {
        // a payment at least 20m after its order expires 20m + 10m after it: no earlier than the order (30m)
        assertThat(warnings(types("30m", "10m") + EVERY_ORDER_IS_PAID.formatted(", this after[ 20m, 25m ] $o"))).isEmpty();
        assertThat(warnings(types("30m", "10m") + EVERY_ORDER_IS_PAID.formatted(", this after[ 19m, 25m ] $o")))
                .singleElement().satisfies(w -> assertThat(w.message())
                        .contains("its window puts a Payment at least 19m after the Order", "Give Payment @expires( 11m ) or more"));
    }

    /**
     * Why a window that closes early is no excuse: with Order 30m and Payment 10m, a payment in the 2 minutes after the
     * order keeps {@code not Payment( this after[ 0s, 2m ] $o )} false only while the payment is in the session. At 11m it
     * expires and the rule reports the order as unpaid. So that rule is warned too.
     */
    @Test
    void aWindowedNotIsTrueAgainWhenItsPartnerExpires() throws Exception {
        String drl = types("30m", "10m") + """
                declare Reported
                    orderId : String
                end
                rule "Every order is paid within 2 minutes"
                when
                    $o : Order( $id : orderId )
                    not Payment( orderId == $id, this after[ 0s, 2m ] $o )
                then
                    insert( new Reported( $id ) );
                end
                """;
        assertThat(warnings(drl)).singleElement().satisfies(w -> assertThat(w.message()).contains("Payment expires after 10m but guards Order"));

        RuleCompiler.Build build = compiler.build(List.of(new RuleFile("recon/trade/payments.drl", drl)), Set.of("trade"), null, false);
        KieSessionConfiguration conf = KieServices.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        KieSession session = build.container().getKieBase("trade").newKieSession(conf, null);
        try {
            SessionPseudoClock clock = session.getSessionClock();
            FactType order = session.getKieBase().getFactType("recon.trade", "Order");
            FactType payment = session.getKieBase().getFactType("recon.trade", "Payment");
            Object o = order.newInstance();
            order.set(o, "orderId", "O-1");
            order.set(o, "createdAt", 0L);
            session.insert(o);
            clock.advanceTime(60, TimeUnit.SECONDS);
            Object p = payment.newInstance();
            payment.set(p, "orderId", "O-1");
            payment.set(p, "paidAt", 60_000L);
            session.insert(p);
            List<Integer> reportedAt = new ArrayList<>();
            for (int minute = 2; minute <= 20; minute++) {
                clock.advanceTime(1, TimeUnit.MINUTES);
                session.fireAllRules();
                if (reportedAt.isEmpty() && session.getObjects(f -> f.getClass().getSimpleName().equals("Reported")).size() > 0) {
                    reportedAt.add(minute);
                }
            }
            assertThat(reportedAt).as("the minute the paid order was reported unpaid").containsExactly(12); // payment gone at 11m
        } finally {
            session.dispose();
            build.container().dispose();
        }
    }

    @Test
    void anAccumulatePartnerThatLooksBackFurtherThanItLivesIsWarned() {
        String report = """
                declare Report
                    @role( event ) @timestamp( reportedAt ) @expires( 10m )
                    reportId : String
                    total : java.math.BigDecimal
                    reportedAt : long
                end
                rule "A report's total is the sum of its payments"
                when
                    $r : Report( $total : total )
                    $sum : Number( intValue != $total.intValue() )
                           from accumulate( Payment( $a : amount, this before[ 0s, 5m ] $r ), sum( $a ) )
                then
                    insertLogical( io.recon.rules.Mismatch.of( "TOTAL", io.recon.rules.Severity.P1, $r.getReportId(), "off", $r ) );
                end
                """;
        // a payment 5m before the report expires 5m before the report does, and the sum drops
        assertThat(warnings(types("10m", "10m") + report)).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(24);
            assertThat(w.message()).contains("Payment expires after 10m but guards Report, which lives 10m (its window lets a Payment be up to 5m"
                    + " before the Report", "it leaves the accumulate", "Give Payment @expires( 15m ) or more");
        });
        assertThat(warnings(types("10m", "15m") + report)).isEmpty();
    }

    @Test
    void aTableRulesWarningNamesItsRow() {
        String types = RuleCompilerTest.TYPES.replace("@timestamp( paidAt ) @expires( 10m )", "@timestamp( paidAt ) @expires( 5m )");
        String table = RuleCompilerTest.csv(List.of(
                List.of("RuleSet", "recon.trade"),
                List.of("Import", "io.recon.rules.Mismatch, io.recon.rules.Severity"),
                List.of("", ""),
                List.of("RuleTable Paid orders", ""),
                List.of("NAME", "CONDITION", "CONDITION", "ACTION"),
                List.of("", "$order : Order", "not Payment", ""),
                List.of("", "$orderId : orderId, status == \"$param\"", "orderId == $orderId, status == \"$param\"",
                        "insertLogical(Mismatch.of(\"$param\", Severity.P2, $orderId, \"unpaid\", $order));"),
                List.of("Check", "order status", "payment status", "type"),
                List.of("Every created order is paid", "CREATED", "SUCCESS", "MISSING")));
        List<RuleProblem> warnings = warnings(List.of(new RuleFile("recon/trade/types.drl", types), new RuleFile("recon/trade/paid.drl.csv", table)));

        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.file()).isEqualTo("recon/trade/paid.drl.csv");
            assertThat(w.line()).isEqualTo(9);
            assertThat(w.message()).startsWith("Rule 'Every created order is paid' (recon/trade/paid.drl.csv row 9): Payment expires after 5m"
                    + " but guards Order, which lives 10m");
        });
    }

    private static String timed(String timer) {
        return types("10m", "10m") + """
                rule "Every order is paid in time"
                    timer ( int: %s )
                when
                    $o : Order( $id : orderId )
                    not Payment( orderId == $id )
                then
                    insertLogical( io.recon.rules.Mismatch.of( "MISSING", io.recon.rules.Severity.P2, $id, "no payment", $o ) );
                end
                """.formatted(timer);
    }

    @Test
    void aTimerLongerThanTheReplayHorizonIsWarnedAShorterOneIsNot() {
        assertThat(warnings(timed("45m"))).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(RuleProblem.Kind.WARNING);
            assertThat(w.line()).isEqualTo(15);
            assertThat(w.message()).isEqualTo("Rule 'Every order is paid in time' (recon/trade/payments.drl line 15): its window is 45m"
                    + " (timer ( int: 45m )) but task group 'trade' replays only 30m of event time after a restart (replayHorizon), so a"
                    + " restarted session cannot rebuild this rule's state exactly and may miss or repeat a finding. Raise the task's"
                    + " replayHorizon to at least 45m with PUT /api/tasks/trade, or shorten the window to 30m or less.");
        });
        assertThat(warnings(timed("20m"))).isEmpty();
        assertThat(warnings(timed("30m"))).isEmpty();
    }

    @Test
    void aTemporalWindowOrSlidingWindowLongerThanTheHorizonIsWarned() {
        String windowed = types("1h", "1h") + EVERY_ORDER_IS_PAID.formatted(", this after[ 0s, 45m ] $o");
        assertThat(warnings(windowed)).singleElement().satisfies(w -> assertThat(w.message())
                .contains("its window is 45m (after[ 0s, 45m ])", "replays only 30m"));
        assertThat(warnings(windowed.replace("45m", "20m"))).isEmpty();

        String sliding = types("1h", "1h") + """
                rule "Payments per order"
                when
                    $o : Order( $id : orderId )
                    $sum : Number() from accumulate( Payment( orderId == $id, $a : amount ) over window:time( 45m ), sum( $a ) )
                then
                end
                """;
        // read from the DRL alone: the sandbox check refuses sliding windows today (WindowDefinition$Type is not on its allow-list)
        assertThat(compiler.warnings(List.of(new RuleFile("recon/trade/payments.drl", sliding)), Set.of("trade"), task -> HORIZON))
                .singleElement().satisfies(w -> assertThat(w.message()).contains("its window is 45m (over window:time( 45m ))"));
    }

    @Test
    void theSampleKjarHasNoWarnings() throws IOException {
        Path root = Path.of("../rules-kjar/src/main/resources");
        List<RuleFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f -> f.toString().matches(".*\\.(drl|dsl|dslr|csv)")).sorted().toList()) {
                files.add(new RuleFile(root.relativize(p).toString(), Files.readString(p)));
            }
        }
        assertThat(files).extracting(RuleFile::name).contains("recon/trade/shipping.dslr", "recon/trade/order-payment-fields.drl.csv");

        assertThat(warnings(files)).isEmpty();
        // and the check does read them: with a 5s horizon every timed or windowed sample rule is named
        assertThat(compiler.warnings(files, Set.of("trade"), task -> Duration.ofSeconds(5))).extracting(RuleProblem::rule).contains(
                "Every order is paid within 30 seconds", "A paid order is shipped within 1 minute", "Every courier delivery belongs to a shipment");
    }

    /** The worked examples analysts copy (rules-kjar/README.md) must not teach a rule that reports what is not there. */
    @Test
    void theReadmesWorkedExamplesHaveNoWarnings() throws IOException {
        String types = Files.readString(Path.of("../rules-kjar/src/main/resources/recon/trade/types.drl"));
        try (Stream<Path> walk = Files.list(Path.of("../rules-kjar/src/test/resources/readme"))) {
            for (Path example : walk.filter(f -> f.toString().endsWith(".drl")).sorted().toList()) {
                List<RuleFile> files = List.of(new RuleFile("recon/trade/types.drl", types),
                        new RuleFile("recon/trade/" + example.getFileName(), Files.readString(example)));
                assertThat(warnings(files)).as(example.getFileName().toString()).isEmpty();
            }
        }
    }
}
