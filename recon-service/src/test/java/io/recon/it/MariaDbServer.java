package io.recon.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB server (Debian's {@code mariadb-server}, which {@code bin/recon test} installs) as a local process for
 * tests: its own data directory under the given one, owned by user {@code mysql}; a free port on 127.0.0.1; a
 * row-based binlog of whole rows, as Recon's capture needs; UTC as its time zone. The process is a child of the test
 * JVM, stopped by {@link #close()} or, failing that, when the JVM exits normally.
 */
public final class MariaDbServer implements AutoCloseable {

    private static final String SERVER = "/usr/sbin/mariadbd";
    private static final Duration START = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private Process process;

    private MariaDbServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Installs a fresh data directory under {@code parent}/mariadb and starts the server on it. */
    public static MariaDbServer start(Path parent) {
        if (!Files.isExecutable(Path.of(SERVER))) {
            throw new IllegalStateException(SERVER + " is missing: install Debian's mariadb-server (bin/recon test does, as root)");
        }
        try {
            MariaDbServer server = new MariaDbServer(parent.resolve("mariadb"), Ports.freePort());
            server.install();
            server.run();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start MariaDB under " + parent, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void install() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        exec(List.of("chown", "mysql:mysql", dir.toString()));
        exec(List.of("runuser", "-u", "mysql", "--", "mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--auth-root-authentication-method=normal", "--skip-test-db", "--innodb-log-file-size=8M"));
    }

    private void run() throws IOException, InterruptedException {
        // started as root with --user: the server drops to user mysql itself, and this process is the server (a SIGTERM stops it)
        process = new ProcessBuilder(SERVER, "--no-defaults", "--user=mysql",
                "--datadir=" + dir.resolve("data"), "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mariadb.sock"), "--pid-file=" + dir.resolve("mariadb.pid"),
                "--log-bin=" + dir.resolve("data").resolve("binlog"), "--server-id=1", "--binlog-format=ROW", "--binlog-row-image=FULL",
                "--default-time-zone=+00:00", "--skip-name-resolve", "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M",
                "--performance-schema=OFF")
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try (Connection c = root()) {
                return;
            } catch (SQLException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("MariaDB did not start on port " + port + "; see " + dir.resolve("server.log"), e);
                }
                Thread.sleep(100);
            }
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** A connection as the server's root user (no password, from 127.0.0.1 only). */
    public Connection root() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?connectTimeout=2000&allowPublicKeyRetrieval=true"
                + "&useSSL=false", "root", "");
    }

    /** Runs the statements as root, in order. */
    public void execute(String... statements) {
        try (Connection c = root(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: a clean shutdown
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Removes the data directory (about 20 MB) once the server has stopped. */
    public void delete() {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover under /tmp, not a failure of the test
        }
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
