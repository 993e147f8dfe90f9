package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.delivery;
import static recon.trade.TradeRecords.order;
import static recon.trade.TradeRecords.payment;
import static recon.trade.TradeRecords.shipment;

import io.recon.rules.Mismatch;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kie.api.builder.Message;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;

/**
 * The worked examples of rules-kjar/README.md live as files in src/test/resources/readme/. This
 * test compiles each against the kjar's declared types, runs it on a scenario (finding and near
 * miss), and checks that the README shows each file verbatim, so the docs cannot drift from DRL
 * that compiles and behaves as described.
 */
class ReadmeExamplesTest {

    private Scenario scenario;

    @AfterEach
    void close() {
        if (scenario != null) {
            scenario.close();
        }
    }

    /** A session of the kjar's types plus one README example and nothing else. */
    private Scenario example(String file) {
        KieHelper helper = new KieHelper()
                .addResource(KieHelperResources.classpath("recon/trade/types.drl"), ResourceType.DRL)
                .addResource(KieHelperResources.classpath("readme/" + file, "recon/trade/" + file), ResourceType.DRL);
        List<Message> errors = helper.verify().getMessages(Message.Level.ERROR);
        assertThat(errors).as("compile errors in README example " + file).isEmpty();
        scenario = Scenario.of(helper.build(EventProcessingOption.STREAM));
        return scenario;
    }

