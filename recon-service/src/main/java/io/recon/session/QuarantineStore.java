package io.recon.session;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The rule_quarantine and rule_fault tables. */
@Component
class QuarantineStore {

    private final JdbcTemplate jdbc;

    QuarantineStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void logFault(String task, int partition, RuleFaults.RuleFault fault) {
        jdbc.update("insert into rule_fault (task, partition_no, rule, record, cause, capped) values (?, ?, ?, ?, ?, ?)",
                task, partition, fault.rule(), fault.record(), fault.cause(), fault.capped());
    }

    /** @return false when the rule was quarantined already */
    boolean quarantine(String task, String rule, String reason) {
        return jdbc.update("insert into rule_quarantine (task, rule, reason) values (?, ?, ?) on conflict do nothing", task, rule, reason) > 0;
    }

    /** @return false when the rule was not quarantined */
    boolean lift(String task, String rule) {
        return jdbc.update("delete from rule_quarantine where task = ? and rule = ?", task, rule) > 0;
    }

    List<QuarantinedRule> all() {
        return jdbc.query("""
                select q.task, q.rule, q.quarantined_at, q.reason,
                       (select count(*) from rule_fault f where f.task = q.task and f.rule = q.rule) as faults
                from rule_quarantine q order by q.task, q.rule""",
                (rs, n) -> new QuarantinedRule(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getLong(5)));
    }
}
