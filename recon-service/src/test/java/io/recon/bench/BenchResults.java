package io.recon.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * target/bench/results.md: each benchmark's table as it finishes, under a header with the date and the
 * machine, each table with the load average it ran under (the machine may be shared: figures are upper
 * bounds of the time taken, lower bounds of the rates).
 */
final class BenchResults {

    private static final Path FILE = Path.of("target/bench/results.md");

    private BenchResults() {
    }

    /** Starts a new results file for this run. */
    static void begin(String which) {
        write("# Recon benchmark results\n\n"
                + "- date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n"
                + "- machine: " + machine() + "\n"
                + "- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", max heap "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MB\n"
                + "- benchmarks: " + which + "\n"
                + "- load average at start: " + loadAverage() + "\n\n", false);
    }

    /** Appends one table (markdown lines) with a title and the load average now. */
    static void table(String title, List<String> lines, String note) {
        StringBuilder text = new StringBuilder("## ").append(title).append("\n\n");
        lines.forEach(l -> text.append(l).append('\n'));
        text.append("\nload average (1, 5, 15 min) at the end: ").append(loadAverage()).append('\n');
        if (note != null && !note.isBlank()) {
            text.append('\n').append(note).append('\n');
        }
        text.append('\n');
        System.out.print(text);
        write(text.toString(), true);
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static String machine() {
        String model = "unknown CPU";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
        } catch (IOException e) {
            // not Linux: the core count still says something
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    private static void write(String text, boolean append) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
