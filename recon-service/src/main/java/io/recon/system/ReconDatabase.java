package io.recon.system;

/** Connection settings of Recon's own PostgreSQL database. */
public record ReconDatabase(String jdbcUrl, String username, String password) {

    @Override
    public String toString() {
        return "ReconDatabase[" + jdbcUrl + ", user=" + username + ", password=****]";
    }
}
