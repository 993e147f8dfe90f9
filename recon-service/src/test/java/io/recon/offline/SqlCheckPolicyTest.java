package io.recon.offline;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which analyst SQL may run over the staged tables, decided before anything runs. */
class SqlCheckPolicyTest {

    private static final Set<String> STAGED = Set.of("shop_orders", "pay_payments");

    @Test
    void aFullOuterJoinOfTheStagedTablesWithAWithAndAggregatesIsAllowed() {
        assertThatCode(() -> SqlCheckPolicy.vet("""
                with paid as (select order_id, sum(amount) as amount, count(*) filter (where status = 'SUCCESS') as n
                              from pay_payments group by order_id)
                select coalesce(o.order_id, p.order_id) as key,
                       case when o.order_id is null then 'ORPHAN' when p.order_id is null then 'MISSING' else 'AMOUNT' end as type,
                       'ordered ' || o.amount::text || ', paid ' || round(p.amount, 2) as detail
                from shop_orders o full outer join paid p on p.order_id = o.order_id
                where o.order_id is null or p.order_id is null or abs(o.amount - p.amount) > 0.01
                  and lower(o.status) <> 'cancelled' and exists (select 1 from pay_payments x where x.order_id = o.order_id)
                """, STAGED)).doesNotThrowAnyException();
    }

    @Test
    void theReadmeExampleIsAllowed() {
        assertThatCode(() -> SqlCheckPolicy.vet("select coalesce(o.order_id, p.order_id) as key, case when p.order_id is null then 'MISSING'"
                + " else 'AMOUNT' end as type, 'ordered ' || o.amount || ', paid ' || p.amount as detail from shop_orders o full outer join"
                + " pay_payments p on p.order_id = o.order_id where o.order_id is not null and (p.order_id is null or (p.status = 'SUCCESS'"
                + " and abs(o.amount - p.amount) > 0.01))", STAGED)).doesNotThrowAnyException();
    }

    @Test
    void functionsOutsideTheListAreRefusedWithTheirName() {
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select pg_read_file('/etc/passwd') as key, 'X' as type", STAGED))
                .isInstanceOf(SqlCheckRefusal.class).hasMessageContaining("calls pg_read_file");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select o.order_id as key, 'X' as type from shop_orders o "
                + "where o.status = current_setting('is_superuser')", STAGED)).hasMessageContaining("current_setting");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select * from dblink('host=x', 'select 1') as t(a int)", STAGED))
                .hasMessageContaining("dblink");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select key, type from (select pg_catalog.set_config('a', 'b', false) as key,"
                + " 'X' as type) s", STAGED)).hasMessageContaining("set_config");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select lo_import('/etc/passwd') as key", STAGED)).hasMessageContaining("lo_import");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select 1 from shop_orders where 1 = (select pg_sleep(10))", STAGED))
                .hasMessageContaining("pg_sleep");
    }

    @Test
    void aFunctionIsFoundInEveryClause() {
        String[] hidden = {
                "select order_id as key, 'X' as type from shop_orders order by pg_sleep(1)",
                "select order_id as key, 'X' as type from shop_orders group by order_id having count(*) > length(pg_ls_dir('.')::text)",
                "select order_id as key, 'X' as type from shop_orders limit (select length(version()))",
                "select g as key, 'X' as type from generate_series(1, 10) g",
                "select order_id as key, case when status = 'A' then pg_backend_pid()::text end as type from shop_orders",
                "select order_id as key, 'X' as type from shop_orders o, lateral (select inet_server_addr()) s",
                "select order_id as key, row_number() over (order by txid_current()) as type from shop_orders",
                "with x as (select query_to_xml('select 1', true, true, '') as key) select key, 'X' as type from x",
                "select order_id as key, string_agg(status, ',' order by pg_sleep(1)) as type from shop_orders group by order_id",
                "select order_id as key, 'X' as type from shop_orders order by \"pg_sleep\"(1)",
                "select order_id as key, 'X' as type from shop_orders where 'a''' <> 'b' and pg_sleep(1) is null -- pg_sleep(1)"};
        for (String sql : hidden) {
            assertThatThrownBy(() -> SqlCheckPolicy.vet(sql, STAGED)).as(sql).isInstanceOf(SqlCheckRefusal.class)
                    .hasMessageMatching("(?s).*(calls|not SQL Recon can read).*");
        }
    }

    @Test
    void literalsAndCommentsAreNotCalls() {
        assertThatCode(() -> SqlCheckPolicy.vet("select order_id as key, 'pg_sleep(1)' as type, \"status\" as detail from shop_orders"
                + " /* pg_read_file(x) */ where amount::numeric(12, 2) > 0 and status in ('A', 'B') -- lo_import(y)", STAGED))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select E'\\'', pg_sleep(1), 'x' as key from shop_orders", STAGED))
                .isInstanceOf(SqlCheckRefusal.class); // not read by the parser; were it read, the text fence refuses escape strings
        assertThatThrownBy(() -> SqlCheckPolicy.callsByText("select e'\\'', pg_sleep(1), 'x' as key")).hasMessageContaining("escape string");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select $$x$$ as key from shop_orders", STAGED)).hasMessageContaining("uses $");
    }

    @Test
    void onlyTheStagedTablesMayBeRead() {
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select usename as key, 'X' as type from pg_user", STAGED))
                .hasMessageContaining("table pg_user").hasMessageContaining("shop_orders");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select * from public.mismatch", STAGED)).hasMessageContaining("public.mismatch");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select * from pg_catalog.pg_authid", STAGED)).hasMessageContaining("pg_catalog.pg_authid");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select * from shop_orders o join app_user u on true", STAGED))
                .hasMessageContaining("app_user");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select 'x'::regclass as key", STAGED)).hasMessageContaining("casts to regclass");
    }

    @Test
    void onlyOneSelectThatReadsMayRun() {
        assertThatThrownBy(() -> SqlCheckPolicy.vet("delete from shop_orders", STAGED)).hasMessageContaining("only a SELECT");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select 1; select 2", STAGED)).hasMessageContaining("2 statements");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select 1; drop table mismatch", STAGED)).hasMessageContaining("2 statements");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select * into stolen from shop_orders", STAGED)).hasMessageContaining("INTO");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select * from shop_orders for update", STAGED)).hasMessageContaining("locks");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("select from where", STAGED)).hasMessageContaining("not SQL Recon can read");
        assertThatThrownBy(() -> SqlCheckPolicy.vet("  ", STAGED)).hasMessageContaining("empty");
    }
}
