package io.recon.fact;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;

class TaskFactsTest {

    @Test
    void aBoundTypeThatNeverExpiresIsRefused() {
        KieBase kieBase = kieBase("""
                package recon.bad
                declare Ledger
                    @role(event) @timestamp(bookedAt)
                    entryId : String
                    bookedAt : long
                end
                """);

        assertThatThrownBy(() -> new TaskFacts(kieBase, List.of(new FactSpec("recon.bad.Ledger", "entryId", null, "bookedAt"))))
                .hasMessageContaining("recon.bad.Ledger never expires").hasMessageContaining("@expires");
    }

    @Test
    void aBoundTypeThatIsNotAnEventIsRefused() {
        KieBase kieBase = kieBase("""
                package recon.bad
                declare Customer
                    customerId : String
                end
                """);

        assertThatThrownBy(() -> new TaskFacts(kieBase, List.of(new FactSpec("recon.bad.Customer", "customerId", null, null))))
                .hasMessageContaining("not declared as an event").hasMessageContaining("@role( event )");
    }

    @Test
    void aBindingToAnUndeclaredTypeIsRefused() {
        KieBase kieBase = kieBase("package recon.bad\n");

        assertThatThrownBy(() -> new TaskFacts(kieBase, List.of(new FactSpec("recon.bad.Refund", "orderId", null, null))))
                .hasMessageContaining("declare no fact type recon.bad.Refund");
    }

    private static KieBase kieBase(String drl) {
        return new KieHelper().addContent(drl, ResourceType.DRL).build(org.drools.model.codegen.ExecutableModelProject.class, EventProcessingOption.STREAM);
    }
}
