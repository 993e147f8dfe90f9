package io.recon.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.authoring.RuleCompiler;
import io.recon.authoring.RuleFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kie.api.KieServices;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.type.FactType;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;

/**
 * Sessions move to a new rules version in place, each on its own container. A version that adds a task group (a
 * KieBase of its own) must not disturb the others: with containers sharing one module's packages, the first session
 * to update changed the second's, whose update then failed ("compile a Drools asset without mvel").
 */
class UpdatableKieModuleTest {

    private static final String TRADE = """
            package recon.trade
            declare Order
                @role( event ) @timestamp( createdAt ) @expires( 10m )
                orderId : String
                createdAt : long
            end
            rule "Every order" when Order() then end
            """;

    private static final String REFUNDS = """
            package recon.refunds
            import java.math.BigDecimal
            declare Refund
                @role( event ) @timestamp( requestedAt ) @expires( 10m )
                refundId : String
                amount : BigDecimal
                requestedAt : long
            end
            rule "Every refund" when Refund() then end
            """;

    @Test
    void twoSessionsMoveInPlaceToAVersionThatAddsATaskGroupAndKeepTheirFacts() throws Exception {
        RuleCompiler compiler = new RuleCompiler();
        ReleaseId v1 = KieServices.get().newReleaseId("io.recon", "adds-a-task-group", "1.0.0");
        ReleaseId v2 = KieServices.get().newReleaseId("io.recon", "adds-a-task-group", "1.1.0");
        assertThat(compiler.compile(List.of(new RuleFile("recon/trade/t.drl", TRADE)), Set.of("trade"), v1).problems()).isEmpty();
        assertThat(compiler.compile(List.of(new RuleFile("recon/trade/t.drl", TRADE), new RuleFile("recon/refunds/r.drl", REFUNDS)),
                Set.of("trade", "refunds"), v2).problems()).isEmpty();

        List<KieContainer> containers = new ArrayList<>();
        List<KieSession> sessions = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            KieContainer container = UpdatableKieModule.newContainer(v1);
            KieSession session = container.getKieBase("trade").newKieSession();
            FactType order = container.getKieBase("trade").getFactType("recon.trade", "Order");
            Object fact = order.newInstance();
            order.set(fact, "orderId", "O-" + i);
            session.insert(fact);
            containers.add(container);
            sessions.add(session);
        }
        try {
            for (int i = 0; i < 2; i++) {
                assertThat(UpdatableKieModule.updateToVersion(containers.get(i), v2).getMessages()).as("session %d", i).isEmpty();
                assertThat(sessions.get(i).getFactCount()).as("session %d keeps its order", i).isEqualTo(1);
                assertThat(sessions.get(i).fireAllRules()).as("session %d runs its rules on the fact it kept", i).isEqualTo(1);
                assertThat(containers.get(i).getKieBaseNames()).contains("trade", "refunds");
            }
        } finally {
            sessions.forEach(KieSession::dispose);
            containers.forEach(KieContainer::dispose);
        }
    }
}
