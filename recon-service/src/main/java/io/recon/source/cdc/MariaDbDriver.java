package io.recon.source.cdc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver Debezium's MySQL connector uses for a MariaDB database ({@code database.jdbc.driver}): MySQL's own
 * driver, with one statement translated. Maven Central serves no MariaDB connector of the 3.6 line, and the MySQL
 * connector 3.6.1 reads the binlog position with {@code SHOW BINARY LOG STATUS} on every server whose version is 8.4
 * or above, which a MariaDB 10.11 (version "10.11") is by number but does not understand; MariaDB's statement for it
 * is {@code SHOW MASTER STATUS}, with the same columns. Everything else goes to MySQL's driver unchanged.
 *
 * <p>Only URLs {@value #PROTOCOL} are taken, so the driver never answers for other databases; a connection to a server that
 * is not MariaDB is MySQL's own, untouched.
 */
public final class MariaDbDriver implements Driver {

    /** What {@code database.protocol} names; MySQL's driver gets {@code jdbc:mysql:} instead. */
    public static final String PROTOCOL = "jdbc:recon-mariadb";

    private final Driver mysql;

    public MariaDbDriver() {
        try {
            mysql = new com.mysql.cj.jdbc.Driver();
        } catch (SQLException e) {
            throw new IllegalStateException("MySQL's JDBC driver cannot be loaded", e);
        }
    }

    static String translated(String sql) {
        return sql != null && sql.trim().toUpperCase(Locale.ROOT).equals("SHOW BINARY LOG STATUS") ? "SHOW MASTER STATUS" : sql;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection c = mysql.connect(mysqlUrl(url), info);
        if (c == null) {
            return null;
        }
        // a MySQL server of 8.4 or above knows SHOW BINARY LOG STATUS (and no longer SHOW MASTER STATUS): leave it as is
        return c.getMetaData().getDatabaseProductVersion().contains("MariaDB") ? wrap(c, Connection.class) : c;
    }

    private static <T> T wrap(T target, Class<T> type) {
        Object proxy = Proxy.newProxyInstance(MariaDbDriver.class.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (args != null && args.length > 0 && args[0] instanceof String sql
                    && (method.getName().startsWith("execute") || method.getName().startsWith("prepare") || method.getName().equals("addBatch"))) {
                args[0] = translated(sql);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof PreparedStatement ps && method.getReturnType() == PreparedStatement.class) {
                return wrap(ps, PreparedStatement.class);
            }
            if (result instanceof Statement s && method.getReturnType() == Statement.class) {
                return wrap(s, Statement.class);
            }
            return result;
        });
        return type.cast(proxy);
    }

    private static String mysqlUrl(String url) {
        return "jdbc:mysql:" + url.substring(PROTOCOL.length() + 1);
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PROTOCOL + ":");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return mysql.getPropertyInfo(acceptsURL(url) ? mysqlUrl(url) : url, info);
    }

    @Override
    public int getMajorVersion() {
        return mysql.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return mysql.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
