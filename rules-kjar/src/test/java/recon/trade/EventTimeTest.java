package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static recon.trade.TradeRecords.order;
import static recon.trade.TradeRecords.payment;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How event time bounds what the rules can see. These are properties of the declarations in
 * types.drl (@expires(10m)) and of Drools timers, not of one rule; an analyst writing a new rule
 * needs to know them.
 */
class EventTimeTest {

    private final Scenario scenario = Scenario.trade();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void recordsLeaveTheSession10MinutesAfterTheirEventTime() {
        scenario.insert(order("O-1", "100.00", "CANCELLED", 0));

        scenario.advanceTo(599);
        assertThat(scenario.count("Order")).isEqualTo(1);

        scenario.advanceTo(601);
        assertThat(scenario.count("Order")).as("expired: memory stays bounded").isZero();
    }

    @Test
    void aMismatchIsWithdrawnWhenItsEvidenceExpires() {
        // Expiry removes the evidence, so the logical mismatch goes with it, exactly as if it had
        // been healed. The service must not count such a withdrawal as AUTO_RESOLVED.
        scenario.insert(order("O-1", "100.00", "CREATED", 0)).advanceTo(599);
        assertThat(scenario.mismatches("MISSING")).hasSize(1);

        scenario.advanceTo(601);
        assertThat(scenario.mismatches("MISSING")).isEmpty();
    }

    @Test
    void anUpdateKeepsTheEventTimeOfTheFirstVersion() {
        // session.update() does not re-read @timestamp: an order first seen at 0 s and updated at
        // 5 min still expires at 10 min. A record that must live on has to be re-inserted.
        scenario.insert(order("O-1", "100.00", "CANCELLED", 0))
                .update(order("O-1", "100.00", "CANCELLED", 0, 300))
                .advanceTo(601);

        assertThat(scenario.count("Order")).isZero();
    }

    @Test
    void aTimerCountsFromWhenTheSessionSeesTheRecordNotFromItsTimestamp() {
        // Timer rules (STATUS) give a record that arrives late (event time 0 s, seen at 100 s) its
        // full 10 s allowance from arrival.
        scenario.advanceTo(100)
                .insert(order("O-1", "100.00", "CREATED", 0))
                .insert(payment("P-1", "O-1", "100.00", "SUCCESS", 0));

        scenario.advanceTo(109);
        assertThat(scenario.mismatches("STATUS")).isEmpty();

        scenario.advanceTo(110);
        assertThat(scenario.mismatches("STATUS")).hasSize(1);
    }

    @Test
    void aTemporalWindowCountsFromTheRecordsEventTime() {
        // Window rules (MISSING: "not Payment(this after[0s,30s] $order)") close on event time: a
        // late order whose window has already passed is judged as soon as it is seen.
        scenario.advanceTo(100).insert(order("O-1", "100.00", "CREATED", 0));

        assertThat(scenario.mismatches("MISSING")).hasSize(1);
    }

    @Test
    void aRecordOlderThanItsExpiryIsNeverSeenByTheRules() {
        scenario.advanceTo(700).insert(order("O-1", "100.00", "CREATED", 0)).advanceTo(800);

        assertThat(scenario.count("Order")).isZero();
        assertThat(scenario.mismatches()).isEmpty();
    }
}
