package io.recon.targets;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The lookups' table rule (the offline one is under test in SqlCheckPolicyTest). */
class SelectPolicyTest {

    private static final SelectPolicy POLICY = new SelectPolicy("The lookup's sql");

    @Test
    void aLookupMayReadItsDatabasesOwnTablesWithParameters() {
        assertThatCode(() -> POLICY.vet("select o.order_id, o.amount from public.order_book o where o.order_id = :orderId",
                SelectPolicy.Tables.anyButSystem())).doesNotThrowAnyException();
        assertThatCode(() -> POLICY.vet("with b as (select * from order_book) select * from b where order_id = :key",
                SelectPolicy.Tables.anyButSystem())).doesNotThrowAnyException();
    }

    @Test
    void aLookupMayNotReadSystemCatalogsWriteOrCallWhatIsNotListed() {
        assertThatThrownBy(() -> POLICY.vet("select * from pg_catalog.pg_authid", SelectPolicy.Tables.anyButSystem()))
                .hasMessageStartingWith("The lookup's sql reads pg_catalog.pg_authid, a system catalog");
        assertThatThrownBy(() -> POLICY.vet("select usename from pg_user", SelectPolicy.Tables.anyButSystem())).hasMessageContaining("pg_user");
        assertThatThrownBy(() -> POLICY.vet("update order_book set amount = 0", SelectPolicy.Tables.anyButSystem()))
                .hasMessageContaining("only a SELECT");
        assertThatThrownBy(() -> POLICY.vet("select pg_sleep(10) from order_book", SelectPolicy.Tables.anyButSystem()))
                .hasMessageContaining("pg_sleep");
    }
}
