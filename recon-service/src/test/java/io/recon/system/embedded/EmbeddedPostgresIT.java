package io.recon.system.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresIT {

    private Path workDir;

    @BeforeEach
    void createWorkDir() throws IOException {
        // Under /tmp: the postgres OS user must be able to traverse every parent when we run as root.
        workDir = Files.createTempDirectory(Path.of("/tmp"), "recon-pg-it");
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void deleteWorkDir() throws IOException {
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void createsDatabaseRunsSqlAndKeepsDataAcrossRestart() throws Exception {
        Path dataDir = workDir.resolve("pg").resolve("data");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder(dataDir).build().start()) {
            pg.ensureDatabase("shop");
            pg.ensureDatabase("shop"); // second call must be a no-op, not an error
            assertThat(pg.jdbcUrl("shop")).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/shop");
            try (Connection c = pg.connect("shop"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id int PRIMARY KEY, name text)");
                st.execute("INSERT INTO t VALUES (1, 'one')");
                assertThat(single(st, "SHOW wal_level")).isEqualTo("logical");
                assertThat(single(st, "SHOW synchronous_commit")).isEqualTo("on");
            }
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder(dataDir).build().start()) {
            try (Connection c = pg.connect("shop"); Statement st = c.createStatement()) {
                assertThat(single(st, "SELECT name FROM t WHERE id = 1")).isEqualTo("one");
            }
        }
    }

    @Test
    void replacesServerLeftRunningByAnEarlierInstance() throws Exception {
        Path dataDir = workDir.resolve("data");
        EmbeddedPostgres abandoned = EmbeddedPostgres.builder(dataDir).build().start();
        int stalePort = abandoned.port();
        try (Connection c = abandoned.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE survivor (v text)");
            st.execute("INSERT INTO survivor VALUES ('kept')");
        }
        // 'abandoned' is never closed: the state a killed JVM leaves behind.
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder(dataDir).build().start()) {
            assertThat(pg.port()).isNotEqualTo(stalePort);
            assertThat(acceptsConnections(stalePort)).as("stale server stopped").isFalse();
            try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                assertThat(single(st, "SELECT v FROM survivor")).isEqualTo("kept");
            }
        }
    }

    @Test
    void takesOverAServerLeftRunningOnItsFixedPortInsteadOfRestartingIt() throws Exception {
        Path dataDir = workDir.resolve("data");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres abandoned = EmbeddedPostgres.builder(dataDir).port(port).build().start();
        String startedAt;
        try (Connection c = abandoned.connect("postgres"); Statement st = c.createStatement()) {
            startedAt = single(st, "SELECT pg_postmaster_start_time()::text");
        }
        // 'abandoned' is never closed: the state a killed JVM leaves behind; its clients stay connected
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder(dataDir).port(port).build().start()) {
            assertThat(pg.port()).isEqualTo(port);
            try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                assertThat(single(st, "SELECT pg_postmaster_start_time()::text")).as("the same server, not restarted").isEqualTo(startedAt);
            }
        }
    }

    @Test
    void stalepidFileOfDeadProcessDoesNotBlockStart() throws Exception {
        Path dataDir = workDir.resolve("data");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder(dataDir).build().start()) {
            pg.ensureDatabase("x");
        }
        // A pid that cannot be a live postgres: our own JVM's pid would be alive, so pick a dead one.
        long deadPid = ProcessHandle.current().pid() + 1_000_000;
        Path pidFile = dataDir.resolve("postmaster.pid");
        Files.writeString(pidFile, deadPid + "\n" + dataDir + "\n");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder(dataDir).build().start();
             Connection c = pg.connect("x"); Statement st = c.createStatement()) {
            assertThat(single(st, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void closeStopsTheServerAndIsIdempotent() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder(workDir.resolve("data")).build().start();
        int port = pg.port();
        assertThat(acceptsConnections(port)).isTrue();
        pg.close();
        assertThat(acceptsConnections(port)).isFalse();
        assertThat(pg.isRunning()).isFalse();
        pg.close();
        assertThatThrownBy(() -> pg.connect("postgres")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void missingBinariesGiveAnActionableMessage() {
        EmbeddedPostgres pg = EmbeddedPostgres.builder(workDir.resolve("data"))
                .binDir(workDir.resolve("no-such-bin")).build();
        assertThatThrownBy(pg::start)
                .hasMessageContaining("PostgreSQL 15 server binaries not found at " + workDir.resolve("no-such-bin"))
                .hasMessageContaining("RECON_DATASOURCE_URL");
    }

    @Test
    void directoryThePostgresUserCannotReachGivesAnActionableMessage() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(EmbeddedPostgres.jvmIsRoot(), "only root switches users");
        Path closed = Files.createDirectory(workDir.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        EmbeddedPostgres pg = EmbeddedPostgres.builder(closed.resolve("pg").resolve("data")).build();
        assertThatThrownBy(pg::start)
                .hasMessageContaining("cannot reach")
                .hasMessageContaining("RECON_WORK_DIR");
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
