package io.recon.bench;

import io.recon.ReconApplication;
import io.recon.session.SessionManager;
import io.recon.it.ReconTestSupport;
import io.recon.session.SessionView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A Recon instance on the embedded default in a fresh work directory, for one benchmark. */
final class BenchApp implements AutoCloseable {

    final ConfigurableApplicationContext context;

    private BenchApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static Path freshWorkDir(String name) {
        return ReconTestSupport.newWorkDir("bench-" + name);
    }

    static BenchApp start(Path workDir, String... properties) {
        List<String> args = new ArrayList<>(List.of("--recon.work-dir=" + workDir, "--server.port=0",
                "--recon.rules.repository=" + rulesRepository(), "--logging.level.root=WARN", "--spring.main.banner-mode=off"));
        for (String p : properties) {
            args.add("--" + p);
        }
        return new BenchApp(new SpringApplicationBuilder(ReconApplication.class).run(args.toArray(String[]::new)));
    }

    static String rulesRepository() {
        return Files.isDirectory(Path.of("rules-repo/repository")) ? "rules-repo/repository" : "../rules-repo/repository";
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    List<SessionView> sessions() {
        return bean(SessionManager.class).sessions();
    }

    @Override
    public void close() {
        context.close();
    }
}
