package io.recon.recheck;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The configured second checks with their lookups so far, for {@code /actuator/recon}. */
@Component
public class SecondChecks {

    /**
     * @param hits     answered from the cache
     * @param misses   asked the target
     * @param failed   asked, no usable answer
     */
    public record View(String check, String task, String type, String kind, String target, int rate, long hits, long misses, long failed) {
    }

    private final RecheckProperties config;
    private final MeterRegistry meters;

    SecondChecks(RecheckProperties config, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
    }

    public List<View> views() {
        return config.checks().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            RecheckProperties.Check c = e.getValue();
            return new View(e.getKey(), c.task(), c.type(), c.kind().name(), c.target(), config.rateOf(c.target()),
                    count(e.getKey(), "hit"), count(e.getKey(), "miss"), count(e.getKey(), "failed"));
        }).toList();
    }

    private long count(String check, String result) {
        Counter counter = meters.find("recon.recheck.lookups").tag("check", check).tag("result", result).counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
