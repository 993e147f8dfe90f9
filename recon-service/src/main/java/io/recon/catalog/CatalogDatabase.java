package io.recon.catalog;

/**
 * One captured database of the catalog, without its password (kept encrypted apart, see {@link SecretBox}).
 *
 * @param passwordEnv instead of a stored password: the environment variable holding it
 */
public record CatalogDatabase(String name, Kind kind, String host, Integer port, String database, String username,
                              String passwordEnv, String origin) {

    public enum Kind { POSTGRESQL, MARIADB }

    public CatalogDatabase {
        kind = kind == null ? Kind.POSTGRESQL : kind;
        port = port == null ? (kind == Kind.MARIADB ? 3306 : 5432) : port;
        passwordEnv = passwordEnv == null || passwordEnv.isBlank() ? null : passwordEnv;
    }

    public CatalogDatabase named(String newName, String newOrigin) {
        return new CatalogDatabase(newName, kind, host, port, database, username, passwordEnv, newOrigin);
    }
}
