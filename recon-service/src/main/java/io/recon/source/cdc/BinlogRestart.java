package io.recon.source.cdc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a MariaDB capture restart without losing a row. Debezium's MySQL connector keeps, beside the binlog position,
 * how many events and rows of the transaction at that position it already handed on, and skips that many at a restart.
 * It learns where a transaction starts from MySQL's {@code BEGIN}; MariaDB starts one with its own GTID event instead,
 * which that connector does not read, so the stored position is already past the rows it counts, and the skip then
 * drops the first rows committed after it (seen: a row written while Recon was stopped never arrived). Before each
 * start the stored counts are removed: the capture reads again from the stored position, which at worst repeats the
 * last change handed on, and sessions ignore a repeated identical version.
 */
final class BinlogRestart {

    private static final Logger log = LoggerFactory.getLogger(BinlogRestart.class);
    private static final Pattern SKIP = Pattern.compile("\"(row|event)\"\\s*:\\s*\\d+\\s*,?");

    private BinlogRestart() {
    }

    static String withoutSkips(String offset) {
        String out = SKIP.matcher(offset).replaceAll("");
        return out.replaceAll(",\\s*}", "}");
    }

    static void forgetSkips(CdcSourceConfig config) {
        String table = CdcSource.offsetTable(config.name());
        try (Connection c = DriverManager.getConnection(config.offsetJdbcUrl(), config.offsetUser(), config.offsetPassword())) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getTables(null, null, table, null)) {
                if (!rs.next()) {
                    return; // first start: nothing stored yet
                }
            }
            int changed = 0;
            try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
                 ResultSet rs = s.executeQuery("SELECT id, offset_val FROM " + table)) {
                while (rs.next()) {
                    String value = rs.getString(2);
                    if (value != null && !value.equals(withoutSkips(value))) {
                        rs.updateString(2, withoutSkips(value));
                        rs.updateRow();
                        changed++;
                    }
                }
            }
            if (changed > 0) {
                log.debug("CDC source {}: restarting at its stored binlog position without skipping rows", config.name());
            }
        } catch (SQLException e) {
            // the engine reads the same store next and reports it if it is really unusable
            log.warn("CDC source {}: cannot prepare its stored binlog position for the restart: {}", config.name(),
                    new SecretMasker(java.util.List.of(config.offsetPassword())).mask(e.getMessage()));
        }
    }
}