    @ParameterizedTest
    @ValueSource(strings = {"one-way.drl", "two-way.drl", "three-systems.drl", "aggregate.drl", "duplicate.drl",
            "delayed-window.drl", "delayed-timer.drl", "business-day.drl"})
    void theReadmeShowsTheExampleVerbatim(String file) throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String drl;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("readme/" + file)) {
            drl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(readme).as("README.md must show src/test/resources/readme/" + file + " as it is").contains(drl.strip());
    }

    @Test
    void oneWayAPaymentWithoutOrderIsReportedAfter30Seconds() {
        example("one-way.drl").insert(payment("P-1", "O-1", "100.00", "SUCCESS", 0)).advanceTo(29);
        assertThat(scenario.mismatches()).isEmpty();

        scenario.advanceTo(30);
        assertThat(scenario.mismatches()).extracting(Mismatch::getType).containsExactly("ORPHAN_PAYMENT");
    }

    @Test
    void oneWayAnOrderWithoutPaymentIsNotThisRulesBusiness() {
        example("one-way.drl").insert(order("O-1", "100.00", "CREATED", 0)).advanceTo(60);

        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void twoWayReportsEachDirectionUnderItsOwnType() {
        example("two-way.drl").insert(order("O-1", "100.00", "CREATED", 0), payment("P-2", "O-2", "100.00", "SUCCESS", 0))
                .advanceTo(30);

        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getKey)
                .containsExactly(tuple("MISSING", "O-1"),
                        tuple("ORPHAN_PAYMENT", "O-2"));
    }

    @Test
    void twoWayNearMissAMatchedPairIsQuiet() {
        example("two-way.drl").insert(order("O-1", "100.00", "CREATED", 0), payment("P-1", "O-1", "100.00", "FAILED", 29))
                .advanceTo(90);

        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void threeSystemsAPaidUnshippedOrderIsReportedAndAShipmentHealsIt() {
        example("three-systems.drl").insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "SUCCESS", 0))
                .advanceTo(119);
        assertThat(scenario.mismatches()).isEmpty();

        scenario.advanceTo(120);
        assertThat(scenario.mismatches()).extracting(Mismatch::getType).containsExactly("NOT_SHIPPED");
        assertThat(scenario.mismatches().get(0).getFacts()).hasSize(2);

        scenario.insert(shipment("S-1", "O-1", 130));
        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void threeSystemsNearMissAFailedPaymentMeansNothingToShip() {
        example("three-systems.drl").insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.00", "FAILED", 0))
                .advanceTo(300);

        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void aggregateAReportedTotalOffByMoreThanACentIsReported() {
        example("aggregate.drl").insert(payment("P-1", "O-1", "100.00", "SUCCESS", 10), payment("P-2", "O-2", "50.00", "SUCCESS", 20),
                payment("P-3", "O-3", "70.00", "FAILED", 30));
        scenario.insert("PayoutReport", report("R-1", "150.02", 60));

        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getKey)
                .containsExactly(tuple("PAYOUT_TOTAL", "R-1"));
        assertThat(scenario.mismatches().get(0).getReason()).contains("150.02", "150");
    }

    @Test
    void aggregateNearMissATotalOneCentOffAgrees() {
        example("aggregate.drl").insert(payment("P-1", "O-1", "100.00", "SUCCESS", 10), payment("P-2", "O-2", "50.00", "SUCCESS", 20));
        scenario.insert("PayoutReport", report("R-1", "150.01", 60));

        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void aggregatePaymentsOutsideTheWindowDoNotCount() {
        // P-1 is 5 min 1 s before the report: the window is the 5 minutes before it.
        example("aggregate.drl").insert(payment("P-1", "O-1", "100.00", "SUCCESS", 0), payment("P-2", "O-2", "50.00", "SUCCESS", 100));
        scenario.insert("PayoutReport", report("R-1", "150.00", 301));

        assertThat(scenario.mismatches()).extracting(Mismatch::getType).containsExactly("PAYOUT_TOTAL");
    }

    @Test
    void aggregateALatePaymentInTheWindowHealsTheMismatch() {
        example("aggregate.drl").insert(payment("P-1", "O-1", "100.00", "SUCCESS", 10));
        scenario.insert("PayoutReport", report("R-1", "150.00", 60));
        assertThat(scenario.mismatches()).hasSize(1);

        // Recorded at 20 s, delivered to Recon after the report.
        scenario.insert(payment("P-2", "O-2", "50.00", "SUCCESS", 20));
        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void duplicateTwoShipmentsOfOneOrderAreOneCase() {
        example("duplicate.drl").insert(shipment("S-1", "O-1", 0), shipment("S-2", "O-1", 1), shipment("S-3", "O-1", 2));

        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getKey)
                .containsExactly(tuple("DUPLICATE_SHIPMENT", "O-1"));
        assertThat(scenario.firings("An order is shipped once")).as("three pairs").isEqualTo(3);
    }

    @Test
    void duplicateNearMissShipmentsOfTwoOrdersAreNotDuplicates() {
        example("duplicate.drl").insert(shipment("S-1", "O-1", 0), shipment("S-2", "O-2", 0));

        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void delayedWindowClosesTwoMinutesAfterTheShipmentsOwnTime() {
        example("delayed-window.drl").insert(shipment("S-1", "O-1", 0)).advanceTo(119);
        assertThat(scenario.mismatches()).isEmpty();

        scenario.advanceTo(121);
        assertThat(scenario.mismatches()).extracting(Mismatch::getType).containsExactly("LATE");
    }

    @Test
    void delayedWindowJudgesALateArrivingShipmentAtOnce() {
        // Shipped at 0 s, seen at 200 s: its window closed long ago.
        example("delayed-window.drl").advanceTo(200).insert(shipment("S-1", "O-1", 0));

        assertThat(scenario.mismatches()).extracting(Mismatch::getType).containsExactly("LATE");
    }

    @Test
    void delayedWindowNearMissADeliveryInsideTheWindowArrivingLateHeals() {
        example("delayed-window.drl").insert(shipment("S-1", "O-1", 0)).advanceTo(150);
        assertThat(scenario.mismatches()).hasSize(1);

        // Delivered at 110 s (inside the window), reported to Recon at 150 s.
        scenario.insert(delivery("D-1", "O-1", 110));
        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void delayedTimerGivesALateArrivingShipmentItsFullTwoMinutes() {
        example("delayed-timer.drl").advanceTo(200).insert(shipment("S-1", "O-1", 0)).advanceTo(319);
        assertThat(scenario.mismatches()).isEmpty();

        scenario.advanceTo(320);
        assertThat(scenario.mismatches()).extracting(Mismatch::getType).containsExactly("LATE");
    }

    @Test
    void businessDayAPaymentAfterTheCutOffBookedOnItsCalendarDayIsReported() {
        // Scenario.START is 2026-01-01 08:00 in Shanghai: 15 h later is the 23:00 cut-off
        example("business-day.drl").insert(payment("P-1", "O-1", "100.00", "SUCCESS", 15 * 3600));
        scenario.insert("LedgerEntry", ledger("L-1", "P-1", "2026-01-01", 15 * 3600 + 60));

        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getKey).containsExactly(tuple("VALUE_DATE", "O-1"));
        assertThat(scenario.mismatches().get(0).getReason()).contains("business day 2026-01-02", "booked it on 2026-01-01");
    }

    @Test
    void businessDayNearMissAPaymentJustBeforeTheCutOffBelongsToItsCalendarDay() {
        example("business-day.drl").insert(payment("P-1", "O-1", "100.00", "SUCCESS", 15 * 3600 - 1),
                payment("P-2", "O-2", "100.00", "SUCCESS", 15 * 3600));
        scenario.insert("LedgerEntry", ledger("L-1", "P-1", "2026-01-01", 15 * 3600 + 60));
        scenario.insert("LedgerEntry", ledger("L-2", "P-2", "2026-01-02", 15 * 3600 + 60));

        assertThat(scenario.mismatches()).isEmpty();
    }

    private static Map<String, Object> ledger(String id, String paymentId, String valueDate, double second) {
        return Map.of("ledgerEntryId", id, "paymentId", paymentId, "valueDate", valueDate, "bookedAt", Scenario.at(second));
    }

    private static Map<String, Object> report(String id, String total, double second) {
        return Map.of("payoutReportId", id, "currency", "EUR", "total", new BigDecimal(total), "reportedAt", Scenario.at(second));
    }
}
