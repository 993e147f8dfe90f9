package io.recon.chaos;

import io.recon.system.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.core.io.ClassPathResource;

/**
 * The demo's source systems (shop, pay and wms databases, with the demo's schemas) in a PostgreSQL server of their
 * own, which the service captures through {@code recon.databases.*}. Stopped with {@code pg_ctl stop -m immediate}
 * (a crash of the server) and started again on the same port and data.
 */
public final class SourceDatabases implements AutoCloseable {

    private static final List<String> DATABASES = List.of("shop", "pay", "wms");

    private final Path dataDir;
    private final int port;
    private final EmbeddedPostgres server;

    public SourceDatabases(Path dir) throws IOException, SQLException {
        this.dataDir = dir.resolve("data");
        this.port = io.recon.it.Ports.freePort();
        this.server = EmbeddedPostgres.builder(dataDir).port(port).build().start();
        for (String database : DATABASES) {
            server.ensureDatabase(database);
            try (Connection c = server.connect(database); Statement st = c.createStatement()) {
                st.execute(new ClassPathResource("demo/" + database + ".sql").getContentAsString(StandardCharsets.UTF_8));
            }
        }
    }

    String jdbcUrl(String database) {
        return server.jdbcUrl(database);
    }

    /** Settings that make Recon keep its own results here too, in database {@code recon} (instances that share them). */
    public List<String> resultsSettings() throws SQLException {
        server.ensureDatabase("recon");
        return List.of("recon.datasource.url=" + server.jdbcUrl("recon"), "recon.datasource.username=" + server.username(),
                "recon.datasource.password=" + server.password());
    }

    /** A connection to database {@code recon}, where instances given {@link #resultsSettings} keep their results. */
    public Connection connectResults() throws SQLException {
        return server.connect("recon");
    }

    ChaosRun.ResultsDb results() {
        return new ChaosRun.ResultsDb(server.jdbcUrl("recon"), server.username(), server.password());
    }

    /** The service's settings that point its captures and second checks here. */
    public List<String> settings() {
        List<String> settings = new ArrayList<>();
        for (String database : DATABASES) {
            String p = "recon.databases." + database + ".";
            settings.addAll(List.of(p + "host=127.0.0.1", p + "port=" + port, p + "database=" + database,
                    p + "username=" + server.username(), p + "password=" + server.password()));
        }
        return settings;
    }

    void stop() throws IOException, InterruptedException {
        pgCtl("-m", "immediate", "-w", "stop");
    }

    void start() throws IOException, InterruptedException {
        pgCtl("-l", dataDir.resolveSibling("restarted.log").toString(), "-w", "start");
    }

    private void pgCtl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of("/usr/lib/postgresql/15/bin/pg_ctl", "-D", dataDir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("pg_ctl " + String.join(" ", args) + " failed on " + dataDir);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
