package io.recon.authoring;

import io.recon.session.RunBudget;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code recon.rule-runs}: the budget of analyst rules run outside the live pipeline. Mock tests and a version's own
 * scenarios (at publish and activation) get {@code timeout}; a shadow run, which replays the recent facts stream into
 * two sessions per partition, gets {@code shadowTimeout} and {@code shadowMaxRecords}. They run on {@code threads}
 * threads of their own, never on a request thread: a run past its time answers at once, and a rule that does not
 * stop holds at most one of those threads.
 *
 * @param maxFirings       rule firings in all, per run
 * @param firingsPerRecord the cap per record (and per clock step), as in the sessions
 */
@ConfigurationProperties("recon.rule-runs")
public record RuleRunsProperties(@DefaultValue("10s") Duration timeout,
                                 @DefaultValue("60s") Duration shadowTimeout,
                                 @DefaultValue("100000") long maxRecords,
                                 @DefaultValue("2000000") long shadowMaxRecords,
                                 @DefaultValue("200000") long maxFacts,
                                 @DefaultValue("2000000") long maxFirings,
                                 @DefaultValue("10000") int firingsPerRecord,
                                 @DefaultValue("2") int threads) {

    /** Mock tests and a version's scenarios. */
    public RunBudget test() {
        return new RunBudget(timeout, maxRecords, maxFacts, maxFirings, firingsPerRecord);
    }

    /** Shadow runs: more records (the recent stream, twice), as many facts as a live session holds. */
    public RunBudget shadow() {
        return new RunBudget(shadowTimeout, shadowMaxRecords, maxFacts, Math.max(maxFirings, shadowMaxRecords * 20), firingsPerRecord);
    }
}
