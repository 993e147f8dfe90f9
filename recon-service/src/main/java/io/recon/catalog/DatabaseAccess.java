package io.recon.catalog;

/** How to reach a catalog database, password included: for connections only, never for answers or logs. */
public record DatabaseAccess(String name, String host, int port, String database, String username, String password) {

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "DatabaseAccess[" + name + " at " + host + ":" + port + "/" + database + ", user=" + username + ", password=****]";
    }
}
