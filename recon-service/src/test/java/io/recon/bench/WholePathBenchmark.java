package io.recon.bench;

import io.recon.demo.DemoSystems;
import io.recon.session.SessionView;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole path, source commits through Debezium to stored mismatches: {@code rows} orders committed
 * in the shop database and {@code rows} payments in the pay database (one in 100 for another amount),
 * each in transactions of 1,000 rows, at once; timed from the first commit until every AMOUNT mismatch
 * is stored and the sessions have checked every row. Each database has its own replication slot.
 */
final class WholePathBenchmark {

    private WholePathBenchmark() {
    }

    static void run(int rows) throws Exception {
        try (BenchApp app = BenchApp.start(BenchApp.freshWorkDir("whole-path"), "recon.demo.traffic=false")) {
            DemoSystems systems = app.bean(DemoSystems.class);
            JdbcTemplate shop = systems.jdbc("shop");
            JdbcTemplate pay = systems.jdbc("pay");
            JdbcTemplate recon = app.bean(JdbcTemplate.class);
            long checkedBefore = checked(recon);
            long started = System.currentTimeMillis();
            Thread orders = new Thread(() -> {
                for (int from = 0; from < rows; from += 1_000) {
                    shop.update("insert into orders (order_id, customer_id, amount, currency, status, created_at, updated_at)"
                            + " select 'W-' || g, 'C-1', 100.00, 'EUR', 'PAID', now(), now() from generate_series(?, ?) g", from, Math.min(rows, from + 1_000) - 1);
                }
            });
            Thread payments = new Thread(() -> {
                for (int from = 0; from < rows; from += 1_000) {
                    pay.update("insert into payments (payment_id, order_id, amount, currency, status, paid_at) select 'P-W-' || g, 'W-' || g,"
                            + " case when g % 100 = 0 then 101.00 else 100.00 end, 'EUR', 'SUCCESS', now() from generate_series(?, ?) g",
                            from, Math.min(rows, from + 1_000) - 1);
                }
            });
            orders.start();
            payments.start();
            orders.join();
            payments.join();
            double committedSeconds = (System.currentTimeMillis() - started) / 1e3;
            long expected = (rows + 99) / 100;
            long deadline = System.currentTimeMillis() + 20 * 60_000L;
            while ((recon.queryForObject("select count(*) from mismatch where type = 'AMOUNT'", Long.class) < expected
                    || checked(recon) - checkedBefore < 2L * rows) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            double seconds = (System.currentTimeMillis() - started) / 1e3;
            long stored = recon.queryForObject("select count(*) from mismatch where type = 'AMOUNT'", Long.class);
            long checked = checked(recon) - checkedBefore;
            List<SessionView> sessions = app.sessions();
            BenchResults.table(String.format("Whole path: source commits -> Debezium -> facts topic -> sessions -> store, %,d rows per database", rows),
                    List.of("| databases (one replication slot each) | rows committed | commits took (s) | until stored (s) | rows/s per database | AMOUNT stored / expected | facts checked |",
                            "|---:|---:|---:|---:|---:|---:|---:|",
                            String.format("| 2 (shop, pay) | %,d | %.1f | %.1f | %,.0f | %d / %d | %,d |", 2L * rows, committedSeconds, seconds,
                                    rows / seconds, stored, expected, checked)),
                    "Transactions of 1,000 rows, both databases written at once; done when every AMOUNT mismatch is stored and the"
                            + " sessions' facts-checked statistic covers every row (" + sessions.size() + " sessions).");
        }
    }

    private static long checked(JdbcTemplate recon) {
        Long sum = recon.queryForObject("select coalesce(sum(checked), 0) from task_checked", Long.class);
        return sum == null ? 0 : sum;
    }
}
