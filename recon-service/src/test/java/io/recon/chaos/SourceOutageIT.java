package io.recon.chaos;

import io.recon.it.RunsAlone;
import org.junit.jupiter.api.Test;

/**
 * The source databases' PostgreSQL (shop, pay, wms) crashes for 15 s while the traffic flows: the source systems keep
 * stamping their business events when they happen and store them once the database is back; health names the captured
 * database that cannot be reached meanwhile, the captures resume from their slots by themselves, and the day ends as the
 * ground truth of what was committed says: each injected fault found once, each alert delivered once, every fact
 * counted once. ({@code bin/recon chaos outage source} does the same for 60 s.)
 */
@RunsAlone // an outage of a dependency: another test beside it would share the outage or slow its recovery
class SourceOutageIT {

    @Test
    void aFifteenSecondOutageOfTheSourceDatabasesLosesNothingAndRepeatsNothing() throws Exception {
        ChaosRun.Outcome outcome = OutageAssertions.shortOutage(Outage.SOURCE, 19);

        OutageAssertions.asTheGroundTruthSays(outcome, "\"sources\"", "recon_shop");
    }
}
