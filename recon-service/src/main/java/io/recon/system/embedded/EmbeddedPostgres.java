package io.recon.system.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server run from the machine's own binaries on a data directory this class owns.
 *
 * <p>PostgreSQL refuses to run as root, so when the JVM is root every binary runs as the
 * {@code postgres} OS user through {@code runuser}. {@code pg_ctl} daemonises the server, so a
 * killed JVM leaves it running: {@link #start()} finds such a server on its data directory and
 * stops it before starting its own (it may sit on a port this instance no longer knows about).
 *
 * <p>Authentication is {@code trust} on 127.0.0.1 only; the user is {@value #USER} and any
 * password is accepted.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final Path DEFAULT_BIN_DIR = Path.of("/usr/lib/postgresql/15/bin");
    public static final String USER = "postgres";
    private static final String OS_USER = "postgres";
    private static final String HOST = "127.0.0.1";
    /** Include file rewritten on every start, so changed settings (and a new port) always apply. */
    private static final String SETTINGS_FILE = "recon.conf";
    /** sun_path is 108 bytes on Linux; the socket file name adds ".s.PGSQL.65535". */
    private static final int MAX_SOCKET_DIR_LENGTH = 107 - ".s.PGSQL.65535".length() - 1;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final Path binDir;
    private final Path logFile;
    private final int requestedPort;
    private final Duration startTimeout;
    private final boolean runAsPostgres;

    private volatile int port = -1;
    private volatile boolean running;

    private EmbeddedPostgres(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.binDir = b.binDir;
        this.logFile = b.logFile != null ? b.logFile.toAbsolutePath().normalize()
                : dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.requestedPort = b.port;
        this.startTimeout = b.startTimeout;
        this.runAsPostgres = b.runAsPostgres != null ? b.runAsPostgres : jvmIsRoot();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Initialises the data directory if needed, replaces a stale server, and starts PostgreSQL. */
    public synchronized EmbeddedPostgres start() {
        if (running) {
            return this;
        }
        checkBinaries();
        prepareDirectories();
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            initdb();
        }
        if (reuseStaleServer()) {
            return this;
        }
        stopStaleServer();
        int chosen = requestedPort == 0 ? freePort() : requestedPort;
        writeSettings(chosen);
        CommandResult r = run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-l", logFile.toString(),
                "-w", "-t", Long.toString(startTimeout.toSeconds()), "start"), startTimeout.plusSeconds(10));
        if (r.exitCode != 0) {
            throw new EmbeddedPostgresException("PostgreSQL did not start on data directory " + dataDir
                    + " (port " + chosen + "): " + r.output.strip() + "\n--- last lines of " + logFile + " ---\n"
                    + tail(logFile, 30));
        }
        port = chosen;
        running = true;
        return this;
    }

    /** Creates the database unless it exists. */
    public void ensureDatabase(String name) {
        Objects.requireNonNull(name, "name");
        requireRunning();
        try (Connection c = connect("postgres")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + quoteIdentifier(name));
            } catch (SQLException e) {
                // Another caller may have created it between our check and CREATE.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("Could not create database '" + name + "': " + e.getMessage(), e);
        }
    }

    public String jdbcUrl(String database) {
        requireRunning();
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", password());
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    public int port() {
        requireRunning();
        return port;
    }

    public String host() {
        return HOST;
    }

    public String username() {
        return USER;
    }

    /**
     * Trust authentication ignores the password; this non-empty value exists for clients that
     * insist on one (Debezium's JDBC offset store does).
     */
    public String password() {
        return "postgres";
    }

    public Path dataDirectory() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return running;
    }

    /** Stops the server ({@code pg_ctl stop -m fast}); calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        CommandResult r = run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"),
                COMMAND_TIMEOUT);
        if (r.exitCode != 0 && serverPid().isPresent()) {
            throw new EmbeddedPostgresException("PostgreSQL on " + dataDir + " did not stop: " + r.output.strip());
        }
    }

    // ------------------------------------------------------------------------------------------

    private void checkBinaries() {
        for (String name : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(binDir.resolve(name))) {
                throw new EmbeddedPostgresException("PostgreSQL 15 server binaries not found at " + binDir
                        + " (no executable '" + name + "'): install the postgresql-15 package, or point Recon at"
                        + " an existing database with RECON_DATASOURCE_URL");
            }
        }
    }

    private void prepareDirectories() {
        Path parent = dataDir.getParent();
        try {
            Files.createDirectories(parent);
            if (!Files.exists(dataDir)) {
                Files.createDirectory(dataDir);
            }
            if (runAsPostgres) {
                // initdb insists on owning the data directory, and the server writes its log
                // and (re)creates files next to it.
                chownToPostgres(parent);
                chownToPostgres(dataDir);
            }
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Could not prepare PostgreSQL data directory " + dataDir + ": " + e, e);
        }
        if (runAsPostgres) {
            CommandResult r = run(List.of("test", "-w", dataDir.toString(), "-a", "-x", dataDir.toString(),
                    "-a", "-w", parent.toString()), COMMAND_TIMEOUT);
            if (r.exitCode != 0) {
                throw new EmbeddedPostgresException("The '" + OS_USER + "' OS user cannot reach " + dataDir
                        + ": every directory above it must be searchable by that user (a home directory such as"
                        + " /root usually is not). Set RECON_WORK_DIR to a directory under /tmp or /var/lib/recon.");
            }
        }
    }

    private void initdb() {
        CommandResult r = run(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", USER, "-A", "trust",
                "-E", "UTF8", "--no-sync"), COMMAND_TIMEOUT);
        if (r.exitCode != 0) {
            throw new EmbeddedPostgresException("initdb failed for " + dataDir + ":\n" + r.output.strip());
        }
        appendLine(dataDir.resolve("postgresql.conf"), "include_if_exists = '" + SETTINGS_FILE + "'");
    }

    private void writeSettings(int chosenPort) {
        String socketDir = dataDir.toString().length() <= MAX_SOCKET_DIR_LENGTH ? dataDir.toString() : "";
        String settings = String.join("\n",
                "# Written by Recon at every start; edits are overwritten.",
                "listen_addresses = '" + HOST + "'",
                "port = " + chosenPort,
                // A socket in the data directory keeps servers on different data dirs apart; with a
                // path too long for a socket name the server listens on TCP only.
                "unix_socket_directories = '" + socketDir + "'",
                "wal_level = logical",
                "max_replication_slots = 20",
                "max_wal_senders = 20",
                "synchronous_commit = on",
                "");
        Path file = dataDir.resolve(SETTINGS_FILE);
        try {
            Files.writeString(file, settings, StandardCharsets.UTF_8);
            if (runAsPostgres) {
                chownToPostgres(file);
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Could not write " + file + ": " + e, e);
        }
    }

    /**
     * A server left behind by a killed JVM on the port this instance was told to use (a fixed port) is taken
     * over as it is: restarting it would take the databases it serves (on the embedded default also the
     * demo's source systems) down once more after every crash. Its settings were written for that port.
     */
    private boolean reuseStaleServer() {
        if (requestedPort == 0) {
            return false;
        }
        Optional<Long> pid = serverPid();
        if (pid.isEmpty() || !isPostgresProcess(pid.get())) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            // postmaster.pid: pid, data directory, start time, port, ...
            if (lines.size() < 4 || !lines.get(3).strip().equals(Integer.toString(requestedPort))) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        port = requestedPort;
        running = true;
        try (Connection c = connect("postgres")) {
            return true;
        } catch (SQLException e) {
            running = false;
            port = -1;
            return false;
        }
    }

    /**
     * A server left behind by a killed JVM still holds the data directory: stop it. A pid file
     * whose process is gone, or now belongs to some other program, is only removed, so that a
     * recycled pid never gets a signal from us.
     */
    private void stopStaleServer() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Optional<Long> pid = serverPid();
        if (pid.isEmpty()) {
            return;
        }
        boolean alivePostgres = isPostgresProcess(pid.get());
        if (alivePostgres) {
            CommandResult r = run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"),
                    COMMAND_TIMEOUT);
            if (r.exitCode != 0 && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
                throw new EmbeddedPostgresException("A PostgreSQL server (pid " + pid.get() + ") left running on "
                        + dataDir + " could not be stopped: " + r.output.strip());
            }
        } else {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new EmbeddedPostgresException("Could not remove stale " + pidFile + ": " + e, e);
            }
        }
    }

    private static boolean isPostgresProcess(long pid) {
        // /proc/<pid>/comm is readable whoever owns the process, unlike ProcessHandle.info().
        try {
            String comm = Files.readString(Path.of("/proc", Long.toString(pid), "comm"), StandardCharsets.UTF_8).strip();
            return comm.equals("postgres") || comm.equals("postmaster");
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<Long> serverPid() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            // Half-written or unreadable: PostgreSQL itself will judge it at start.
            return Optional.empty();
        }
    }

    private String bin(String name) {
        return binDir.resolve(name).toString();
    }

    private CommandResult run(List<String> command, Duration timeout) {
        List<String> full = new ArrayList<>();
        if (runAsPostgres) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectErrorStream(true)
                // The JVM's working directory (often /root) may be closed to the postgres user.
                .directory(dataDir.getParent().toFile());
        try {
            Process p = pb.start();
            // pg_ctl's daemon inherits no pipe of ours (it writes to -l), so reading to EOF is safe.
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new CommandResult(-1, String.join(" ", full) + " timed out after " + timeout);
            }
            return new CommandResult(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Could not run " + String.join(" ", full) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("Interrupted while running " + String.join(" ", full), e);
        }
    }

    private static void chownToPostgres(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(OS_USER);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(OS_USER);
        Files.setOwner(path, user);
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS).setGroup(group);
    }

    private static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, "\n" + line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log written)";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Could not find a free port: " + e.getMessage(), e);
        }
    }

    static boolean jvmIsRoot() {
        if ("root".equals(System.getProperty("user.name"))) {
            return true;
        }
        try {
            // /proc/self belongs to the process's effective user.
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private void requireRunning() {
        if (!running) {
            throw new IllegalStateException("EmbeddedPostgres on " + dataDir + " is not running");
        }
    }

    private record CommandResult(int exitCode, String output) {
    }

    public static final class Builder {
        private final Path dataDir;
        private Path binDir = DEFAULT_BIN_DIR;
        private Path logFile;
        private int port;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Boolean runAsPostgres;

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            if (dataDir.toAbsolutePath().getParent() == null) {
                throw new IllegalArgumentException("The data directory needs a parent directory: " + dataDir);
            }
        }

        /** 0 (the default) picks a free port at every start. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder binDir(Path binDir) {
            this.binDir = Objects.requireNonNull(binDir, "binDir");
            return this;
        }

        /** Default: {@code <data dir>.log} next to the data directory. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /** Overrides the root detection; mostly for tests. */
        public Builder runAsPostgresUser(boolean runAsPostgres) {
            this.runAsPostgres = runAsPostgres;
            return this;
        }

        public EmbeddedPostgres build() {
            return new EmbeddedPostgres(this);
        }
    }

    /** A failure whose message says what to do about it. */
    public static final class EmbeddedPostgresException extends RuntimeException {
        public EmbeddedPostgresException(String message) {
            super(message);
        }

        public EmbeddedPostgresException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
