package io.recon.catalog;

/** How to reach a catalog database, password included: for connections only, never for answers or logs. */
public record DatabaseAccess(String name, String host, int port, String database, String username, String password,
                             CatalogDatabase.Kind kind) {

    public DatabaseAccess {
        kind = kind == null ? CatalogDatabase.Kind.POSTGRESQL : kind;
    }

    /** A PostgreSQL database. */
    public DatabaseAccess(String name, String host, int port, String database, String username, String password) {
        this(name, host, port, database, username, password, CatalogDatabase.Kind.POSTGRESQL);
    }

    /** MariaDB is reached with MySQL's JDBC driver, which speaks its protocol. */
    public String jdbcUrl() {
        return (kind == CatalogDatabase.Kind.MARIADB ? "jdbc:mysql://" : "jdbc:postgresql://") + host + ":" + port + "/" + database;
    }

    /** {@link #jdbcUrl()} with a connect timeout, in each driver's own unit. */
    public String jdbcUrl(int connectTimeoutSeconds) {
        return jdbcUrl() + "?connectTimeout=" + (kind == CatalogDatabase.Kind.MARIADB ? connectTimeoutSeconds * 1000 : connectTimeoutSeconds);
    }

    @Override
    public String toString() {
        return "DatabaseAccess[" + name + " (" + kind + ") at " + host + ":" + port + "/" + database + ", user=" + username + ", password=****]";
    }
}
