package io.recon.chaos;

import io.recon.it.RunsAlone;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker (a process of its own) stops for 15 s while the traffic flows: health names the broker while it is
 * away, the sources and sessions resume by themselves when it returns, and the day ends as the ground truth says: each
 * injected fault found once, each alert delivered once, every fact counted once, no MISSING that opened and healed
 * because a watermark overtook facts sent again after the broker returned. ({@code bin/recon chaos outage kafka} does
 * the same for 60 s.)
 */
@RunsAlone // an outage of a dependency: another test beside it would share the outage or slow its recovery
class KafkaOutageIT {

    @Test
    void aFifteenSecondBrokerOutageLosesNothingAndRepeatsNothing() throws Exception {
        ChaosRun.Outcome outcome = OutageAssertions.shortOutage(Outage.KAFKA, 17);

        OutageAssertions.asTheGroundTruthSays(outcome, "\"kafka\"", "broker");
    }
}
