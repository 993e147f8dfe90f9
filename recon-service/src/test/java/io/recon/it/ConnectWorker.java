package io.recon.it;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Kafka Connect worker in distributed mode ({@code ConnectDistributed} of connect-runtime) as a separate JVM.
 * Its class path is connect-runtime with the Debezium PostgreSQL connector, resolved by Maven from
 * {@code src/test/connect-worker/pom.xml} on their own (the test class path has Spring Boot's Jetty, on which Connect's
 * REST server does not start); the connector is found on it as a plugin. Its output goes to {@code connect.log} in its directory; {@link #close()}
 * kills it, and so does a shutdown hook if the test JVM ends first.
 */
final class ConnectWorker implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Process process;
    private final String url;
    private final Path log;
    private final Thread killer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ConnectWorker(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
        this.killer = new Thread(this::kill, "connect-worker-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * @param bootstrap the Kafka the worker keeps its configs, offsets and statuses in, and writes the change events to
     * @param env       environment of the worker: values its connectors read with {@code ${env:NAME}}
     */
    static ConnectWorker start(Path dir, String bootstrap, Map<String, String> env) throws IOException {
        int port = Ports.freePort();
        Properties worker = new Properties();
        worker.setProperty("bootstrap.servers", bootstrap);
        worker.setProperty("group.id", "recon-connect-it");
        worker.setProperty("listeners", "http://127.0.0.1:" + port);
        worker.setProperty("rest.advertised.host.name", "127.0.0.1");
        worker.setProperty("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.setProperty("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        for (String store : List.of("config", "offset", "status")) {
            worker.setProperty(store + ".storage.topic", "recon-connect-" + store + "s");
            worker.setProperty(store + ".storage.replication.factor", "1");
        }
        worker.setProperty("offset.storage.partitions", "1");
        worker.setProperty("status.storage.partitions", "1");
        worker.setProperty("offset.flush.interval.ms", "1000");
        // Debezium and Connect's own plugins have ServiceLoader manifests: no scan of every jar (seconds at start)
        worker.setProperty("plugin.discovery", "service_load");
        // the connector's password comes from the worker's environment, never from the connector configuration
        worker.setProperty("config.providers", "env");
        worker.setProperty("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        Path config = dir.resolve("connect-distributed.properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            worker.store(w, "Kafka Connect worker of ConnectSourceIT");
        }
        String classPath = classPath();
        Path log = dir.resolve("connect.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                "org.apache.kafka.connect.cli.ConnectDistributed", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).directory(dir.toFile());
        builder.environment().putAll(env);
        return new ConnectWorker(builder.start(), "http://127.0.0.1:" + port, log);
    }

    /** Resolved once per change of the pom, into target/: about 7 s with a warm local repository. */
    private static synchronized String classPath() throws IOException {
        Path pom = Path.of("src/test/connect-worker/pom.xml").toAbsolutePath();
        Path out = Path.of("target/connect-worker.classpath").toAbsolutePath();
        if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(pom)) < 0) {
            Path mvnw = Path.of("..", "mvnw").toAbsolutePath().normalize();
            Path log = Path.of("target/connect-worker-resolve.log").toAbsolutePath();
            Process maven = new ProcessBuilder(mvnw.toString(), "-B", "-q", "-f", pom.toString(), "dependency:build-classpath",
                    "-Dmdep.outputFile=" + out).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!maven.waitFor(5, TimeUnit.MINUTES) || maven.exitValue() != 0) {
                    maven.destroyForcibly();
                    throw new IllegalStateException("resolving the Connect worker's class path failed; see " + log);
                }
            } catch (InterruptedException e) {
                maven.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return Files.readString(out).trim();
    }

    Path log() {
        return log;
    }

    /** Waits until the REST API answers (the worker has joined its group and read its config topic). */
    void awaitReady(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Connect worker ended with exit code " + process.exitValue() + "; see " + log);
            }
            try {
                if (send(HttpRequest.newBuilder(URI.create(url + "/connectors")).GET().build()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the Connect worker did not answer within " + timeout + "; see " + log);
    }

    /** POST /connectors with the body {@code {"name": ..., "config": {...}}}; @return the answer's body. */
    String register(String connector) throws IOException, InterruptedException {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url + "/connectors"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(connector)).build());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("Connect refused the connector (" + answer.statusCode() + "): " + answer.body());
        }
        return answer.body();
    }

    /** Waits until the connector and its task run; a FAILED task ends the wait with its trace. */
    void awaitRunning(String connector, Duration timeout) throws IOException, InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < until) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + connector + "/status")).GET().build());
            last = answer.body();
            if (answer.statusCode() == 200) {
                JsonNode status = JSON.readTree(answer.body());
                JsonNode tasks = status.get("tasks");
                if (tasks.size() > 0 && "FAILED".equals(tasks.get(0).get("state").asString())) {
                    throw new IllegalStateException("the connector's task failed: " + tasks.get(0).get("trace").asString());
                }
                if ("RUNNING".equals(status.get("connector").get("state").asString()) && tasks.size() > 0
                        && "RUNNING".equals(tasks.get(0).get("state").asString())) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("connector " + connector + " not running within " + timeout + ": " + last + "; see " + log);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }
}
