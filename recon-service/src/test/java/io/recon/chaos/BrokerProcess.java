package io.recon.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka broker of an outage run as its own process ({@link KafkaBroker}) on a fixed port of 127.0.0.1 and a
 * fixed log directory: the service is pointed at it ({@code recon.kafka.bootstrap}) and keeps running while the
 * broker is stopped and started again.
 */
public final class BrokerProcess implements AutoCloseable {

    private final Path logDir;
    private final int port;
    private Process process;
    private int starts;

    public BrokerProcess(Path logDir, int port) {
        this.logDir = logDir;
        this.port = port;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it takes requests. */
    public synchronized void start(Duration timeout) throws IOException, InterruptedException {
        starts++;
        Path log = logDir.resolveSibling("kafka-" + starts + ".log");
        Files.createDirectories(logDir);
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), KafkaBroker.class.getName(),
                logDir.toString(), Integer.toString(port))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + " while starting; see " + log);
            }
            if (Files.readString(log).contains("READY ")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the Kafka broker did not start within " + timeout + "; see " + log);
    }

    /** The outage: SIGTERM, as an operator stopping the broker; waits until it is gone. */
    synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
