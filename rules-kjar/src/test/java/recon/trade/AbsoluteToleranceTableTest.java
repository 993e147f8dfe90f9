package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static recon.trade.TradeRecords.order;
import static recon.trade.TradeRecords.payment;

import io.recon.rules.Mismatch;
import io.recon.rules.Severity;
import java.io.InputStream;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;

/**
 * The "differs by more than (absolute)" column of the field table, on a sample table
 * (src/test/resources/samples/amount-to-the-cent.drl.csv) with the kjar table's layout. It is not
 * in the kjar because the hand-written AMOUNT rule already checks amounts to the cent there, and
 * two rules for one finding would report it twice under two types.
 */
class AbsoluteToleranceTableTest {

    private final Scenario scenario = Scenario.of(new KieHelper()
            .addResource(KieHelperResources.classpath("recon/trade/types.drl"), ResourceType.DRL)
            .addContent(tableAsDrl("samples/amount-to-the-cent.drl.csv"), ResourceType.DRL)
            .build(EventProcessingOption.STREAM));

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void nearMissAmountsOneCentApartAgree() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "100.01", "SUCCESS", 0));

        assertThat(scenario.mismatches()).isEmpty();
    }

    @Test
    void amountsTwoCentsApartDisagree() {
        scenario.insert(order("O-1", "100.00", "PAID", 0), payment("P-1", "O-1", "99.98", "SUCCESS", 0));

        assertThat(scenario.mismatches()).extracting(Mismatch::getType, Mismatch::getSeverity, Mismatch::getKey)
                .containsExactly(tuple("FIELD_AMOUNT", Severity.P2, "O-1"));
        assertThat(scenario.mismatches().get(0).getReason()).contains("100.00", "99.98", "P-1");
    }

    @Test
    void theStatusColumnKeepsFailedPaymentsOut() {
        scenario.insert(order("O-1", "100.00", "PAYMENT_FAILED", 0), payment("P-1", "O-1", "50.00", "FAILED", 0));

        assertThat(scenario.mismatches()).isEmpty();
    }

    /** The same conversion the service's POST /api/rules/validate applies to an uploaded CSV table. */
    static String tableAsDrl(String classpathResource) {
        try (InputStream csv = AbsoluteToleranceTableTest.class.getClassLoader().getResourceAsStream(classpathResource)) {
            assertThat(csv).as(classpathResource).isNotNull();
            return new SpreadsheetCompiler().compile(csv, InputType.CSV);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
