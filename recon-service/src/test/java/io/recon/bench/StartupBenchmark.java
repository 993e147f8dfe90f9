package io.recon.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a user waits for: {@code java -jar recon-service.jar} on the embedded default, in a new JVM,
 * until a session has processed its first event from the demo traffic. Cold is an empty work
 * directory (initdb, Kafka storage format, Debezium snapshot); warm is a restart on the same directory.
 */
final class StartupBenchmark {

    static void run() throws Exception {
        Path jar = Path.of("target/recon-service.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build the service first: ./mvnw -DskipTests package");
        }
        Path workDir = BenchApp.freshWorkDir("startup");
        for (String kind : new String[] {"cold (empty work dir)", "warm (restart, same work dir)"}) {
            int port = io.recon.it.Ports.freePort();
            long started = System.nanoTime();
            Process process = new ProcessBuilder("java", "-jar", jar.toString(), "--server.port=" + port,
                    "--recon.work-dir=" + workDir, "--recon.rules.repository=" + BenchApp.rulesRepository())
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("startup.log").toFile()).start();
            try {
                double firstEvent = waitForFirstLiveEvent(port, started);
                System.out.printf("start-up    %-32s java -jar to first event processed: %5.1f s%n", kind, firstEvent);
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
    }

    /** A session's checkpoint moves only once it is live: replayed events do not count. */
    private static double waitForFirstLiveEvent(int port, long started) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/recon"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("operator:operator".getBytes())).build();
        Long firstSeen = null;
        while (System.nanoTime() - started < 180_000_000_000L) {
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("\"state\":\"RUNNING\"") && body.contains("\"lastEventTime\":\"")) {
                    // the first poll after start may still show replayed events; require events newer than the start
                    if (firstSeen == null) {
                        firstSeen = System.nanoTime();
                    }
                    if (body.contains("\"lastCheckpoint\":\"")) {
                        return (firstSeen - started) / 1e9;
                    }
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no event processed within 180 s");
    }

    private StartupBenchmark() {
    }
}
