package io.recon;

import org.kie.api.KieBase;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;

/** A small rule set compiled in the test, so that service tests do not depend on the sample kjar's wording. */
public final class TestRules {

    public static final String DRL = """
            package recon.test
            import io.recon.rules.Mismatch
            import io.recon.rules.Severity

            declare Order
                @role(event) @timestamp(createdAt) @expires(1m)
                orderId : String
                amount : java.math.BigDecimal
                status : String
                createdAt : long
            end

            declare Payment
                @role(event) @timestamp(paidAt) @expires(1m)
                paymentId : String
                orderId : String
                amount : java.math.BigDecimal
                paidAt : long
            end

            rule "An order is paid within 10 seconds"
            when
                $o : Order( $id : orderId )
                not Payment( orderId == $id, this after[0s, 10s] $o )
                not Payment( orderId == $id )
            then
                insertLogical( Mismatch.of( "MISSING", Severity.P2, $id, "no payment for " + $id, $o ) );
            end
            """;

    private TestRules() {
    }

    public static KieBase kieBase() {
        return build(DRL);
    }

    /** The same fact types without the rule: a rules version that no longer finds what {@link #kieBase()} finds. */
    public static KieBase declarationsOnly() {
        return build(DRL.substring(0, DRL.indexOf("rule ")));
    }

    private static KieBase build(String drl) {
        return new KieHelper().addContent(drl, ResourceType.DRL).build(org.drools.model.codegen.ExecutableModelProject.class, EventProcessingOption.STREAM);
    }
}
