package io.recon.bench;

import io.recon.authoring.RuleCompiler;
import io.recon.authoring.RuleFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How long the service takes to build a kjar from an analyst's files (executable-model compile, the
 * bytecode sandbox check, KieBase): the sample kjar (6 rules) and a generated one with 200 rules,
 * first build in this JVM (cold) and the best of three after it (warm); the check's share printed apart.
 */
public final class CompileBenchmark {

    public static void run() throws IOException {
        List<RuleFile> sample = sample();
        List<RuleFile> generated = generated(200, sample);
        time("sample kjar (6 rules)", sample);
        time("generated kjar (200 rules)", generated);
    }

    private static void time(String what, List<RuleFile> files) {
        long[] cold = buildMillis(files);
        long[] warm = {Long.MAX_VALUE, 0};
        for (int i = 0; i < 3; i++) {
            long[] run = buildMillis(files);
            if (run[0] < warm[0]) {
                warm = run;
            }
        }
        System.out.printf("compile: %-28s first %,6d ms (sandbox check %,5d ms), warm %,6d ms (sandbox check %,5d ms)%n", what,
                cold[0], cold[1], warm[0], warm[1]);
    }

    /** @return the whole build and the bytecode check inside it, in milliseconds */
    private static long[] buildMillis(List<RuleFile> files) {
        long started = System.nanoTime();
        RuleCompiler.Build build = new RuleCompiler().build(files, Set.of("trade"), null, false);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!build.ok()) {
            throw new IllegalStateException(build.problems().toString());
        }
        build.container().dispose();
        return new long[] {millis, build.checkNanos() / 1_000_000};
    }

    static List<RuleFile> sample() throws IOException {
        Path root = Path.of("../rules-kjar/src/main/resources");
        List<RuleFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".drl")).sorted().toList()) {
                files.add(new RuleFile(root.relativize(p).toString(), Files.readString(p)));
            }
        }
        return files;
    }

    /** The sample's types plus {@code n} rules of the kinds the sample has: joins, windows, timers. */
    static List<RuleFile> generated(int n, List<RuleFile> sample) {
        List<RuleFile> files = new ArrayList<>(sample.stream().filter(f -> f.name().endsWith("types.drl")).toList());
        StringBuilder drl = new StringBuilder("package recon.trade\nimport io.recon.rules.Mismatch\nimport io.recon.rules.Severity\n"
                + "import io.recon.rules.Tolerance\n\n");
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> drl.append("""
                        rule "Customer C-%1$d is charged the order amount"
                        when
                            $o : Order( customerId == "C-%1$d", $id : orderId )
                            $p : Payment( orderId == $id, status == "SUCCESS", Tolerance.differsBy( amount, $o.amount, 0.01 ) )
                        then
                            insertLogical( Mismatch.of( "AMOUNT_%1$d", Severity.P2, $id, "amount differs for C-%1$d", $o, $p ) );
                        end
                        """.formatted(i));
                case 1 -> drl.append("""
                        rule "Customer C-%1$d orders are paid within 30 seconds"
                        when
                            $o : Order( customerId == "C-%1$d", status != "CANCELLED", $id : orderId )
                            not Payment( orderId == $id, this after[ 0s, 30s ] $o )
                            not Payment( orderId == $id )
                        then
                            insertLogical( Mismatch.of( "MISSING_%1$d", Severity.P2, $id, "no payment for C-%1$d", $o ) );
                        end
                        """.formatted(i));
                default -> drl.append("""
                        rule "Customer C-%1$d orders are marked PAID within 10 seconds"
                            timer ( int: 10s )
                        when
                            $p : Payment( status == "SUCCESS", $id : orderId )
                            $o : Order( orderId == $id, customerId == "C-%1$d", status != "PAID" )
                        then
                            insertLogical( Mismatch.of( "STATUS_%1$d", Severity.P3, $id, "not marked PAID for C-%1$d", $o, $p ) );
                        end
                        """.formatted(i));
            }
        }
        files.add(new RuleFile("recon/trade/generated.drl", drl.toString()));
        return files;
    }

    private CompileBenchmark() {
    }
}
