package io.recon.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Recon service as its own JVM on the embedded default, started again and again on the same work
 * directory and the same ports, and killed with SIGKILL. The embedded PostgreSQL is a daemon that outlives
 * a killed JVM (the next start replaces it); the in-process Kafka broker dies with it and restarts from its log.
 */
public final class ServiceProcess implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path workDir;
    private final List<String> command;
    private final int httpPort;
    private final int postgresPort;
    private final int kafkaPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;
    /** Who the harness signs in as: the embedded demo's operator, or a user the settings give (external database). */
    private volatile String credentials = "operator:operator";

    /**
     * @param jar      the service jar, or null to run {@code io.recon.ReconApplication} from this JVM's class path
     * @param settings extra {@code key=value} settings (alert channels, ...)
     */
    ServiceProcess(Path workDir, Path jar, Path rulesRepository, List<String> settings) {
        // small and quick to start (C1 only): the tests run up to four of these beside a broker and a PostgreSQL
        this(workDir, jar, rulesRepository, settings, List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }

    /** @param jvm the JVM's options: a benchmark wants the JIT's best, not the tests' quick start */
    public ServiceProcess(Path workDir, Path jar, Path rulesRepository, List<String> settings, List<String> jvm) {
        this.workDir = workDir;
        this.httpPort = io.recon.it.Ports.freePort();
        this.postgresPort = io.recon.it.Ports.freePort();
        this.kafkaPort = io.recon.it.Ports.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        if (jar != null) {
            cmd.addAll(List.of("-jar", jar.toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.recon.ReconApplication"));
        }
        cmd.addAll(List.of("--recon.work-dir=" + workDir, "--server.port=" + httpPort, "--server.address=127.0.0.1",
                "--recon.embedded.postgres-port=" + postgresPort, "--recon.embedded.kafka-port=" + kafkaPort,
                "--recon.rules.repository=" + rulesRepository, "--recon.demo.traffic=false"));
        settings.forEach(s -> cmd.add("--" + s));
        this.command = List.copyOf(cmd);
    }

    /** Signs in as {@code user} from now on (the demo's users exist only on the embedded default). */
    public ServiceProcess signInAs(String user, String password) {
        this.credentials = user + ":" + password;
        return this;
    }

    /** Starts the JVM and returns at once; {@link #awaitUp} waits for it. */
    public synchronized void start() throws IOException {
        starts++;
        Path log = workDir.resolve("service-" + starts + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (starts == 1) {
            // Ctrl-C of the harness takes the service (and its PostgreSQL daemon) with it
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
    }

    /** Waits until the service answers health UP; @return how long that took, in ms. */
    public long awaitUp(Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + " while starting; see "
                        + workDir.resolve("service-" + starts + ".log"));
            }
            try {
                HttpResponse<String> r = http.send(request("/actuator/health").build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service was not UP within " + timeout + " (health said: " + last + "); see "
                + workDir.resolve("service-" + starts + ".log"));
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a signal (STOP, CONT) to the service's JVM: SIGSTOP freezes it as a long GC pause or a hung VM would. */
    synchronized void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** The operator endpoint: sessions, sources and this instance. */
    JsonNode recon() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request("/actuator/recon").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /actuator/recon answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    /** The sessions as the operator endpoint shows them. */
    public JsonNode sessions() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request("/actuator/recon").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /actuator/recon answered " + r.statusCode());
        }
        return JSON.readTree(r.body()).get("sessions");
    }

    public String get(String path) throws IOException, InterruptedException {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A write operation, such as {@code /actuator/recon/trade/0/pause}; @return the status code */
    public int post(String path) throws IOException, InterruptedException {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A write with a JSON body, such as {@code PUT /api/tasks/trade}. */
    public HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        return http.send(request(path).method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    int starts() {
        return starts;
    }

    /** A graceful stop (SIGTERM), then the PostgreSQL daemon a kill may have left behind. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (Files.exists(workDir.resolve("postgres/data/postmaster.pid"))) {
            try {
                pgCtl("-m", "immediate", "-w", "stop");
            } catch (IOException e) {
                // nothing left to stop
            }
        }
    }

    /**
     * An outage of the PostgreSQL server, as a crash of it (no checkpoint, clients cut off): the results store and, on
     * the embedded default, the source databases.
     */
    void stopPostgres() throws IOException, InterruptedException {
        pgCtl("-m", "immediate", "-w", "stop");
    }

    /** Back on the same port (the service's settings file in the data directory names it). */
    void startPostgres() throws IOException, InterruptedException {
        pgCtl("-l", workDir.resolve("postgres/data.log").toString(), "-w", "start");
    }

    private void pgCtl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of("/usr/lib/postgresql/15/bin/pg_ctl", "-D", workDir.resolve("postgres/data").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("pg_ctl " + String.join(" ", args) + " failed on " + workDir.resolve("postgres/data"));
        }
    }
}
