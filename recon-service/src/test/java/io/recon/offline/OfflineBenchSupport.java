package io.recon.offline;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.context.ApplicationContext;

/** What the offline benchmark needs of this package's inner parts: a statement file and its mapping, as the API saves them. */
public final class OfflineBenchSupport {

    private OfflineBenchSupport() {
    }

    /** @return the uploaded file's id */
    public static long upload(ApplicationContext context, Path file, String by) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return context.getBean(StatementFiles.class).save(file.getFileName().toString(), in, by).id();
        }
    }

    public static void map(ApplicationContext context, String source, Map<String, String> columns, String by) {
        context.getBean(FileMappings.class).put(source, columns, by);
    }
}
