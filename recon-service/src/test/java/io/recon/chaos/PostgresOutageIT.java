package io.recon.chaos;

import io.recon.it.RunsAlone;
import org.junit.jupiter.api.Test;

/**
 * The results PostgreSQL crashes ({@code pg_ctl stop -m immediate}) for 15 s while the traffic flows (the source
 * databases live in a server of their own): health says the database cannot be reached (component db) while the
 * sessions wait or fail on their store, they are restarted by replay as soon as it answers again, and the day ends as the ground truth says: each injected fault found
 * once, each alert delivered once, every fact counted once. ({@code bin/recon chaos outage pg} does the same for 60 s.)
 */
@RunsAlone
class PostgresOutageIT {

    @Test
    void aFifteenSecondOutageOfTheResultsStoreLosesNothingAndRepeatsNothing() throws Exception {
        ChaosRun.Outcome outcome = OutageAssertions.shortOutage(Outage.PG, 13);

        OutageAssertions.asTheGroundTruthSays(outcome, "\"db\"", "cannot be reached");
    }
}
