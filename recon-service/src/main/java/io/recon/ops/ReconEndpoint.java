package io.recon.ops;

import io.recon.recheck.SecondChecks;
import io.recon.session.QuarantinedRule;
import io.recon.session.RuleQuarantine;
import io.recon.session.SessionManager;
import io.recon.session.SessionView;
import io.recon.source.SourceSupervisor;
import io.recon.system.Infrastructure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/recon}: every session with its rules version, live facts, clock, backlog, state and
 * restarts, the quarantined rules, and every source with its state. {@code POST /actuator/recon/{task}/{partition}/{operation}} with
 * operation {@code pause}, {@code resume} or {@code checkpoint} acts on one session.
 */
@Component
@Endpoint(id = "recon")
class ReconEndpoint {

    private final SessionManager sessions;
    private final RuleQuarantine quarantine;
    private final SourceSupervisor sources;
    private final Infrastructure infrastructure;
    private final SecondChecks secondChecks;

    private final io.recon.cluster.InstanceId instance;
    private final io.recon.cluster.Singletons singletons;

    ReconEndpoint(SessionManager sessions, RuleQuarantine quarantine, SourceSupervisor sources, Infrastructure infrastructure,
                  SecondChecks secondChecks, io.recon.cluster.InstanceId instance, io.recon.cluster.Singletons singletons) {
        this.instance = instance;
        this.singletons = singletons;
        this.sessions = sessions;
        this.quarantine = quarantine;
        this.sources = sources;
        this.infrastructure = infrastructure;
        this.secondChecks = secondChecks;
    }

    /**
     * {@code sources}: every captured database and topic source, with its state and, while it fails, the reason;
     * {@code infrastructure}: where Recon's PostgreSQL and Kafka listen when embedded; {@code secondChecks}: each
     * configured second check with its target, rate and lookups so far (cache hits, misses, failures).
     */
    record Sessions(List<SessionView> sessions, List<QuarantinedRule> quarantinedRules, List<SourceSupervisor.SourceView> sources,
                    Map<String, String> infrastructure, List<SecondChecks.View> secondChecks, Instance instance) {
    }

    /** This instance: its id among the instances, and whether it runs the singletons (captures, topic sources, clock). */
    record Instance(String id, boolean singletons) {
    }

    @ReadOperation
    Sessions sessions() {
        return new Sessions(sessions.sessions(), quarantine.inForce(), sources.sources(), infrastructure.endpoints(), secondChecks.views(),
                new Instance(instance.id(), singletons.leading()));
    }

    @WriteOperation
    WebEndpointResponse<Map<String, Object>> operate(@Selector String task, @Selector int partition, @Selector String operation) {
        String session = task + "/" + partition;
        return switch (operation) {
            case "pause", "resume" -> sessions.pause(task, partition, operation.equals("pause"))
                    ? ok(Map.of("session", session, "paused", operation.equals("pause")))
                    : notFound(session);
            case "checkpoint" -> sessions.checkpointNow(task, partition).map(done -> {
                try {
                    return ok(Map.<String, Object>of("session", session, "checkpointAtOffset", done.get(30, TimeUnit.SECONDS)));
                } catch (Exception e) {
                    return new WebEndpointResponse<Map<String, Object>>(Map.of("session", session, "error",
                            "no checkpoint was written: " + (e.getCause() == null ? e : e.getCause()).getMessage()), 503);
                }
            }).orElseGet(() -> notFound(session));
            default -> new WebEndpointResponse<>(Map.of("error", "unknown operation '" + operation
                    + "'; use pause, resume or checkpoint"), 400);
        };
    }

    private static WebEndpointResponse<Map<String, Object>> ok(Map<String, Object> body) {
        return new WebEndpointResponse<>(body, 200);
    }

    private static WebEndpointResponse<Map<String, Object>> notFound(String session) {
        return new WebEndpointResponse<>(Map.of("error", "there is no session " + session + "; GET /actuator/recon lists them"), 404);
    }
}
