package io.recon.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A scripted day of trade across the shop, payment, warehouse and courier systems: correct flows,
 * out-of-order commits, duplicate deliveries, one flow per fault, a payment late within the allowed
 * lateness, and a missing payment that turns up after its window. Written in two halves so that a
 * test may stop and restart Recon in between.
 */
final class TradeDay {

    /** What Recon must report for the day, and nothing else. */
    static final Set<String> EXPECTED = Set.of(
            "MISS-1 MISSING OPEN",
            "AMT-1 AMOUNT OPEN",
            "DUP-1 DUPLICATE OPEN",
            "STAT-1 STATUS OPEN",
            "UNPAID-1 UNPAID_SHIPMENT OPEN",
            "ORPH-1 ORPHAN_DELIVERY OPEN",
            "HEAL-1 MISSING AUTO_RESOLVED");

    private TradeDay() {
    }

    static void morning(DemoScript script, Instant t0) {
        // Correct flows: nothing to report.
        script.happyFlow("OK-1", "20.00", t0);

        // Out of order across systems: the payment and the shipment are committed before the order.
        script.payment("P-OOO-1", "OOO-1", "35.50", "SUCCESS", t0.plusMillis(500));
        script.shipment("S-OOO-1", "OOO-1", t0.plusSeconds(1));
        script.order("OOO-1", "35.50", t0);
        script.markOrder("OOO-1", "PAID");
        script.delivery("D-OOO-1", "OOO-1", t0.plusSeconds(2));

        // Duplicate delivery: the courier sends the same event twice, the shop rewrites an unchanged row.
        script.happyFlow("DUPDELIV-1", "12.00", t0);
        script.delivery("D-DUPDELIV-1", "DUPDELIV-1", t0.plusSeconds(2));
        script.touchOrder("DUPDELIV-1");

        // Faults, one mismatch each.
        script.order("MISS-1", "10.00", t0);                                          // never paid
        script.overpaidFlow("AMT-1", t0);                                             // paid 105.00
        script.order("DUP-1", "50.00", t0);                                           // paid twice
        script.payment("P-DUP-1a", "DUP-1", "50.00", "SUCCESS", t0.plusMillis(200));
        script.payment("P-DUP-1b", "DUP-1", "50.00", "SUCCESS", t0.plusMillis(900));
        script.markOrder("DUP-1", "PAID");
        script.order("STAT-1", "70.00", t0);                                          // paid, never marked PAID
        script.payment("P-STAT-1", "STAT-1", "70.00", "SUCCESS", t0.plusMillis(200));
        script.order("UNPAID-1", "80.00", t0);                                        // payment failed, shipped anyway
        script.payment("P-UNPAID-1", "UNPAID-1", "80.00", "FAILED", t0.plusMillis(200));
        script.markOrder("UNPAID-1", "PAYMENT_FAILED");
        script.shipment("S-UNPAID-1", "UNPAID-1", t0.plusSeconds(1));
        script.order("ORPH-1", "15.00", t0);                                          // delivered, never shipped
        script.payment("P-ORPH-1", "ORPH-1", "15.00", "SUCCESS", t0.plusMillis(200));
        script.markOrder("ORPH-1", "PAID");
        script.delivery("D-ORPH-1", "ORPH-1", t0.plusSeconds(2));
        script.order("HEAL-1", "25.00", t0);                                          // paid only after its window: reported, then healed
        script.order("LATE-1", "30.00", t0);                                          // payment committed late, within the allowed lateness
    }

    static void afternoon(DemoScript script, Instant t0, ReconInstance recon) throws InterruptedException {
        // The payment window of LATE-1 closes at t0+30s of event time; its payment (paid at t0+28s)
        // is committed at t0+32s, which the allowed lateness of 5 s still counts as on time.
        sleepUntil(t0.plusSeconds(32));
        script.payment("P-LATE-1", "LATE-1", "30.00", "SUCCESS", t0.plusSeconds(28));
        script.markOrder("LATE-1", "PAID");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> recon.mismatches().contains("HEAL-1 MISSING OPEN"));
        script.payment("P-HEAL-1", "HEAL-1", "25.00", "SUCCESS", Instant.now());
        script.markOrder("HEAL-1", "PAID");
    }

    /** Longer than the longest delay a rule waits after the last write of the day (STATUS: 10 s). */
    static final Duration QUIET_PERIOD = Duration.ofSeconds(12);

    private static void sleepUntil(Instant when) throws InterruptedException {
        long wait = Duration.between(Instant.now(), when).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
